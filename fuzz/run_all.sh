#!/usr/bin/env bash
# Fuzzes every reader of user-supplied bytes for SECONDS each (default 60) or until it has
# run MAX_RUNS inputs (default 10 million, the goal in docs/reliability.md), whichever comes
# first, and prints one line per target: executions, executions per second of the run's
# own wall time, crashes, leaks, slowest input, peak memory.
#   [MAX_RUNS=N] fuzz/run_all.sh [SECONDS] [TARGET...]
# Installs clang and libFuzzer when missing (Debian: clang, libfuzzer-14-dev), configures
# and builds the `fuzz` preset (build/fuzz), and keeps what each target learns in
# build/fuzz/fuzz/live/<target> (seeded from the generated corpus), so runs add up.
# A crash, leak or UB report leaves its input in build/fuzz/fuzz/findings/<target>/: copy it
# to tests/fuzz_regressions/<target>/, which the normal test suite replays.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
max_runs="${MAX_RUNS:-10000000}"
shift || true

packages=(clang libfuzzer-14-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[[ -f build/fuzz/build.ninja ]] || cmake --preset fuzz >/dev/null
cmake --build --preset fuzz >/dev/null

bin=build/fuzz/fuzz
targets=("$@")
if ((${#targets[@]} == 0)); then
  for f in fuzz/targets/*.cpp; do targets+=("$(basename "$f" .cpp)"); done
fi
# Each input goes through a file (the readers open paths): in memory where there is /dev/shm.
scratch="${TMPDIR:-/tmp}"
[[ -d /dev/shm && -w /dev/shm ]] && scratch=/dev/shm
printf '%-18s %14s %8s %6s %6s %12s %9s\n' target executions exec/s crash leak slowest_s peak_MB
status=0
for t in "${targets[@]}"; do
  live="$bin/live/$t" findings="$bin/findings/$t"
  mkdir -p "$live" "$findings"
  args=(-max_total_time="$seconds" -runs="$max_runs" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048
        -artifact_prefix="$findings/" -close_fd_mask=3)
  [[ -f "fuzz/dict/$t.dict" ]] && args+=(-dict="fuzz/dict/$t.dict")
  [[ -f "$bin/corpus/$t.dict" ]] && args+=(-dict="$bin/corpus/$t.dict")
  log="$bin/findings/$t.log"
  rc=0
  started=$(date +%s)
  TMPDIR="$scratch" "$bin/fuzz_$t" "${args[@]}" "$live" "$bin/corpus/$t" >"$log" 2>&1 || rc=$?
  elapsed=$(( $(date +%s) - started ))
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  slowest=$(sed -n 's/^stat::slowest_unit_time_sec: *//p' "$log" | tail -1)
  peak=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
  crashes=$(find "$findings" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  leaks=$(find "$findings" -maxdepth 1 -type f -name 'leak-*' | wc -l)
  printf '%-18s %14s %8s %6s %6s %12s %9s\n' "$t" "${runs:-?}" \
    "$(( ${runs:-0} / (elapsed > 0 ? elapsed : 1) ))" "$crashes" "$leaks" "${slowest:-?}" "${peak:-?}"
  if ((rc != 0 || crashes + leaks > 0)); then
    status=1
    echo "  $t: exit status $rc; see $log" >&2
  fi
done
exit "$status"
