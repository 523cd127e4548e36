#pragma once
// The transforms of Winograd's minimal filtering F(4x4, 3x3) (Lavin and Gray, "Fast
// Algorithms for Convolutional Neural Networks", 2016) for a 3x3, stride-1, pad-1
// convolution, and their adjoints for the backward pass. A conv of input d with filter g is
//   Y = A^T [ (G g G^T) . (B^T d B) ] A
// per 4x4 output tile (6x6 input window): 36 products per tile and channel pair instead of
// 144 multiplies, the products being 36 matrix multiplies [tiles x in] x [in x out] that a
// BLAS or oneDNN runs. Used by the Detector's network (core/infer/winograd_conv.h) and by
// training convs (core/model/winograd_conv.h).
//
// Activations are in oneDNN's nChw8c layout, batched: channel c of pixel (y, x) of image n
// is at (((n * C / 8 + c / 8) * H + y) * W + x) * 8 + c % 8. Transformed tiles are
// [36 points][tiles][channels]: point p of tile t, channel c at (p * tiles + t) * C + c.
// Channel counts are multiples of 8. AVX2 + FMA code, on libtorch's intra-op threads.

#include <torch/torch.h>

namespace yolo::winograd {

constexpr int kOutputTile = 4;
constexpr int kPoints = 36;

/// Whether this CPU runs the transforms (x86 with AVX2 and FMA).
bool available();

/// The tiles covering `batch` images of height x width, image by image, row by row.
struct TileGrid {
  int batch = 1, height = 0, width = 0;
  int tilesX() const { return (width + kOutputTile - 1) / kOutputTile; }
  int tilesPerImage() const { return tilesX() * ((height + kOutputTile - 1) / kOutputTile); }
  int tiles() const { return batch * tilesPerImage(); }
};

/// B^T d B of tiles [first, first + count) of `src` into `v` ([36][count][channels]); pixels
/// outside the image read as zero, tiles past the grid's end give zeros.
void inputTransform(const float* src, int channels, const TileGrid& grid, int first, int count,
                    float* v);

/// What the output transform adds after A^T m A: a per-channel bias, LeakyReLU(0.1), then
/// an addend shaped like the output (a residual); each optional.
struct Epilogue {
  const float* bias = nullptr;
  bool leaky = false;
  const float* addend = nullptr;
};

/// A^T m A (+ epilogue) of tiles [first, first + count) from `m` ([36][count][channels]) into
/// `dst`; pixels past the image edge are dropped.
void outputTransform(const float* m, int channels, const TileGrid& grid, int first, int count,
                     const Epilogue& epilogue, float* dst);

/// Backward of outputTransform without epilogue: dm = A dy A^T per tile ([36][tiles][C]).
void outputTransformBackward(const float* dy, int channels, const TileGrid& grid, float* dm);

/// Backward of inputTransform: B dv B^T per tile, summed into `dsrc` (overlapping windows
/// add up; pixels outside the image are dropped). `dsrc` must start zeroed.
void inputTransformBackward(const float* dv, int channels, const TileGrid& grid, float* dsrc);

/// Filters [out, in, 3, 3] -> U = G g G^T as [36, in, out], and the backward of that:
/// [36, in, out] -> G^T dU G as [out, in, 3, 3]. Any float tensors (batched matmuls).
torch::Tensor transformWeights(const torch::Tensor& weights);
torch::Tensor transformWeightsBackward(const torch::Tensor& dU);

/// transformWeights for float filters in plain memory, each 6x6 computed in double: OIHW
/// `weights` [out, in, 3, 3] -> `u` [36, in, out] (36 * in * out floats). For building the
/// inference convs once: no intermediate tensors (transformWeights' permuted double copies of
/// a 512 -> 1024 layer are 150 MB each) and no libtorch dispatch.
void transformFilters(const float* weights, int out, int in, float* u);

/// [N, C, H, W] <-> nChw8c ([N, C / 8, H, W, 8]) tensors, contiguous copies.
torch::Tensor toBlocked(const torch::Tensor& nchw);
torch::Tensor fromBlocked(const torch::Tensor& blocked);

}  // namespace yolo::winograd
