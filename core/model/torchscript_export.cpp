#include <torch/script.h>
#include <torch/torch.h>

#include "core/model/torchscript_export.h"

#include <sstream>
#include <stdexcept>

#include "core/model/decode.h"
#include "core/model/fold_batchnorm.h"
#include "core/util/atomic_file.h"

namespace yolo::model {

namespace {

/// Writes the body of network(): straight-line code, one statement per layer, naming the
/// conv weights by their Darknet index.
class NetworkWriter {
 public:
  explicit NetworkWriter(const std::vector<ConvBlock>& convs) : convs_(convs) {}

  /// `dst = conv_i(src)` with conv i's stride, padding and activation.
  void conv(int i, const std::string& dst, const std::string& src) {
    TORCH_CHECK(i >= 0 && i < static_cast<int>(convs_.size()), "export: conv ", i, " of ",
                convs_.size());
    const ConvBlockOptions& o = convs_[static_cast<size_t>(i)]->options;
    std::string e = "torch.conv2d(" + src + ", self.w" + std::to_string(i) + ", self.b" +
                    std::to_string(i) + ", [" + std::to_string(o.stride()) + ", " +
                    std::to_string(o.stride()) + "], [" + std::to_string(o.kernel_size() / 2) +
                    ", " + std::to_string(o.kernel_size() / 2) + "])";
    if (o.leaky()) e = "torch.leaky_relu(" + e + ", 0.1)";
    line(dst + " = " + e);
  }
  /// Convs first..last in a row, in place on `var`.
  void chain(int first, int last, const std::string& var) {
    for (int i = first; i <= last; ++i) conv(i, var, var);
  }
  void line(const std::string& text) { out_ << "        " << text << "\n"; }
  std::string str() const { return out_.str(); }

 private:
  const std::vector<ConvBlock>& convs_;
  std::ostringstream out_;
};

const char* kUpsample = "torch.upsample_nearest2d({0}, [{0}.size(2) * 2, {0}.size(3) * 2])";

std::string upsample(const std::string& var) {
  std::string s = kUpsample;
  for (size_t at = s.find("{0}"); at != std::string::npos; at = s.find("{0}"))
    s.replace(at, 3, var);
  return s;
}

// Mirrors YoloV3TinyImpl::forward (Darknet conv order: backbone 0-6, route 7, head32 8-9,
// lateral 10, head16 11-12; with threeHeads (yolov3-tiny-3l) lateral8 13, head8 14-15).
void writeTiny(NetworkWriter& w, bool threeHeads) {
  for (int i = 0; i < 5; ++i) {
    w.conv(i, "x", "x");
    if (i == 3 && threeHeads) w.line("skip8 = x");
    if (i == 4) w.line("skip16 = x");
    w.line("x = torch.max_pool2d(x, [2, 2], [2, 2])");
  }
  w.conv(5, "x", "x");
  // darknetMaxPoolStride1: replicate the last row and column, 2x2 window, stride 1.
  w.line("x = torch.max_pool2d(torch.replication_pad2d(x, [0, 1, 0, 1]), [2, 2], [1, 1])");
  w.conv(6, "x", "x");
  w.conv(7, "route", "x");
  w.conv(8, "out32", "route");
  w.conv(9, "out32", "out32");
  w.conv(10, "up", "route");
  w.line("x = torch.cat([" + upsample("up") + ", skip16], 1)");
  w.conv(11, "head16", "x");
  w.conv(12, "out16", "head16");
  if (!threeHeads) {
    w.line("return [out16, out32]");
    return;
  }
  w.conv(13, "up", "head16");
  w.line("x = torch.cat([" + upsample("up") + ", skip8], 1)");
  w.conv(14, "x", "x");
  w.conv(15, "out8", "x");
  w.line("return [out8, out16, out32]");
}

// Mirrors Darknet53Impl + YoloV3Impl::forward (stem 0; per stage a stride-2 conv then residual
// pairs; head32 52-58 + lateral 59; head16 60-66 + lateral 67; head8 68-74).
void writeYoloV3(NetworkWriter& w) {
  w.conv(0, "x", "x");
  const int blocks[] = {1, 2, 8, 8, 4};
  int i = 1;
  for (int s = 0; s < 5; ++s) {
    w.conv(i++, "x", "x");
    for (int b = 0; b < blocks[s]; ++b, i += 2) {
      w.conv(i, "r", "x");
      w.conv(i + 1, "r", "r");
      w.line("x = x + r");
    }
    if (s == 2) w.line("stride8 = x");
    if (s == 3) w.line("stride16 = x");
  }
  TORCH_CHECK(i == 52, "export: Darknet-53 ends at conv ", i, ", expected 52");
  w.chain(52, 56, "x");
  w.conv(57, "out32", "x");
  w.conv(58, "out32", "out32");
  w.conv(59, "up", "x");
  w.line("x = torch.cat([" + upsample("up") + ", stride16], 1)");
  w.chain(60, 64, "x");
  w.conv(65, "out16", "x");
  w.conv(66, "out16", "out16");
  w.conv(67, "up", "x");
  w.line("x = torch.cat([" + upsample("up") + ", stride8], 1)");
  w.chain(68, 72, "x");
  w.conv(73, "out8", "x");
  w.conv(74, "out8", "out8");
  w.line("return [out8, out16, out32]");
}

}  // namespace

std::string torchScriptSource(const YoloNetImpl& net, const TorchScriptExportOptions& options) {
  const std::vector<ConvBlock> convs = net.convsInDarknetOrder();
  NetworkWriter w(convs);
  const std::string& architecture = net.spec().architecture;
  if (architecture == "yolov3")
    writeYoloV3(w);
  else
    writeTiny(w, architecture == "yolov3-tiny-3l");

  std::ostringstream src;
  src.precision(10);  // kMaxLogScale to its last digit
  src << "def network(self, x: Tensor) -> List[Tensor]:\n" << w.str() << "\n";
  // Same arithmetic as model::decode, with corners instead of centres in the output.
  src << "def decode_scale(self, raw: Tensor, anchors: Tensor, stride: int) -> Tensor:\n"
         "        b = raw.size(0)\n"
         "        h = raw.size(2)\n"
         "        w = raw.size(3)\n"
         "        p = raw.reshape([b, 3, raw.size(1) // 3, h, w]).permute([0, 3, 4, 1, 2])\n"
         "        cols = torch.arange(w, dtype=p.dtype, device=p.device).view([1, 1, w, 1])\n"
         "        rows = torch.arange(h, dtype=p.dtype, device=p.device).view([1, h, 1, 1])\n"
         "        cx = (torch.sigmoid(p[..., 0]) + cols) * stride\n"
         "        cy = (torch.sigmoid(p[..., 1]) + rows) * stride\n"
         "        bw = torch.exp(torch.clamp_max(p[..., 2], "
      << kMaxLogScale
      << ")) * anchors[:, 0]\n"
         "        bh = torch.exp(torch.clamp_max(p[..., 3], "
      << kMaxLogScale
      << ")) * anchors[:, 1]\n"
         "        corners = torch.stack([cx - bw * 0.5, cy - bh * 0.5, cx + bw * 0.5, "
         "cy + bh * 0.5], -1)\n"
         "        rest = torch.sigmoid(p[..., 4:])\n"
         "        return torch.cat([corners, rest], -1).reshape([b, -1, p.size(-1)])\n\n";
  src << "def decoded(self, x: Tensor) -> Tensor:\n"
         "        assert x.dim() == 4 and x.size(0) == 1 and x.size(1) == 3, "
         "\"expected input [1, 3, H, W]\"\n"
         "        assert x.size(2) % 32 == 0 and x.size(3) % 32 == 0, "
         "\"input height and width must be multiples of 32\"\n"
         "        heads = self.network(x)\n"
         "        parts: List[Tensor] = []\n";
  for (size_t s = 0; s < net.strides().size(); ++s)
    src << "        parts.append(self.decode_scale(heads[" << s << "], self.anchors" << s << ", "
        << net.strides()[s] << "))\n";
  src << "        return torch.cat(parts, 1)[0]\n\n";
  // Greedy per-class NMS, the semantics of infer::nmsPerClass: descending score (stable, so
  // equal scores keep the lower index first), suppress same-class IoU > threshold.
  src << "def nms(self, rows: Tensor, width: int, height: int) -> Tensor:\n"
         "        probs, classes = torch.max(rows[:, 5:], 1)\n"
         "        scores = rows[:, 4] * probs\n"
         "        x1 = torch.clamp(rows[:, 0], 0.0, float(width))\n"
         "        y1 = torch.clamp(rows[:, 1], 0.0, float(height))\n"
         "        x2 = torch.clamp(rows[:, 2], 0.0, float(width))\n"
         "        y2 = torch.clamp(rows[:, 3], 0.0, float(height))\n"
         "        keep = (scores > self.score_threshold) & (x2 > x1) & (y2 > y1)\n"
         "        scores = scores[keep]\n"
         "        order = torch.sort(scores, dim=0, descending=True, stable=True)[1]\n"
         "        scores = scores[order]\n"
         "        classes = classes[keep][order]\n"
         "        x1 = x1[keep][order]\n"
         "        y1 = y1[keep][order]\n"
         "        x2 = x2[keep][order]\n"
         "        y2 = y2[keep][order]\n"
         "        areas = (x2 - x1) * (y2 - y1)\n"
         "        n = scores.size(0)\n"
         "        suppressed = torch.zeros_like(scores) > 1.0\n"
         "        kept: List[int] = []\n"
         "        for i in range(n):\n"
         "            if bool(suppressed[i]):\n"
         "                continue\n"
         "            kept.append(i)\n"
         "            if self.max_detections > 0 and len(kept) >= self.max_detections:\n"
         "                break\n"
         "            iw = torch.minimum(x2, x2[i]) - torch.maximum(x1, x1[i])\n"
         "            ih = torch.minimum(y2, y2[i]) - torch.maximum(y1, y1[i])\n"
         "            inter = torch.clamp_min(iw, 0.0) * torch.clamp_min(ih, 0.0)\n"
         "            union = areas + areas[i] - inter\n"
         "            iou = torch.where(union > 0, inter / union, torch.zeros_like(union))\n"
         "            suppressed = suppressed | ((iou > self.iou_threshold) & (classes == "
         "classes[i]))\n"
         "        idx = torch.tensor(kept, device=scores.device)\n"
         "        return torch.stack([x1[idx], y1[idx], x2[idx], y2[idx], scores[idx], "
         "classes[idx].to(scores.dtype)], 1)\n\n";
  src << "def forward(self, x: Tensor) -> Tensor:\n";
  if (options.withNms)
    src << "        return self.nms(self.decoded(x), x.size(3), x.size(2))\n";
  else
    src << "        return self.decoded(x)\n";
  return src.str();
}

torch::jit::Module buildTorchScriptModule(const YoloNetImpl& net,
                                          const std::vector<std::string>& classNames,
                                          const TorchScriptExportOptions& options) {
  const ModelSpec& spec = net.spec();
  if (static_cast<int>(classNames.size()) != spec.numClasses)
    throw std::invalid_argument("export: " + std::to_string(classNames.size()) +
                                " class names for a model with " + std::to_string(spec.numClasses) +
                                " classes");
  torch::NoGradGuard noGrad;
  torch::jit::Module m("YoloDetector");
  const std::vector<ConvBlock> convs = net.convsInDarknetOrder();
  for (size_t i = 0; i < convs.size(); ++i) {
    const FoldedConv f = foldedConv(*convs[i]);
    m.register_buffer("w" + std::to_string(i), f.weight.to(torch::kCPU, torch::kFloat));
    m.register_buffer("b" + std::to_string(i), f.bias.to(torch::kCPU, torch::kFloat));
  }
  for (size_t s = 0; s < net.anchors().size(); ++s) {
    std::vector<float> flat;
    for (const auto& wh : net.anchors()[s]) flat.insert(flat.end(), {wh[0], wh[1]});
    m.register_buffer("anchors" + std::to_string(s),
                      torch::tensor(flat).view({static_cast<int64_t>(flat.size() / 2), 2}));
  }
  c10::List<std::string> names;
  for (const auto& n : classNames) names.push_back(n);
  m.register_attribute("class_names", c10::ListType::ofStrings(), names);
  m.register_attribute("architecture", c10::StringType::get(), spec.architecture);
  m.register_attribute("input_size", c10::IntType::get(), static_cast<int64_t>(spec.inputSize));
  m.register_attribute("num_classes", c10::IntType::get(), static_cast<int64_t>(spec.numClasses));
  m.register_attribute("with_nms", c10::BoolType::get(), options.withNms);
  m.register_attribute("score_threshold", c10::FloatType::get(), options.scoreThreshold);
  m.register_attribute("iou_threshold", c10::FloatType::get(), options.iouThreshold);
  m.register_attribute("max_detections", c10::IntType::get(), options.maxDetections);
  m.define(torchScriptSource(net, options));
  m.eval();
  return m;
}

void exportTorchScript(const YoloNetImpl& net, const std::vector<std::string>& classNames,
                       const std::filesystem::path& file, const TorchScriptExportOptions& options) {
  torch::jit::Module m = buildTorchScriptModule(net, classNames, options);
  if (file.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    if (ec)
      throw std::runtime_error(file.parent_path().string() + ": cannot create folder (" +
                               ec.message() + ")");
  }
  // Serialized in memory first: libtorch's zip writer ends the process when the stream it
  // writes to fails (a full disk), so it never writes to the file itself.
  std::ostringstream serialized;
  m.save(serialized);
  writeFileAtomically(file, [&](std::ostream& out) { out << serialized.str(); });
}

}  // namespace yolo::model
