#!/usr/bin/env bash
# Crash soak by hand: kill -9 `yolo-cli train` KILLS times at random moments (every third
# while last.pt is written), resume each time, and compare with an uninterrupted run.
# usage: tests/soak/kill_resume.sh [KILLS (default 20)] [SEED]
# Needs the release build (./quickstart test or cmake --build build/release) and the digits.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${YOLO_BUILD_DIR:-$root/build/release}"
kills="${1:-20}"
args=(--cli "$build/app/yolo-cli" --work "${TMPDIR:-/tmp}/yolo-soak-$$" --kills "$kills")
[[ $# -ge 2 ]] && args+=(--seed "$2")
export YOLO_DIGITS_DIR="${YOLO_DIGITS_DIR:-$root/datasets/mnist/digits}"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-passive}"
# The work folder stays when the soak fails (yolo-cli.log and both runs are in it).
"$build/tests/soak_kill_resume" "${args[@]}"
rm -rf "${TMPDIR:-/tmp}/yolo-soak-$$"
