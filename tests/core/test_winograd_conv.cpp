// The Winograd convolutions compute a padded 3x3 convolution as libtorch's direct one does:
// the Detector's (infer::WinogradConv3x3, plus bias, LeakyReLU and a residual add, on
// oneDNN's nChw8c layout, also for more tiles than one chunk holds) and the training one
// (model::winogradConv3x3, its input and weight gradients too, batched), for image sizes that
// are and are not multiples of the 4x4 tile.

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/infer/onednn_network.h"
#include "core/infer/winograd_conv.h"
#include "core/model/winograd_conv.h"
#include "core/util/winograd_transforms.h"
#include "tests/core/support.h"

using namespace yolo;

namespace {

using winograd::fromBlocked;
using winograd::toBlocked;

struct Case {
  int in, out, height, width;
  bool leaky, residual;
};

class WinogradConv : public test::SeededTest {};

}  // namespace

TEST_F(WinogradConv, EqualsTheDirectConvolution) {
  if (!infer::WinogradConv3x3::available()) GTEST_SKIP() << "no AVX2/FMA or no oneDNN";
  // 13x13 and 7x9: partial tiles at the right and bottom; 108x108 with 128 -> 256 channels:
  // 729 tiles, more than one chunk's work space holds: two chunks, the second one tile short.
  for (const Case& c : std::vector<Case>{{16, 32, 13, 13, true, false},
                                         {32, 32, 7, 9, false, true},
                                         {64, 24, 8, 8, true, true},
                                         {128, 256, 108, 108, true, true}}) {
    SCOPED_TRACE(std::to_string(c.in) + "->" + std::to_string(c.out) + " at " +
                 std::to_string(c.height) + "x" + std::to_string(c.width));
    const auto x = torch::randn({1, c.in, c.height, c.width});
    const auto weight = torch::randn({c.out, c.in, 3, 3}) / std::sqrt(9.0 * c.in);
    const auto bias = torch::randn({c.out});
    const auto addend = torch::randn({1, c.out, c.height, c.width});
    auto expected = torch::conv2d(x, weight, bias, 1, 1);
    if (c.leaky) expected = torch::leaky_relu(expected, 0.1);
    if (c.residual) expected = expected + addend;

    infer::WinogradConv3x3 conv(weight.data_ptr<float>(), bias.data_ptr<float>(), c.in, c.out,
                                c.height, c.width, c.leaky);
    std::vector<float> scratch(conv.scratchFloats());
    const auto src = toBlocked(x), sum = toBlocked(addend);
    // Garbage in the output and work space must not leak into the result.
    auto dst = torch::full({1, c.out / 8, c.height, c.width, 8}, std::nanf(""));
    std::fill(scratch.begin(), scratch.end(), std::nanf(""));
    conv.run(src.data_ptr<float>(), c.residual ? sum.data_ptr<float>() : nullptr,
             dst.data_ptr<float>(), scratch.data());
    const double diff = (fromBlocked(dst) - expected).abs().max().item<double>();
    EXPECT_LT(diff, 1e-4 * std::max(1.0, expected.abs().max().item<double>()));

    // A second run with other data through the same object.
    const auto x2 = toBlocked(torch::randn({1, c.in, c.height, c.width}));
    conv.run(x2.data_ptr<float>(), c.residual ? sum.data_ptr<float>() : nullptr,
             dst.data_ptr<float>(), scratch.data());
    auto expected2 = torch::conv2d(fromBlocked(x2), weight, bias, 1, 1);
    if (c.leaky) expected2 = torch::leaky_relu(expected2, 0.1);
    if (c.residual) expected2 = expected2 + addend;
    EXPECT_TRUE(torch::allclose(fromBlocked(dst), expected2, 1e-4, 1e-4));
  }
}

TEST_F(WinogradConv, PlainFilterTransformEqualsTheTensorOne) {
  // Both compute G g G^T in double and round once to float; the sums run in other orders, so
  // a value may round to the neighbouring float: one float ulp of the largest value.
  const int out = 24, in = 16;
  const auto weights = torch::randn({out, in, 3, 3});
  const auto expected = winograd::transformWeights(weights.to(torch::kDouble)).to(torch::kFloat);
  auto plain = torch::empty({winograd::kPoints, in, out});
  winograd::transformFilters(weights.data_ptr<float>(), out, in, plain.data_ptr<float>());
  const double largest = expected.abs().max().item<double>();
  EXPECT_LE((plain - expected).abs().max().item<double>(), largest * std::ldexp(1.0, -23));
}

TEST_F(WinogradConv, RefusesChannelCountsThatAreNotBlocksOf8) {
  if (!infer::WinogradConv3x3::available()) GTEST_SKIP() << "no AVX2/FMA or no oneDNN";
  const std::vector<float> weight(12 * 16 * 9), bias(16);
  EXPECT_THROW(infer::WinogradConv3x3(weight.data(), bias.data(), 12, 16, 8, 8, true),
               std::runtime_error);
}

TEST_F(WinogradConv, TrainingConvolutionHasTheDirectGradients) {
  // The training conv needs only the transforms (oneDNN or not): skips only without AVX2/FMA.
  if (!winograd::available()) GTEST_SKIP() << "no AVX2/FMA";
  for (const Case& c : std::vector<Case>{{16, 24, 13, 13, false, false},
                                         {8, 8, 10, 7, false, false},
                                         {32, 64, 16, 16, false, false}}) {
    SCOPED_TRACE(std::to_string(c.in) + "->" + std::to_string(c.out) + " at " +
                 std::to_string(c.height) + "x" + std::to_string(c.width));
    const auto x = torch::randn({2, c.in, c.height, c.width});
    const auto w = torch::randn({c.out, c.in, 3, 3}) / std::sqrt(9.0 * c.in);
    const auto upstream = torch::randn({2, c.out, c.height, c.width});

    const auto xa = x.clone().requires_grad_(true), wa = w.clone().requires_grad_(true);
    const auto expected = torch::conv2d(xa, wa, {}, 1, 1);
    (expected * upstream).sum().backward();
    const auto xb = x.clone().requires_grad_(true), wb = w.clone().requires_grad_(true);
    ASSERT_TRUE(model::winogradConvApplies(xb, wb));
    const auto actual = model::winogradConv3x3(xb, wb);
    (actual * upstream).sum().backward();

    EXPECT_EQ(actual.sizes(), expected.sizes());
    EXPECT_TRUE(torch::allclose(actual, expected, 1e-4, 1e-4)) << "forward";
    EXPECT_TRUE(torch::allclose(xb.grad(), xa.grad(), 1e-4, 1e-4)) << "input gradient";
    const double weightScale = wa.grad().abs().max().item<double>();
    EXPECT_LT((wb.grad() - wa.grad()).abs().max().item<double>(), 1e-4 * weightScale)
        << "weight gradient";
  }
  EXPECT_FALSE(model::winogradConvApplies(torch::randn({1, 12, 8, 8}), torch::randn({8, 12, 3, 3})))
      << "12 input channels";
  EXPECT_FALSE(model::winogradConvApplies(torch::randn({1, 8, 8, 8}), torch::randn({8, 8, 1, 1})))
      << "a 1x1 conv";
  EXPECT_THROW(model::winogradConv3x3(torch::randn({1, 8, 8, 8}), torch::randn({8, 8, 1, 1})),
               std::invalid_argument);
}
