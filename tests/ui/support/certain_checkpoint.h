#pragma once
// A checkpoint whose detections are known in advance, for the UI tests: the network's output
// ignores the image, so a test can drop any picture and compare what the GUI shows with
// infer::Detector on the same file. Torch-free header (the test files are read by moc).

#include <filesystem>

namespace yolo::test {

/// Writes `dir`/certain.pt: a yolov3-tiny with 2 classes ("zero", "one") at input
/// `inputSize` whose output convs have zero weights and fixed biases. Every cell predicts
/// its three anchors centred on the cell, class "zero" (probability ~1), with objectness
/// 0.9 / 0.7 / 0.5 for the stride-16 anchors and 0.8 / 0.6 / 0.4 for the stride-32 ones.
/// So at score threshold 0.3 every candidate passes, at 0.65 only three anchors' do, and
/// the NMS threshold decides how many of the overlapping boxes remain. Returns the path.
std::filesystem::path writeCertainCheckpoint(const std::filesystem::path& dir,
                                             int inputSize = 64);

}  // namespace yolo::test
