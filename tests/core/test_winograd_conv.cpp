// WinogradConv3x3 computes a padded 3x3 convolution (plus bias, LeakyReLU and a residual
// add) as libtorch's direct convolution does, on oneDNN's nChw8c layout, for image sizes
// that are and are not multiples of its 4x4 tile, and for more tiles than one chunk holds.

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/infer/onednn_network.h"
#include "core/infer/winograd_conv.h"
#include "tests/core/support.h"

using namespace yolo;

namespace {

// [1, C, H, W] -> nChw8c: [1, C / 8, H, W, 8], contiguous.
torch::Tensor toBlocked(const torch::Tensor& t) {
  const auto c = t.size(1), h = t.size(2), w = t.size(3);
  return t.reshape({1, c / 8, 8, h, w}).permute({0, 1, 3, 4, 2}).contiguous();
}

torch::Tensor fromBlocked(const torch::Tensor& b) {
  return b.permute({0, 1, 4, 2, 3}).reshape({1, b.size(1) * 8, b.size(2), b.size(3)});
}

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

TEST_F(WinogradConv, RefusesChannelCountsThatAreNotBlocksOf8) {
  if (!infer::WinogradConv3x3::available()) GTEST_SKIP() << "no AVX2/FMA or no oneDNN";
  const std::vector<float> weight(12 * 16 * 9), bias(16);
  EXPECT_THROW(infer::WinogradConv3x3(weight.data(), bias.data(), 12, 16, 8, 8, true),
               std::runtime_error);
}
