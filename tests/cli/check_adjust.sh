#!/usr/bin/env bash
# `yolo-cli train --adjust`: on a run that another yolo-cli is training (the run takes the
# change before its next step and the command prints the run's answer), on the same run
# once stopped (config.json changed, the resume follows it), and without a setting (usage).
#   check_adjust.sh YOLO_CLI DATA_DIR WORK_DIR
set -euo pipefail
cli=$1 data=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
run="$work/run"

"$cli" train --data "$data" --model yolov3-tiny --input-size 64 --batch 4 --epochs 500 \
  --threads 1 --out "$run" 2>"$work/train.log" &
trainer=$!
trap 'kill "$trainer" 2>/dev/null || true' EXIT
for _ in $(seq 1200); do
  grep -q '"type":"step"' "$run/metrics.jsonl" 2>/dev/null && break
  sleep 0.1
done
grep -q '"type":"step"' "$run/metrics.jsonl" || { cat "$work/train.log"; exit 1; }

"$cli" train --adjust "$run" --epochs 600 --lr-init 0.002 2>"$work/adjust_running.log"
cat "$work/adjust_running.log"
grep -q "is training: asked its trainer to change the plan" "$work/adjust_running.log"
grep -q "the run changed its plan: epochs 500 -> 600, lr_init 0.001 -> 0.002" \
  "$work/adjust_running.log"
grep -q '"event":"schedule_adjusted"' "$run/metrics.jsonl"

kill -INT "$trainer"
wait "$trainer" || true
trap - EXIT
grep -q "stopped; continue with" "$work/train.log" || { cat "$work/train.log"; exit 1; }

"$cli" train --adjust "$run" --epochs 700 --lr-end 0.00001 2>"$work/adjust_stopped.log"
cat "$work/adjust_stopped.log"
grep -q "epochs 600 -> 700" "$work/adjust_stopped.log"
grep -q '"epochs": 700' "$run/config.json"
[[ ! -e "$run/adjust.json" ]]

rc=0
"$cli" train --adjust "$run" 2>"$work/adjust_nothing.log" || rc=$?
[[ $rc -eq 2 ]] && grep -q "needs --epochs, --lr-init or --lr-end" "$work/adjust_nothing.log"
echo "adjust passed"
