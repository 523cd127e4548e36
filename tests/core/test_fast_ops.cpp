// The fast CPU pools and the fused BatchNorm + LeakyReLU against the libtorch ops they
// replace: forward values, gradients, running statistics.

#include <torch/torch.h>

#include "core/model/conv_block.h"
#include "core/model/fast_ops.h"
#include "tests/core/support.h"

using namespace yolo::model;

namespace {

class FastOps : public yolo::test::SeededTest {
 protected:
  void SetUp() override {
    SeededTest::SetUp();
    torch::set_num_threads(2);
  }
};

struct ForwardBackward {
  torch::Tensor out, grad;
};

ForwardBackward run(const std::function<torch::Tensor(const torch::Tensor&)>& op,
                    const torch::Tensor& input, const torch::Tensor& upstream) {
  torch::Tensor x = input.detach().clone().requires_grad_(true);
  torch::Tensor out = op(x);
  out.backward(upstream);
  return {out.detach(), x.grad()};
}

torch::Tensor referencePool(const torch::Tensor& x) {
  return torch::max_pool2d(x, /*kernel_size=*/2, /*stride=*/2);
}

torch::Tensor referenceStride1Pool(const torch::Tensor& x) {
  namespace F = torch::nn::functional;
  return F::max_pool2d(F::pad(x, F::PadFuncOptions({0, 1, 0, 1}).mode(torch::kReplicate)),
                       F::MaxPool2dFuncOptions(2).stride(1));
}

TEST_F(FastOps, MaxPool2x2MatchesMaxPool2dExactly) {
  // Even and odd sizes (floor mode drops the last row / column), one plane and many.
  for (const auto& shape : std::vector<std::vector<int64_t>>{
           {2, 3, 8, 8}, {1, 1, 7, 9}, {3, 5, 13, 12}, {2, 64, 26, 26}}) {
    SCOPED_TRACE(torch::IntArrayRef(shape));
    const torch::Tensor x = torch::randn(shape);
    const torch::Tensor up = torch::randn({shape[0], shape[1], shape[2] / 2, shape[3] / 2});
    const auto ours = run(maxPool2x2, x, up);
    const auto ref = run(referencePool, x, up);
    EXPECT_TRUE(torch::equal(ours.out, ref.out));
    EXPECT_TRUE(torch::equal(ours.grad, ref.grad));
  }
}

TEST_F(FastOps, MaxPool2x2TiesGoToTheFirstMaximumAsMaxPool2d) {
  // Leaky-ReLU outputs and quantised values tie often: the gradient must pick the same tap.
  const torch::Tensor x = torch::randint(0, 3, {2, 4, 10, 10}).to(torch::kFloat);
  const torch::Tensor up = torch::randn({2, 4, 5, 5});
  const auto ours = run(maxPool2x2, x, up);
  const auto ref = run(referencePool, x, up);
  EXPECT_TRUE(torch::equal(ours.out, ref.out));
  EXPECT_TRUE(torch::equal(ours.grad, ref.grad));
}

TEST_F(FastOps, MaxPool2x2PropagatesNaN) {
  torch::Tensor x = torch::randn({1, 1, 4, 4});
  x[0][0][1][1] = std::numeric_limits<float>::quiet_NaN();
  const torch::Tensor out = maxPool2x2(x);
  EXPECT_TRUE(std::isnan(out[0][0][0][0].item<float>()));
  EXPECT_FALSE(torch::isnan(out.flatten().slice(0, 1)).any().item<bool>());
}

TEST_F(FastOps, Stride1ReplicatePoolMatchesPadThenMaxPool) {
  for (const auto& shape :
       std::vector<std::vector<int64_t>>{{2, 3, 13, 13}, {1, 2, 5, 8}, {2, 16, 10, 10}}) {
    SCOPED_TRACE(torch::IntArrayRef(shape));
    const torch::Tensor x = torch::randn(shape);
    const torch::Tensor up = torch::randn(shape);
    const auto ours = run(maxPool2x2Stride1Replicate, x, up);
    const auto ref = run(referenceStride1Pool, x, up);
    EXPECT_TRUE(torch::equal(ours.out, ref.out));
    // Sums at the replicated edge may add in another order: float rounding only.
    EXPECT_TRUE(torch::allclose(ours.grad, ref.grad, /*rtol=*/1e-6, /*atol=*/1e-6));
  }
  // With ties the gradient still lands where the padded max-pool sends it.
  const torch::Tensor x = torch::randint(0, 2, {1, 3, 6, 7}).to(torch::kFloat);
  const torch::Tensor up = torch::randn({1, 3, 6, 7});
  EXPECT_TRUE(torch::allclose(run(maxPool2x2Stride1Replicate, x, up).grad,
                              run(referenceStride1Pool, x, up).grad, 1e-6, 1e-6));
}

struct BatchNormCase {
  torch::Tensor out, gradX, gradW, gradB, runningMean, runningVar;
};

BatchNormCase batchNormLeaky(bool fused, const torch::Tensor& input, const torch::Tensor& up) {
  const int64_t c = input.size(1);
  torch::manual_seed(7);
  // Drawn in float whatever the input's dtype, so a double reference gets the same values.
  const auto dtype = input.scalar_type();
  torch::Tensor w = (torch::rand({c}) + 0.5).to(dtype).requires_grad_(true);
  torch::Tensor b = (torch::randn({c}) * 0.1).to(dtype).requires_grad_(true);
  torch::Tensor rm = (torch::randn({c}) * 0.1).to(dtype);
  torch::Tensor rv = (torch::rand({c}) + 0.5).to(dtype);
  torch::Tensor x = input.detach().clone().requires_grad_(true);
  torch::Tensor out = fused ? batchNormLeakyTraining(x, w, b, rm, rv, 0.1, 1e-6, 0.1)
                            : torch::leaky_relu(torch::batch_norm(x, w, b, rm, rv, true, 0.1,
                                                                  1e-6, true),
                                                0.1);
  out.backward(up);
  return {out.detach(), x.grad(), w.grad(), b.grad(), rm, rv};
}

void expectClose(const torch::Tensor& ours, const torch::Tensor& ref, const char* what) {
  // Relative to the tensor's scale: a few float roundings apart, far below any real bug.
  const double scale = ref.abs().max().item<double>() + 1e-12;
  const double diff = (ours - ref).abs().max().item<double>();
  EXPECT_LT(diff / scale, 1e-5) << what << ": max difference " << diff << " at scale " << scale;
}

TEST_F(FastOps, FusedBatchNormLeakyMatchesTheTwoOps) {
  for (const auto& shape : std::vector<std::vector<int64_t>>{
           {4, 3, 20, 20}, {2, 16, 45, 61}, {8, 32, 5, 5}, {2, 7, 1, 3}}) {
    SCOPED_TRACE(torch::IntArrayRef(shape));
    // Off-centre, scaled input like a conv output; an upstream gradient like a loss's.
    const torch::Tensor x = torch::randn(shape) * 3 + 1.5;
    const torch::Tensor up = torch::randn(shape);
    const auto ours = batchNormLeaky(true, x, up);
    const auto ref = batchNormLeaky(false, x, up);
    expectClose(ours.out, ref.out, "output");
    expectClose(ours.gradX, ref.gradX, "input gradient");
    expectClose(ours.gradW, ref.gradW, "weight gradient");
    expectClose(ours.gradB, ref.gradB, "bias gradient");
    expectClose(ours.runningMean, ref.runningMean, "running mean");
    expectClose(ours.runningVar, ref.runningVar, "running var");
  }
}

TEST_F(FastOps, FusedBatchNormLeakyKeepsLargeMeansAccurate) {
  // A large mean against a small spread: neither the variance nor the normalised values may
  // drown in rounding. The reference runs the unfused ops in double.
  const torch::Tensor x = torch::randn({4, 2, 64, 64}) * 0.01 + 100;
  const torch::Tensor up = torch::randn({4, 2, 64, 64});
  const auto ours = batchNormLeaky(true, x, up);
  const auto ref = batchNormLeaky(false, x.to(torch::kDouble), up.to(torch::kDouble));
  expectClose(ours.out, ref.out.to(torch::kFloat), "output");
  expectClose(ours.runningVar, ref.runningVar.to(torch::kFloat), "running var");
}

TEST_F(FastOps, ConvBlockKeepsBatchNormStateAndEvalUsesRunningStats) {
  ConvBlock block(ConvBlockOptions(3, 8, 3));
  torch::nn::Conv2d conv = block->conv;
  torch::nn::BatchNorm2d bn = block->bn;
  // The same layers run unfused, from the same weights.
  torch::nn::BatchNorm2d plainBn(torch::nn::BatchNorm2dOptions(8).eps(1e-6).momentum(0.1));
  const torch::Tensor x = torch::randn({2, 3, 12, 12});
  block->train();
  plainBn->train();
  for (int step = 0; step < 3; ++step) {
    const torch::Tensor ours = block->forward(x + step);
    const torch::Tensor ref = torch::leaky_relu(plainBn->forward(conv->forward(x + step)), 0.1);
    expectClose(ours, ref, "training output");
  }
  expectClose(bn->running_mean, plainBn->running_mean, "running mean");
  expectClose(bn->running_var, plainBn->running_var, "running var");
  EXPECT_EQ(bn->num_batches_tracked.item<int64_t>(), 3);
  // The state dict still names conv.weight, bn.weight, bn.running_mean, ...
  const auto names = block->named_buffers().keys();
  EXPECT_NE(std::find(names.begin(), names.end(), "bn.running_var"), names.end());

  block->eval();
  plainBn->eval();
  torch::NoGradGuard noGrad;
  expectClose(block->forward(x), torch::leaky_relu(plainBn->forward(conv->forward(x)), 0.1),
              "eval output");
}

}  // namespace
