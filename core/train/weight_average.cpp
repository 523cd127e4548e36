#include "core/train/weight_average.h"

#include <algorithm>

namespace yolo::train {
namespace {

std::vector<torch::Tensor> stateOf(const model::YoloNetImpl& net) {
  std::vector<torch::Tensor> state = net.parameters(/*recurse=*/true);
  for (const auto& buffer : net.buffers(/*recurse=*/true)) state.push_back(buffer);
  return state;
}

}  // namespace

WeightAverage::WeightAverage(const model::YoloNetImpl& live, double decay)
    : net_(model::createModel(live.spec())), decay_(decay) {
  TORCH_CHECK(decay > 0 && decay < 1, "weight average decay is ", decay, ", expected (0, 1)");
  const auto params = live.parameters();
  if (!params.empty()) net_->to(params.front().device());
  for (auto& p : net_->parameters()) p.set_requires_grad(false);
  net_->eval();
  reset(live);
}

double WeightAverage::decayAt(int64_t updates) const {
  const double n = static_cast<double>(std::max<int64_t>(0, updates));
  return std::min(decay_, (1.0 + n) / (10.0 + n));
}

void WeightAverage::update(const model::YoloNetImpl& live, int64_t updates) {
  torch::NoGradGuard noGrad;
  const double d = decayAt(updates);
  const auto from = stateOf(live);
  auto to = stateOf(*net_);
  TORCH_CHECK(from.size() == to.size(), "weight average holds ", to.size(),
              " tensors, the network ", from.size());
  for (size_t i = 0; i < to.size(); ++i) {
    if (to[i].is_floating_point()) {
      to[i].lerp_(from[i], 1.0 - d);
    } else {
      to[i].copy_(from[i]);
    }
  }
}

void WeightAverage::reset(const model::YoloNetImpl& live) {
  torch::NoGradGuard noGrad;
  const auto from = stateOf(live);
  auto to = stateOf(*net_);
  for (size_t i = 0; i < to.size(); ++i) to[i].copy_(from[i]);
}

}  // namespace yolo::train
