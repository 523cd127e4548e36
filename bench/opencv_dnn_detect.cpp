// The reference of bench_cold_start: what a user of OpenCV DNN runs to detect in one image
// with a Darknet model, in a fresh process. Reads the .cfg and .weights, the image, makes
// the blob (RGB, 0..1, resized to the cfg's input size), runs one forward pass to every
// [yolo] output and prints the output shapes. Links only OpenCV's core, imgcodecs, imgproc
// and dnn.
//   opencv_dnn_detect MODEL.cfg MODEL.weights IMAGE [threads=2]

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/imgcodecs.hpp>

namespace {

// The [net] section's width (Darknet's input size).
int inputSizeOf(const std::string& cfgPath) {
  std::ifstream in(cfgPath);
  for (std::string line; std::getline(in, line);)
    if (line.rfind("width=", 0) == 0) return std::stoi(line.substr(6));
  return 416;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: opencv_dnn_detect MODEL.cfg MODEL.weights IMAGE [threads=2]\n");
    return 2;
  }
  cv::setNumThreads(argc > 4 ? std::stoi(argv[4]) : 2);
  cv::dnn::Net net = cv::dnn::readNetFromDarknet(argv[1], argv[2]);
  net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
  net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
  const cv::Mat image = cv::imread(argv[3], cv::IMREAD_COLOR);
  if (image.empty()) {
    std::fprintf(stderr, "opencv_dnn_detect: %s: not a readable image\n", argv[3]);
    return 1;
  }
  const int size = inputSizeOf(argv[1]);
  net.setInput(cv::dnn::blobFromImage(image, 1.0 / 255, cv::Size(size, size), cv::Scalar(),
                                      /*swapRB=*/true, /*crop=*/false));
  std::vector<cv::Mat> outputs;
  net.forward(outputs, net.getUnconnectedOutLayersNames());
  for (const cv::Mat& out : outputs) std::printf("output %d x %d\n", out.rows, out.cols);
  return 0;
}
