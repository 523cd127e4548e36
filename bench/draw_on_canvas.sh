#!/bin/bash
# The user's own test of a detector: digits drawn with the mouse on the workbench's drawing
# pad. Starts yolo-workbench under Xvfb on the Draw tab with MODEL, draws DIGITS (any of
# 0-9, side by side) with real pointer events (xdotool), and saves what the window shows
# once their detections are drawn. Each digit should come back as one box with its class.
#
# usage: bench/draw_on_canvas.sh MODEL OUT.png [DIGITS] [HEIGHT]
#   MODEL   checkpoint or run folder
#   DIGITS  e.g. 274 (default 73)
#   HEIGHT  digit height as a share of the pad's side (default 0.45: about 190 of the 416
#           network pixels, the size a mouse-drawn digit usually has)
# Needs xvfb-run and xdotool (apt-get install xvfb xauth xdotool).
set -euo pipefail

[ $# -ge 2 ] || { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2; }
model="$(realpath "$1")"
out="$(realpath -m "$2")"
digits="${3:-73}"
height="${4:-0.45}"
here="$(cd "$(dirname "$0")/.." && pwd)"
gui="${GUI:-$here/build/release/app/yolo-workbench}"
for tool in xvfb-run xdotool; do
  command -v "$tool" >/dev/null || { echo "draw_on_canvas: needs $tool" >&2; exit 2; }
done

export YOLO_DRAW_DIGITS="$digits" YOLO_DRAW_HEIGHT="$height" GUI_BIN="$gui" MODEL="$model" OUT="$out"
settings="$(mktemp -d)"
trap 'rm -rf "$settings"' EXIT
export XDG_CONFIG_HOME="$settings"  # a fresh user: no restored model or window layout

xvfb-run -a -s "-screen 0 1400x1000x24" bash -c '
  set -euo pipefail
  "$GUI_BIN" --view draw --model "$MODEL" --screenshot "$OUT" --screenshot-wait 25 &
  gui=$!
  window=$(xdotool search --sync --onlyvisible --name "YOLO Workbench" | head -1)
  xdotool windowsize --sync "$window" 1400 1000
  xdotool windowmove --sync "$window" 0 0
  sleep 3  # the model loads
  # The pad fills the left part of the Detect view: find its square by its widget name is not
  # possible from outside, so draw around the centre of the view area, where it always is.
  python3 - "$(xdotool getwindowgeometry --shell "$window")" <<"EOF"
import os, subprocess, sys, time
geometry = dict(line.split("=") for line in sys.argv[1].split())
width, height = int(geometry["WIDTH"]), int(geometry["HEIGHT"])
pad = min(width * 0.56, height * 0.78)  # the pad on screen, measured at 1400x1000
centre_x, centre_y = width * 0.39, height * 0.535
size = pad * float(os.environ["YOLO_DRAW_HEIGHT"])
# Strokes of each digit in a unit box (x right, y down), drawn as polylines.
shapes = {
    "0": [[(0.5, 0), (0.15, 0.15), (0.05, 0.5), (0.15, 0.85), (0.5, 1), (0.85, 0.85),
           (0.95, 0.5), (0.85, 0.15), (0.5, 0)]],
    "1": [[(0.3, 0.15), (0.55, 0), (0.55, 1)]],
    "2": [[(0.1, 0.2), (0.35, 0.02), (0.7, 0.05), (0.85, 0.3), (0.6, 0.6), (0.1, 1), (0.95, 1)]],
    "3": [[(0.1, 0.1), (0.5, 0), (0.85, 0.15), (0.8, 0.4), (0.45, 0.5), (0.85, 0.62),
           (0.85, 0.9), (0.5, 1), (0.1, 0.9)]],
    "4": [[(0.7, 1), (0.7, 0), (0.05, 0.7), (0.95, 0.7)]],
    "5": [[(0.85, 0), (0.2, 0), (0.15, 0.45), (0.6, 0.4), (0.9, 0.65), (0.75, 0.95),
           (0.4, 1), (0.1, 0.9)]],
    "6": [[(0.8, 0.05), (0.45, 0.05), (0.15, 0.45), (0.15, 0.85), (0.5, 1), (0.85, 0.8),
           (0.8, 0.55), (0.45, 0.48), (0.15, 0.65)]],
    "7": [[(0.05, 0), (0.95, 0), (0.35, 1)]],
    "8": [[(0.5, 0.48), (0.15, 0.25), (0.5, 0), (0.85, 0.25), (0.5, 0.48), (0.1, 0.72),
           (0.5, 1), (0.9, 0.72), (0.5, 0.48)]],
    "9": [[(0.85, 0.3), (0.5, 0.5), (0.15, 0.3), (0.5, 0), (0.85, 0.3), (0.8, 1)]],
}
text = os.environ["YOLO_DRAW_DIGITS"]
step = min(size * 0.9, pad * 0.9 / len(text))
left = centre_x - step * (len(text) - 1) / 2 - size * 0.35
for i, digit in enumerate(text):
    x0, y0 = left + i * step, centre_y - size / 2
    for stroke in shapes[digit]:
        points = [(x0 + u * size * 0.7, y0 + v * size) for u, v in stroke]
        # One synced move at a time: chained fast moves reach the window as a few jumps.
        def move(x, y):
            subprocess.run(["xdotool", "mousemove", "--sync", str(int(x)), str(int(y))], check=True)
            time.sleep(0.01)
        move(*points[0])
        subprocess.run(["xdotool", "mousedown", "1"], check=True)
        for (ax, ay), (bx, by) in zip(points, points[1:]):
            for k in range(1, 9):  # eight moves a segment: a smooth stroke
                move(ax + (bx - ax) * k / 8, ay + (by - ay) * k / 8)
        time.sleep(0.05)
        subprocess.run(["xdotool", "mouseup", "1"], check=True)
        time.sleep(0.1)
EOF
  wait "$gui"
'
echo "draw_on_canvas: $out"
