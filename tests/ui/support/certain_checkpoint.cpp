#include "tests/ui/support/certain_checkpoint.h"

#include <torch/torch.h>

#include <cmath>

#include "core/model/yolo_net.h"
#include "core/run/checkpoint.h"

namespace yolo::test {

namespace {

float logit(float p) { return std::log(p / (1.f - p)); }

}  // namespace

std::filesystem::path writeCertainCheckpoint(const std::filesystem::path& dir, int inputSize) {
  constexpr int kClasses = 2;
  run::CheckpointHeader header;
  header.config.model = model::makeModelSpec("yolov3-tiny", kClasses, inputSize);
  header.classNames = {"zero", "one"};
  auto net = model::createModel(header.config.model);

  // The output convs (Darknet order: stride 32 first, then stride 16) are the only convs
  // without BatchNorm. Zero weights make each cell's prediction its bias alone.
  const float objectness32[] = {0.8f, 0.6f, 0.4f};
  const float objectness16[] = {0.9f, 0.7f, 0.5f};
  int head = 0;
  torch::NoGradGuard noGrad;
  for (const model::ConvBlock& block : net->convsInDarknetOrder()) {
    if (block->options.batch_norm()) continue;
    const float* objectness = head == 0 ? objectness32 : objectness16;
    ++head;
    block->conv->weight.zero_();
    auto bias = block->conv->bias;
    bias.zero_();  // tx = ty = 0: centred; tw = th = 0: the anchor's own size
    const int64_t per = 5 + kClasses;
    for (int a = 0; a < model::kAnchorsPerScale; ++a) {
      bias[a * per + 4] = logit(objectness[a]);
      bias[a * per + 5] = 9.f;   // class "zero"
      bias[a * per + 6] = -9.f;  // class "one"
    }
  }
  TORCH_CHECK(head == 2, "yolov3-tiny has ", head, " output convs, expected 2");

  const std::filesystem::path path = dir / "certain.pt";
  run::saveCheckpoint(path, header, *net, /*optimizer=*/nullptr);
  return path;
}

}  // namespace yolo::test
