#include <torch/torch.h>

#include "core/model/calibrate_batchnorm.h"

namespace yolo::model {

void calibrateBatchNorm(YoloNetImpl& net, const torch::Tensor& images) {
  torch::NoGradGuard noGrad;
  auto convs = net.convsInDarknetOrder();
  for (ConvBlock& block : convs) {
    if (!block->bn) continue;
    // gamma and beta first: the statistics of later layers must see the final activations.
    block->bn->weight.uniform_(0.5, 1.5);
    block->bn->bias.normal_(0.0, 0.1);
  }
  std::vector<c10::optional<double>> momentum;
  for (ConvBlock& block : convs) {
    if (!block->bn) continue;
    momentum.push_back(block->bn->options.momentum());
    block->bn->options.momentum(1.0);  // running stats := this batch's stats
  }
  net.train();
  net.forward(images);
  net.eval();
  size_t i = 0;
  for (ConvBlock& block : convs)
    if (block->bn) block->bn->options.momentum(momentum[i++]);
}

}  // namespace yolo::model
