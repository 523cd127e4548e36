#include "tests/core/random_model.h"

#include <torch/torch.h>

#include <cmath>

namespace yolo::test {
namespace {

// Random but well-scaled weights and BN statistics: every conv keeps activations of order 1
// so that a 75-conv network does not saturate or vanish (a comparison of zeros proves nothing).
void randomize(model::YoloNetImpl& net) {
  torch::NoGradGuard noGrad;
  for (const model::ConvBlock& c : net.convsInDarknetOrder()) {
    const auto& o = c->options;
    const double fanIn = static_cast<double>(o.in_channels() * o.kernel_size() * o.kernel_size());
    c->conv->weight.normal_(0.0, 1.0 / std::sqrt(fanIn));
    if (c->bn) {
      c->bn->weight.uniform_(0.5, 1.5);
      c->bn->bias.uniform_(-0.2, 0.2);
      c->bn->running_mean.uniform_(-0.2, 0.2);
      c->bn->running_var.uniform_(0.5, 2.0);
      // A tenth of the channels with a variance near Darknet's epsilon (1e-6) and a gamma
      // scaled to match: there the epsilon matters, so a wrong one cannot pass unnoticed.
      const torch::Tensor tiny = torch::rand({o.out_channels()}) < 0.1;
      c->bn->running_var.masked_fill_(tiny, 1e-5);
      c->bn->weight.copy_(
          torch::where(tiny, c->bn->weight * std::sqrt(1e-5 + 1e-6), c->bn->weight));
    } else {
      c->conv->bias.uniform_(-0.5, 0.5);
    }
  }
  net.eval();
}

}  // namespace

std::shared_ptr<model::YoloNetImpl> randomModel(const std::string& architecture, int classes,
                                                int size) {
  model::ModelSpec spec = model::makeModelSpec(architecture, classes, size);
  spec.init = "kaiming";
  auto net = model::createModel(spec);
  randomize(*net);
  return net;
}

}  // namespace yolo::test
