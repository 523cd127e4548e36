#include <torch/torch.h>

#include "core/infer/postprocess.h"

#include <algorithm>

#include "core/infer/nms.h"
#include "core/model/decode.h"

namespace yolo::infer {

std::vector<torch::Tensor> decodeCandidates(const std::vector<torch::Tensor>& rawHeads,
                                            const model::YoloNetImpl& net, float minScore,
                                            std::vector<torch::Tensor>* origins) {
  TORCH_CHECK(rawHeads.size() == net.strides().size(), "decodeCandidates got ", rawHeads.size(),
              " heads, the network has ", net.strides().size(), " scales");
  const int64_t rowWidth = 5 + net.spec().numClasses;
  std::vector<torch::Tensor> perScale;
  for (size_t s = 0; s < rawHeads.size(); ++s) {
    const auto decoded = model::decode(rawHeads[s], net.anchors()[s], net.strides()[s]);
    TORCH_CHECK(decoded.size(-1) == rowWidth, "head ", s, " decodes to rows of ", decoded.size(-1),
                " values, expected 5 + ", net.spec().numClasses);
    perScale.push_back(decoded.reshape({decoded.size(0), -1, rowWidth}));
  }
  const auto all = torch::cat(perScale, 1);  // [B, M, 5 + C]
  const auto score = all.select(-1, 4) * std::get<0>(all.narrow(-1, 5, rowWidth - 5).max(-1));
  const auto keep = score >= minScore;
  std::vector<torch::Tensor> out;
  out.reserve(static_cast<size_t>(all.size(0)));
  for (int64_t b = 0; b < all.size(0); ++b)
    out.push_back(all[b].index({keep[b]}).to(torch::kCPU, torch::kFloat).contiguous());
  if (origins) {
    origins->clear();
    for (int64_t b = 0; b < all.size(0); ++b)
      origins->push_back(torch::nonzero(keep[b]).view({-1}).to(torch::kCPU));
  }
  return out;
}

DetectionTensors postprocess(const torch::Tensor& candidates, const LetterboxGeometry& geometry,
                             int sourceWidth, int sourceHeight, const DetectOptions& options) {
  TORCH_CHECK(candidates.dim() == 2 && candidates.size(1) > 5,
              "postprocess expects candidates [N, 5 + C], got ", candidates.sizes());
  TORCH_CHECK(sourceWidth > 0 && sourceHeight > 0, "postprocess of a ", sourceWidth, "x",
              sourceHeight, " image");
  TORCH_CHECK(geometry.scaleX > 0.f && geometry.scaleY > 0.f, "postprocess with letterbox scales ",
              geometry.scaleX, " x ", geometry.scaleY);
  const auto rows = candidates.to(torch::kCPU, torch::kFloat);
  const int64_t numClasses = rows.size(1) - 5;

  // Score first: it drops most rows before any box arithmetic.
  auto [bestProb, classes] = rows.narrow(1, 5, numClasses).max(1);
  auto scores = rows.select(1, 4) * bestProb;
  auto mask = scores > options.scoreThreshold;

  const auto cx = rows.select(1, 0), cy = rows.select(1, 1);
  const auto halfW = rows.select(1, 2) * 0.5f, halfH = rows.select(1, 3) * 0.5f;
  // Exactly LetterboxGeometry::toSourceX/Y, vectorised.
  const float ox = static_cast<float>(geometry.offsetX), oy = static_cast<float>(geometry.offsetY);
  const float w = static_cast<float>(sourceWidth), h = static_cast<float>(sourceHeight);
  auto x1 = ((cx - halfW - ox) / geometry.scaleX).clamp(0.f, w);
  auto y1 = ((cy - halfH - oy) / geometry.scaleY).clamp(0.f, h);
  auto x2 = ((cx + halfW - ox) / geometry.scaleX).clamp(0.f, w);
  auto y2 = ((cy + halfH - oy) / geometry.scaleY).clamp(0.f, h);
  auto boxes = torch::stack({x1, y1, x2, y2}, 1);

  // clamp keeps NaN, and NaN comparisons are false: non-finite boxes fail `x2 > x1`.
  mask = mask & (x2 > x1) & (y2 > y1);
  const auto boxScale = torch::sqrt((x2 - x1) * (y2 - y1));
  mask = mask & (boxScale > options.minBoxScale) & (boxScale < options.maxBoxScale);

  const auto kept = torch::nonzero(mask).view({-1});
  boxes = boxes.index({kept});
  scores = scores.index({kept});
  classes = classes.index({kept});
  auto rowsKept = kept;

  DetectionTensors out;
  if (options.softNms) {
    const SoftNmsResult r =
        softNmsPerClass(boxes, scores, classes, options.softNmsSigma, options.scoreThreshold);
    out.boxes = boxes.index({r.indices});
    out.scores = r.scores;
    out.classes = classes.index({r.indices});
    out.rows = rowsKept.index({r.indices});
  } else {
    const auto order = nmsPerClass(boxes, scores, classes, options.iouThreshold);
    out.boxes = boxes.index({order});
    out.scores = scores.index({order});
    out.classes = classes.index({order});
    out.rows = rowsKept.index({order});
  }
  if (options.insideCover < 1.f && out.size() > 1) {
    const auto outermost = dropBoxesInsideBetterOnes(out.boxes, out.scores, options.insideCover)
                               .to(out.boxes.device());
    out.boxes = out.boxes.index({outermost});
    out.scores = out.scores.index({outermost});
    out.classes = out.classes.index({outermost});
    out.rows = out.rows.index({outermost});
  }
  if (options.maxDetections > 0 && out.size() > options.maxDetections) {
    out.boxes = out.boxes.narrow(0, 0, options.maxDetections);
    out.scores = out.scores.narrow(0, 0, options.maxDetections);
    out.classes = out.classes.narrow(0, 0, options.maxDetections);
    out.rows = out.rows.narrow(0, 0, options.maxDetections);
  }
  out.boxes = out.boxes.contiguous();
  out.scores = out.scores.contiguous();
  out.classes = out.classes.contiguous();
  out.rows = out.rows.contiguous();
  return out;
}

std::vector<Detection> toDetections(const DetectionTensors& detections,
                                    const std::vector<std::string>& classNames) {
  std::vector<Detection> out;
  const int64_t n = detections.size();
  if (n == 0) return out;
  const auto boxes = detections.boxes.to(torch::kCPU, torch::kFloat).contiguous();
  const auto scores = detections.scores.to(torch::kCPU, torch::kFloat).contiguous();
  const auto classes = detections.classes.to(torch::kCPU, torch::kLong).contiguous();
  const float* b = boxes.data_ptr<float>();
  const float* s = scores.data_ptr<float>();
  const int64_t* c = classes.data_ptr<int64_t>();
  out.reserve(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    Detection d;
    d.x1 = b[4 * i];
    d.y1 = b[4 * i + 1];
    d.x2 = b[4 * i + 2];
    d.y2 = b[4 * i + 3];
    d.score = s[i];
    d.classId = static_cast<int>(c[i]);
    d.className = d.classId >= 0 && static_cast<size_t>(d.classId) < classNames.size()
                      ? classNames[static_cast<size_t>(d.classId)]
                      : std::to_string(d.classId);
    out.push_back(std::move(d));
  }
  return out;
}

torch::Tensor toInputTensor(const std::vector<cv::Mat>& rgbImages, const torch::Device& device) {
  TORCH_CHECK(!rgbImages.empty(), "toInputTensor needs at least one image");
  const int size = rgbImages.front().rows;
  auto input = torch::empty({static_cast<int64_t>(rgbImages.size()), 3, size, size},
                            torch::TensorOptions().dtype(torch::kFloat).device(device));
  for (size_t i = 0; i < rgbImages.size(); ++i) {
    const cv::Mat& m = rgbImages[i];
    TORCH_CHECK(m.type() == CV_8UC3 && m.rows == size && m.cols == size, "toInputTensor image ", i,
                " is ", m.cols, "x", m.rows, " type ", m.type(), ", expected ", size, "x", size,
                " CV_8UC3");
    // A view of the Mat's bytes: no copy until the upload / the float conversion below.
    const auto bytes = torch::from_blob(const_cast<uchar*>(m.ptr()), {size, size, 3},
                                        {static_cast<int64_t>(m.step[0]), 3, 1}, torch::kUInt8);
    input[static_cast<int64_t>(i)].copy_(bytes.to(device).permute({2, 0, 1}));
  }
  return input.div_(255.f);
}

}  // namespace yolo::infer
