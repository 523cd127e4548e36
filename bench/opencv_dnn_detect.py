#!/usr/bin/env python3
"""The Python form of opencv_dnn_detect.cpp (bench_cold_start's references): what a user of
OpenCV's Python bindings (Debian: python3-opencv) runs to detect in one image with a Darknet
model, in a fresh process.

usage: opencv_dnn_detect.py MODEL.cfg MODEL.weights IMAGE [threads=2]
"""
import sys

import cv2


def input_size(cfg_path):
    with open(cfg_path) as cfg:
        for line in cfg:
            if line.startswith("width="):
                return int(line[6:])
    return 416


def main():
    if len(sys.argv) < 4:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    cv2.setNumThreads(int(sys.argv[4]) if len(sys.argv) > 4 else 2)
    net = cv2.dnn.readNetFromDarknet(sys.argv[1], sys.argv[2])
    net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
    net.setPreferableTarget(cv2.dnn.DNN_TARGET_CPU)
    image = cv2.imread(sys.argv[3], cv2.IMREAD_COLOR)
    if image is None:
        print(f"opencv_dnn_detect.py: {sys.argv[3]}: not a readable image", file=sys.stderr)
        return 1
    size = input_size(sys.argv[1])
    net.setInput(cv2.dnn.blobFromImage(image, 1 / 255.0, (size, size), swapRB=True, crop=False))
    for out in net.forward(net.getUnconnectedOutLayersNames()):
        print(f"output {out.shape[0]} x {out.shape[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
