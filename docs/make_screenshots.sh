#!/usr/bin/env bash
# Drives the real workbench under Xvfb through the steps a user takes (generate data, train,
# detect, evaluate) and saves a picture of each view to docs/screenshots/.
#   docs/make_screenshots.sh [RUN_DIR]
# RUN_DIR: a trained run for the Train and Detect pictures; without it a short run is made
# (its detections are then mostly noise). Needs xvfb-run (apt-get install xvfb xauth).
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${BUILD_DIR:-build/release}/app"
work="${WORK_DIR:-$(mktemp -d)}"
run="${1:-}"
out=docs/screenshots
mkdir -p "${out}"

"${bin}/yolo-cli" make-data --out "${work}/data" --train 200 --test 40 --quiet
if [[ -z "${run}" ]]; then
  "${bin}/yolo-cli" train --preset cpu-fast --data "${work}/data" --max-steps 40 --out "${work}/run"
  run="${work}/run"
fi

shoot() {
  xvfb-run -a -s "-screen 0 1400x900x24" "${bin}/yolo-workbench" "$@"
}
shoot --view data --dataset "${work}/data" --screenshot "${out}/data.png"
shoot --view train --run "${run}" --screenshot "${out}/train.png"
shoot --view detect --model "${run}" "${work}/data/test/000003.jpg" --screenshot "${out}/detect.png"
shoot --view evaluate --model "${run}" --dataset "${work}/data" --screenshot "${out}/evaluate.png"
echo "screenshots in ${out}/"
