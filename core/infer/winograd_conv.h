#pragma once
// A 3x3, stride-1, pad-1 convolution for batch-1 CPU inference by Winograd's minimal
// filtering F(4x4, 3x3) (Lavin and Gray, "Fast Algorithms for Convolutional Neural
// Networks", 2016): each 4x4 output tile costs 36 multiplies per input/output channel pair
// instead of 144, at the price of transforms (adds, and a few multiplies by small
// constants) and 4x the weight memory. The transforms are core/util/winograd_transforms.h;
// the 36 products are batched matrix multiplies run by oneDNN's matmul. Why: oneDNN 2.6 has
// Winograd only for AVX-512, and its direct AVX2 convolutions already run near the FMA peak, so
// fewer multiplies is what is left. Results equal a direct convolution's up to float rounding
// (about 1e-5 relative).
//
// Activations are in oneDNN's nChw8c layout (what its AVX2 convolutions use): channel c of
// pixel (y, x) is at ((c / 8 * H + y) * W + x) * 8 + c % 8.

#include <cstddef>
#include <memory>

namespace yolo::infer {

class WinogradConv3x3 {
 public:
  /// Whether this CPU (AVX2 with FMA) and this build (oneDNN found) can run it.
  static bool available();

  /// Whether it is also faster than oneDNN's direct convolution here: available() and oneDNN
  /// runs AVX2, not AVX-512, kernels on this CPU (ONEDNN_MAX_CPU_ISA=AVX2 makes an AVX-512
  /// CPU answer as an AVX2 one).
  static bool fasterThanDirect();

  /// weights: [outChannels, inChannels, 3, 3] (OIHW), bias: [outChannels]; both copied.
  /// Channel counts must be multiples of 8. `leaky`: LeakyReLU(0.1) after the bias.
  /// Throws std::runtime_error when !available() or a size is invalid.
  WinogradConv3x3(const float* weights, const float* bias, int inChannels, int outChannels,
                  int height, int width, bool leaky);
  ~WinogradConv3x3();
  WinogradConv3x3(const WinogradConv3x3&) = delete;
  WinogradConv3x3& operator=(const WinogradConv3x3&) = delete;

  /// Floats of work space run() needs; one buffer may serve several convs run in turn.
  std::size_t scratchFloats() const;

  /// dst = leaky(conv(src) + bias) + addend (addend may be null), all [1, C, H, W] in
  /// nChw8c; dst must not alias src or addend. `scratch`: scratchFloats() floats.
  /// Runs on libtorch's intra-op threads.
  void run(const float* src, const float* addend, float* dst, float* scratch) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace yolo::infer
