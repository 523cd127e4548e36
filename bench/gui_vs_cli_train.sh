#!/usr/bin/env bash
# Training speed as a user meets it: `yolo-cli train` against the workbench's Start (Ctrl+R),
# same preset, same data, same machine, one right after the other, in alternating rounds.
# Prints each run's median images/s over its steps after the first few (from the run's own
# metrics.jsonl) and the ratio workbench / CLI (target >= 0.95).
#
#   bench/gui_vs_cli_train.sh [DATA_DIR] [STEPS] [ROUNDS]
#
# DATA_DIR: a generated data set (default: made here, 400 + 40 images); STEPS per run
# (default 40); ROUNDS of CLI-then-workbench (default 2). Needs xvfb-run and xdotool
# (apt-get install xvfb xauth xdotool). The workbench runs with its own empty settings
# (XDG_CONFIG_HOME in a scratch folder), so a user's settings are neither read nor changed.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${BUILD_DIR:-build/release}/app")
steps="${2:-40}"
rounds="${3:-2}"
skip=5  # the first steps allocate and warm caches
work=$(mktemp -d)
trap 'rm -rf "${work}"' EXIT
data="${1:-}"
if [[ -z ${data} ]]; then
  data="${work}/data"
  "${bin}/yolo-cli" make-data --out "${data}" --train 400 --test 40 --quiet
fi
data=$(realpath "${data}")

# Median images_per_s of steps > skip in a metrics.jsonl.
median_rate() {
  python3 - "$1" "${skip}" <<'PY'
import json, statistics, sys
rates = [r["images_per_s"] for r in map(json.loads, open(sys.argv[1]))
         if r.get("type") == "step" and r["step"] > int(sys.argv[2])]
print(f"{statistics.median(rates):.3f} {len(rates)}")
PY
}
steps_in() { grep -c '"type":"step"' "$1" 2>/dev/null || true; }

cli_run() {
  local out="${work}/cli-$1"
  "${bin}/yolo-cli" train --preset cpu-fast --data "${data}" --max-steps "${steps}" \
    --out "${out}" >/dev/null 2>&1
  median_rate "${out}/metrics.jsonl"
}

gui_run() {
  local home="${work}/gui-$1"
  mkdir -p "${home}/config"
  (
    cd "${home}"
    XDG_CONFIG_HOME="${home}/config" xvfb-run -a -s "-screen 0 1400x900x24" bash -c '
      "$0" --view train --dataset "$1" &
      app=$!
      # No window manager under Xvfb: give the window the keyboard focus by hand.
      window=$(xdotool search --sync --onlyvisible --name "YOLO Workbench" | head -1)
      sleep 2
      xdotool windowfocus --sync "$window" key ctrl+r
      for _ in $(seq 3600); do
        m=$(ls runs/*/metrics.jsonl 2>/dev/null | head -1)
        if [[ -n $m ]] && (( $(grep -c "\"type\":\"step\"" "$m") >= $2 )); then break; fi
        kill -0 $app 2>/dev/null || break
        sleep 0.5
      done
      kill $app; wait $app 2>/dev/null || true' \
      "${bin}/yolo-workbench" "${data}" "${steps}"
  )
  local metrics
  metrics=$(ls "${home}"/runs/*/metrics.jsonl | head -1)
  median_rate "${metrics}"
}

echo "cpu-fast, ${steps} steps a run (median images/s of steps ${skip}+), $(nproc) cores"
printf '%-6s %-22s %-22s %s\n' round "yolo-cli train" "workbench Start" "workbench/CLI"
for r in $(seq "${rounds}"); do
  read -r cli cli_n < <(cli_run "${r}")
  read -r gui gui_n < <(gui_run "${r}")
  ratio=$(python3 -c "print(f'{${gui}/${cli}:.3f}')")
  printf '%-6s %-22s %-22s %s\n' "${r}" "${cli} img/s (${cli_n})" "${gui} img/s (${gui_n})" \
    "${ratio}"
done
