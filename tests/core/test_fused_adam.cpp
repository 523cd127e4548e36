// FusedAdam: the numbers, state and checkpoints of torch::optim::Adam, one pass per parameter.

#include <torch/torch.h>

#include <algorithm>
#include <sstream>
#include <utility>
#include <vector>

#include "core/train/fused_adam.h"
#include "tests/core/support.h"

using yolo::train::FusedAdam;

namespace {

/// Parameters of a few shapes, one of which never gets a gradient.
std::vector<torch::Tensor> makeParams() {
  std::vector<torch::Tensor> params;
  for (const auto& shape : std::vector<std::vector<int64_t>>{{64, 32, 3, 3}, {64}, {7}, {100003}})
    params.push_back(torch::randn(shape).set_requires_grad(true));
  return params;
}

std::vector<torch::Tensor> cloneParams(const std::vector<torch::Tensor>& params) {
  std::vector<torch::Tensor> out;
  for (const auto& p : params) out.push_back(p.detach().clone().set_requires_grad(true));
  return out;
}

/// The same random gradients (times `scale`) on every set of parameters (none for the third
/// parameter), then one step of each optimizer.
void stepAll(
    const std::vector<std::pair<torch::optim::Optimizer*, std::vector<torch::Tensor>*>>& runs,
    int step, double scale = 1.0) {
  const auto& first = *runs.front().second;
  for (size_t i = 0; i < first.size(); ++i) {
    if (i == 2) continue;
    const auto g = torch::randn_like(first[i]) * (scale * (1.0 + step));
    for (const auto& run : runs) (*run.second)[i].mutable_grad() = g.clone();
  }
  for (const auto& run : runs) run.first->step();
}

void expectSameParams(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    const double scale = std::max(1.0, a[i].abs().max().item<double>());
    EXPECT_LT((a[i] - b[i]).abs().max().item<double>(), 1e-6 * scale) << "parameter " << i;
  }
}

/// Whether every moment tensor of `optimizer` is as created: the fused loop writes them
/// through pointers, libtorch's in-place ops bump their version counters.
bool momentsOnlyWrittenInPlace(torch::optim::Optimizer& optimizer) {
  bool untouched = !optimizer.state().empty();
  for (auto& entry : optimizer.state()) {
    const auto& s = static_cast<torch::optim::AdamParamState&>(*entry.second);
    untouched = untouched && s.exp_avg()._version() == 0 && s.exp_avg_sq()._version() == 0;
  }
  return untouched;
}

/// torch::optim::Adam and FusedAdam with the same options on copies of the same parameters.
struct SideBySide {
  explicit SideBySide(const torch::optim::AdamOptions& options)
      : reference(makeParams()),
        fused(cloneParams(reference)),
        plainAdam(reference, options),
        fusedAdam(fused, options) {}
  /// `steps` steps of both, with the same gradients.
  void run(int steps) {
    for (int step = 0; step < steps; ++step)
      stepAll({{&plainAdam, &reference}, {&fusedAdam, &fused}}, step);
  }
  std::vector<torch::Tensor> reference, fused;
  torch::optim::Adam plainAdam;
  FusedAdam fusedAdam;
};

class FusedAdamTest : public yolo::test::SeededTest {};

}  // namespace

TEST_F(FusedAdamTest, StepsAsTorchAdam) {
  for (double weightDecay : {0.0, 5e-4}) {
    SideBySide both(torch::optim::AdamOptions(1e-3).weight_decay(weightDecay));
    both.run(6);
    expectSameParams(both.reference, both.fused);
    EXPECT_TRUE(torch::equal(both.fused[2], both.reference[2])) << "no gradient, no change";
    EXPECT_TRUE(momentsOnlyWrittenInPlace(both.fusedAdam)) << "the fused loop ran";
    EXPECT_FALSE(momentsOnlyWrittenInPlace(both.plainAdam));
    EXPECT_FALSE(torch::equal(both.fused[0], makeParams()[0])) << "the others moved";
  }
}

TEST_F(FusedAdamTest, TinyGradientsAndGroupsOfTheirOwn) {
  // Gradients near eps show where eps goes; two groups with their own lr and weight decay.
  auto reference = makeParams();
  auto fused = cloneParams(reference);
  const auto groups = [](std::vector<torch::Tensor>& p) {
    std::vector<torch::optim::OptimizerParamGroup> g;
    g.emplace_back(
        std::vector<torch::Tensor>{p[0], p[1]},
        std::make_unique<torch::optim::AdamOptions>(torch::optim::AdamOptions(1e-3).eps(1e-6)));
    g.emplace_back(std::vector<torch::Tensor>{p[2], p[3]},
                   std::make_unique<torch::optim::AdamOptions>(
                       torch::optim::AdamOptions(3e-2).eps(1e-6).weight_decay(1e-2)));
    return g;
  };
  torch::optim::Adam plainAdam(groups(reference), torch::optim::AdamOptions(1e-3));
  FusedAdam fusedAdam(groups(fused), torch::optim::AdamOptions(1e-3));
  for (int step = 0; step < 5; ++step)
    stepAll({{&plainAdam, &reference}, {&fusedAdam, &fused}}, step, /*scale=*/1e-7);
  expectSameParams(reference, fused);
  EXPECT_TRUE(momentsOnlyWrittenInPlace(fusedAdam));
}

TEST_F(FusedAdamTest, CheckpointsAreTorchAdams) {
  // FusedAdam's saved state continues in torch::optim::Adam and the other way round.
  auto a = makeParams();
  auto b = cloneParams(a);
  torch::optim::Adam plainAdam(a, torch::optim::AdamOptions(2e-3));
  FusedAdam fusedAdam(b, torch::optim::AdamOptions(2e-3));
  for (int step = 0; step < 3; ++step) stepAll({{&plainAdam, &a}, {&fusedAdam, &b}}, step);

  std::stringstream fusedSaved, plainSaved;
  {
    torch::serialize::OutputArchive archive;
    fusedAdam.save(archive);
    archive.save_to(fusedSaved);
    torch::serialize::OutputArchive other;
    plainAdam.save(other);
    other.save_to(plainSaved);
  }
  auto c = cloneParams(b);
  auto d = cloneParams(a);
  torch::optim::Adam plainResumed(c, torch::optim::AdamOptions(2e-3));
  FusedAdam fusedResumed(d, torch::optim::AdamOptions(2e-3));
  {
    torch::serialize::InputArchive archive;
    archive.load_from(fusedSaved);
    plainResumed.load(archive);
    torch::serialize::InputArchive other;
    other.load_from(plainSaved);
    fusedResumed.load(other);
  }
  for (int step = 3; step < 6; ++step)
    stepAll({{&plainAdam, &a}, {&fusedAdam, &b}, {&plainResumed, &c}, {&fusedResumed, &d}}, step);
  expectSameParams(a, b);
  expectSameParams(a, c);
  expectSameParams(a, d);
}

TEST_F(FusedAdamTest, AmsgradGoesThroughTorchAdam) {
  SideBySide both(torch::optim::AdamOptions(1e-3).amsgrad(true));
  both.run(4);
  for (size_t i = 0; i < both.fused.size(); ++i)
    EXPECT_TRUE(torch::equal(both.fused[i], both.reference[i]));
}
