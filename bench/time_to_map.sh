#!/bin/bash
# Time to mAP: how good the detector is after N minutes of `yolo-cli train`, as a user
# waits for it. Trains from scratch and measures mAP@0.5 at fixed wall-clock marks from the
# start of the command (data loading, evaluations and checkpoints included), on the default
# test split and on harder test sets made from TEST-pool digits (make-data --variant), then
# at the end of the run. Prints one table per run and a summary line per mark.
#
# How a mark is taken: the run writes last.pt every --every steps (checkpoints.everySteps);
# at each mark the script copies the newest one, so a mark's weights are at most that many
# steps old (the table prints the step they are from). The copies are evaluated after the
# run (or between runs), never beside it, so evaluation takes no time from training. The
# checkpoints themselves are part of the measured run.
#
# usage: bench/time_to_map.sh [options] [-- yolo-cli train options]
#   --data DIR       default data (made with `make-data` when missing; default
#                    WORK/data-default)
#   --variants LIST  harder test sets, space-separated make-data variants
#                    (default "harder drawn"; made in WORK/data-NAME when missing)
#   --marks LIST     minutes (default "5 10 15 20 30")
#   --limit MIN      stop each run after MIN minutes (default: run to its end)
#   --runs N         runs one after the other (default 1)
#   --every N        steps between checkpoints (default 20)
#   --threads N      training and evaluation threads (default 2)
#   --work DIR       runs, snapshots and made data (default /tmp/time-to-map)
#   --cli PATH       yolo-cli (default build/release/app/yolo-cli)
# Anything after `--` goes to `yolo-cli train`, e.g. `-- --preset cpu-fast --set
# augment.randomZoom=true`.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
cli="$here/build/release/app/yolo-cli"
work=/tmp/time-to-map
data=""
variants="harder drawn"
marks="5 10 15 20 30"
limit=""
runs=1
every=20
threads=2
train_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data="$2"; shift 2 ;;
    --variants) variants="$2"; shift 2 ;;
    --marks) marks="$2"; shift 2 ;;
    --limit) limit="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --every) every="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --cli) cli="$2"; shift 2 ;;
    --) shift; train_args=("$@"); break ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "time_to_map: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -x "$cli" ] || { echo "time_to_map: $cli not built (cmake --build --preset release)" >&2; exit 2; }
mkdir -p "$work"
data="${data:-$work/data-default}"

make_data() {  # folder, variant
  [ -f "$1/test.txt" ] && return
  local train=4000
  [ "$2" != default ] && train=0
  echo "time_to_map: making $2 data in $1" >&2
  "$cli" make-data --out "$1" --variant "$2" --train "$train" --quiet >/dev/null
}
make_data "$data" default
tests=("default:$data/test.txt")
for v in $variants; do
  make_data "$work/data-$v" "$v"
  tests+=("$v:$work/data-$v/test.txt")
done

last_checkpoint_step() {  # metrics.jsonl -> step of the newest "checkpoint" event, or -1
  python3 - "$1" <<'EOF'
import json, sys
step = -1
try:
    for line in open(sys.argv[1]):
        if '"checkpoint"' in line:
            try:
                record = json.loads(line)
            except ValueError:
                continue  # the line being written
            if record.get("event") == "checkpoint":
                step = record["step"]
except OSError:
    pass
print(step)
EOF
}

map50() {  # model, annotation file -> mAP@0.5
  "$cli" eval --model "$1" --data "$2" --threads "$threads" --json 2>/dev/null |
    python3 -c 'import json,sys; print("%.4f" % json.load(sys.stdin)["map50"])'
}

cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
flags="$(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx2|avx512f|avx512_bf16|avx512_vnni|amx_tile)$' | tr '\n' ' ')"
echo "machine: $(nproc) cores, $cpu; flags: $flags"
echo "train: yolo-cli train ${train_args[*]:-} --threads $threads --set checkpoints.everySteps=$every"
declare -A results

for run in $(seq 1 "$runs"); do
  dir="$work/run$run"
  rm -rf "$dir" "$dir.snap"
  mkdir -p "$dir.snap"
  start=$(date +%s.%N)
  "$cli" train "${train_args[@]}" --data "$data" --out "$dir" --threads "$threads" \
    --set "checkpoints.everySteps=$every" >"$dir.log" 2>&1 &
  pid=$!
  pending=($marks)
  while kill -0 "$pid" 2>/dev/null; do
    sleep 2
    now=$(date +%s.%N)
    minutes=$(python3 -c "print(($now - $start) / 60)")
    if [ ${#pending[@]} -gt 0 ] && python3 -c "import sys; sys.exit(0 if $minutes >= ${pending[0]} else 1)"; then
      mark=${pending[0]}
      pending=("${pending[@]:1}")
      for _ in 1 2 3; do  # a checkpoint written during the copy: copy again
        before=$(last_checkpoint_step "$dir/metrics.jsonl")
        [ -f "$dir/last.pt" ] && cp "$dir/last.pt" "$dir.snap/$mark.pt"
        [ "$(last_checkpoint_step "$dir/metrics.jsonl")" = "$before" ] && break
      done
      echo "$before" >"$dir.snap/$mark.step"
    fi
    if [ -n "$limit" ] && python3 -c "import sys; sys.exit(0 if $minutes >= $limit else 1)"; then
      kill -INT "$pid"  # a clean stop: last.pt saved
      wait "$pid" || true
      break
    fi
  done
  wait "$pid" 2>/dev/null || true
  end_minutes=$(python3 -c "print('%.1f' % (($(date +%s.%N) - $start) / 60))")
  final_step=$(last_checkpoint_step "$dir/metrics.jsonl")

  header="| minutes | step |"
  rule="| --- | --- |"
  for t in "${tests[@]}"; do header+=" ${t%%:*} |"; rule+=" --- |"; done
  echo
  echo "run $run ($dir, log $dir.log)"
  echo "$header"
  echo "$rule"
  for mark in $marks "end"; do
    if [ "$mark" = end ]; then
      model="$dir/last.pt"; step="$final_step"; label="$end_minutes (end)"
    else
      model="$dir.snap/$mark.pt"; step="$(cat "$dir.snap/$mark.step" 2>/dev/null || echo -)"
      label="$mark"
    fi
    [ -f "$model" ] || continue
    row="| $label | $step |"
    for t in "${tests[@]}"; do
      value=$(map50 "$model" "${t#*:}")
      row+=" $value |"
      results["$mark/${t%%:*}"]+="$value "
    done
    echo "$row"
  done
done

echo
echo "summary (mAP@0.5 of each run, per mark and test set):"
for mark in $marks "end"; do
  line="$mark:"
  for t in "${tests[@]}"; do line+="  ${t%%:*} ${results["$mark/${t%%:*}"]:-n/a}"; done
  echo "$line"
done
