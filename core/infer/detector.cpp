#include <torch/torch.h>

#include "core/infer/detector.h"

#include <stdexcept>

#include <opencv2/imgcodecs.hpp>

#include "core/data/annotation_file.h"
#include "core/infer/explain_detections.h"
#include "core/infer/onednn_network.h"
#include "core/infer/postprocess.h"
#include "core/infer/winograd_conv.h"
#include "core/model/fold_batchnorm.h"
#include "core/model/yolo_net.h"
#include "core/run/checkpoint_model.h"
#include "core/util/compute_device.h"
#include "core/util/compute_threads.h"
#include "core/util/image_file.h"
#include "core/util/letterbox.h"

namespace yolo::infer {

namespace fs = std::filesystem;

namespace {

/// Whether the network runs in channels-last memory format (see Detector::load).
constexpr bool kChannelsLast = false;

/// The letterboxed input (contiguous NCHW) in the memory format the network runs in.
torch::Tensor networkInput(const torch::Tensor& input) {
  return kChannelsLast ? input.contiguous(torch::MemoryFormat::ChannelsLast) : input;
}

}  // namespace

struct Detector::Impl {
  fs::path checkpoint;
  std::vector<std::string> classNames;
  std::shared_ptr<model::YoloNetImpl> net;
  torch::Device device{torch::kCPU};
  // The CPU network run straight on oneDNN when this build has it (else net->forward(); with
  // it, the net's weights are released).
  std::unique_ptr<OneDnnNetwork> onednn;
  // [1, 3, S, S] float, contiguous (NCHW), on the CPU: letterboxRgbFloatInto() writes
  // straight into its memory, reused for every image.
  torch::Tensor input;

  // The last image's network output, so refilter() needs no network run.
  torch::Tensor candidates;  // [K, 5 + C] CPU, see decodeCandidates()
  torch::Tensor origins;     // [K] int64: where each candidate comes from (explain())
  std::vector<HeadLayout> heads;
  LetterboxGeometry geometry;
  int sourceWidth = 0, sourceHeight = 0;

  /// The network on `input`: raw heads, ascending stride. Call under torch::InferenceMode.
  std::vector<torch::Tensor> runNetwork() {
    if (onednn) return onednn->forward(input);
    return net->forward(networkInput(input).to(device));
  }
};

Detector::Detector() : impl_(std::make_unique<Impl>()) {}
Detector::~Detector() = default;

std::unique_ptr<Detector> Detector::load(const fs::path& modelPath, const std::string& device,
                                         int threads, DetectorUse use) {
  // Set before building anything: intra-op parallelism is process-wide in libtorch.
  setComputeThreads(threads);

  run::CheckpointModel loaded = run::loadCheckpointModel(modelPath);
  const model::ModelSpec& spec = loaded.net->spec();
  std::unique_ptr<Detector> d(new Detector());
  Impl& impl = *d->impl_;
  impl.checkpoint = loaded.file;
  impl.classNames = std::move(loaded.classNames);
  impl.device = computeDevice(device);
  impl.net = std::move(loaded.net);
  impl.net->to(impl.device);
  // This network is the Detector's own, never trained: fold BatchNorm into the convs (one
  // elementwise pass less per conv). On the CPU it runs as a OneDnnNetwork where this build
  // has one (activations kept in oneDNN's layout, LeakyReLU fused, 3x3 convs as Winograd
  // convolutions), else with the conv weights prepacked in oneDNN's layout (no reorder per
  // call; oneDNN for the 1x1 convs on one thread too). Channels-last weights and activations
  // did not pay on Debian's libtorch 1.13 in bench_inference (5-30% slower forward passes,
  // see bench/README.md), so the network stays NCHW; kChannelsLast turns it back on. The
  // Winograd convolutions run only where they beat the direct ones (AVX2 CPUs) and enough
  // images follow to pay for their filters (DetectorUse).
  const bool manyImages = use == DetectorUse::kManyImages;
  const bool winograd = manyImages && WinogradConv3x3::fasterThanDirect();
  if (impl.device.is_cpu() && oneDnnNetworkAvailable()) {
    // OneDnnNetwork folds each conv's BatchNorm as it copies the conv: folding the whole net
    // first would only add a pass and, for a moment, a second copy of every weight.
    impl.onednn = std::make_unique<OneDnnNetwork>(*impl.net, winograd);
    // The oneDNN copy is what runs; the net stays for its spec, anchors and strides (decoding),
    // without weights: YOLOv3's are 240 MB.
    torch::NoGradGuard noGrad;
    for (auto& tensor : impl.net->parameters()) tensor.set_data(torch::empty({0}));
    for (auto& tensor : impl.net->buffers()) tensor.set_data(torch::empty({0}));
  } else {
    model::foldBatchNorm(*impl.net);
    if (kChannelsLast) model::convertToChannelsLast(*impl.net);
    if (impl.device.is_cpu() && model::canPrepackForCpuInference())
      model::prepackForCpuInference(*impl.net);
  }
  impl.heads = headLayouts(*impl.net);
  impl.input = torch::empty({1, 3, spec.inputSize, spec.inputSize},
                            torch::TensorOptions().dtype(torch::kFloat));
  if (manyImages) {
    // The first forward pass sets up kernels and memory pools; pay it here so detect()
    // times are steady from the first image. For a few images it would only add a pass.
    torch::InferenceMode guard;
    impl.input.zero_();
    impl.runNetwork();
  }
  return d;
}

std::vector<Detection> Detector::detect(const cv::Mat& image, const DetectOptions& options) {
  Impl& impl = *impl_;
  const cv::Mat bgr = toBgr8(image);
  const LetterboxGeometry geometry =
      letterboxRgbFloatInto(bgr, impl.net->spec().inputSize, impl.input.data_ptr<float>());
  {
    torch::InferenceMode guard;
    std::vector<torch::Tensor> origins;
    impl.candidates =
        decodeCandidates(impl.runNetwork(), *impl.net, kCandidateMinScore, &origins).front();
    impl.origins = origins.front();
  }
  impl.geometry = geometry;
  impl.sourceWidth = bgr.cols;
  impl.sourceHeight = bgr.rows;
  return refilter(options);
}

std::vector<Detection> Detector::refilter(const DetectOptions& options) const {
  const Impl& impl = *impl_;
  if (!impl.candidates.defined()) return {};
  torch::InferenceMode guard;
  return toDetections(
      postprocess(impl.candidates, impl.geometry, impl.sourceWidth, impl.sourceHeight, options),
      impl.classNames);
}

std::vector<DetectionExplanation> Detector::explain(const DetectOptions& options) const {
  const Impl& impl = *impl_;
  if (!impl.candidates.defined()) return {};
  torch::InferenceMode guard;
  return explainDetections(impl.candidates, impl.origins, impl.heads, impl.geometry,
                           impl.sourceWidth, impl.sourceHeight, options, impl.classNames);
}

std::optional<Candidate> Detector::strongestUndetectedAt(float x, float y,
                                                         const DetectOptions& options) const {
  const Impl& impl = *impl_;
  if (!impl.candidates.defined()) return std::nullopt;
  torch::InferenceMode guard;
  return infer::strongestUndetectedAt(x, y, impl.candidates, impl.origins, impl.heads,
                                      impl.geometry, impl.sourceWidth, impl.sourceHeight, options,
                                      impl.classNames);
}

const std::vector<std::string>& Detector::classNames() const { return impl_->classNames; }
int Detector::inputSize() const { return impl_->net->spec().inputSize; }
const fs::path& Detector::checkpointPath() const { return impl_->checkpoint; }

}  // namespace yolo::infer
