#include <torch/torch.h>

#include <ATen/Parallel.h>

#include <array>
#include <cstddef>
#include <stdexcept>

#include "core/util/winograd_transforms.h"

#if defined(__x86_64__) || defined(__i386__)
#define YOLO_WINOGRAD_X86 1
#include <immintrin.h>
#else
#define YOLO_WINOGRAD_X86 0
#endif

namespace yolo::winograd {

namespace {

constexpr int kTile = 6;  // input window: 4 + 3 - 1

template <std::size_t Rows, std::size_t Cols>
using Matrix = std::array<std::array<float, Cols>, Rows>;

template <std::size_t Rows, std::size_t Cols>
constexpr Matrix<Cols, Rows> transposed(const Matrix<Rows, Cols>& m) {
  Matrix<Cols, Rows> t{};
  for (std::size_t r = 0; r < Rows; ++r)
    for (std::size_t c = 0; c < Cols; ++c) t[c][r] = m[r][c];
  return t;
}

constexpr Matrix<kTile, kTile> kBt{{{4, 0, -5, 0, 1, 0},
                                    {0, -4, -4, 1, 1, 0},
                                    {0, 4, -4, -1, 1, 0},
                                    {0, -2, -1, 2, 1, 0},
                                    {0, 2, -1, -2, 1, 0},
                                    {0, 4, 0, -5, 0, 1}}};
constexpr Matrix<kOutputTile, kTile> kAt{
    {{1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0}, {0, 1, 1, 4, 4, 0}, {0, 1, -1, 8, -8, 1}}};
constexpr auto kB = transposed(kBt);
constexpr auto kA = transposed(kAt);

int blocksOf(int channels) {
  if (channels <= 0 || channels % 8)
    throw std::invalid_argument("Winograd transforms: channels must be a positive multiple of 8");
  return channels / 8;
}

struct TilePosition {
  int image, y0, x0;  // image, and the top-left pixel of its 4x4 output tile
};

TilePosition position(const TileGrid& grid, int tile) {
  const int perImage = grid.tilesPerImage(), tilesX = grid.tilesX();
  const int inImage = tile % perImage;
  return {tile / perImage, inImage / tilesX * kOutputTile, inImage % tilesX * kOutputTile};
}

// Element offset of pixel (y, x) of channel block `block` of image `image`.
std::size_t offset(const TileGrid& grid, int blocks, int image, int block, int y, int x) {
  return ((static_cast<std::size_t>(image) * blocks + block) * grid.height + y) * grid.width * 8 +
         static_cast<std::size_t>(x) * 8;
}

#if YOLO_WINOGRAD_X86

// out[r * outStride] = sum_k m[r][k] * in[k * inStride]: zero coefficients skipped, +-1 as
// adds; the constants fold once the loops are unrolled.
template <std::size_t Rows, std::size_t Cols>
__attribute__((target("avx2,fma"), always_inline)) inline void applyRows(
    const Matrix<Rows, Cols>& m, const __m256* in, int inStride, __m256* out, int outStride) {
#pragma GCC unroll 8
  for (std::size_t r = 0; r < Rows; ++r) {
    __m256 acc = _mm256_setzero_ps();
#pragma GCC unroll 8
    for (std::size_t k = 0; k < Cols; ++k) {
      const float c = m[r][k];
      if (c == 0.f) continue;
      const __m256 x = in[static_cast<int>(k) * inStride];
      if (c == 1.f)
        acc = _mm256_add_ps(acc, x);
      else if (c == -1.f)
        acc = _mm256_sub_ps(acc, x);
      else
        acc = _mm256_fmadd_ps(_mm256_set1_ps(c), x, acc);
    }
    out[static_cast<int>(r) * outStride] = acc;
  }
}

// L in R^T for an n x n block of vectors `in` (row-major) and L, R of Rows x n:
// first each column through L, then each row through R.
template <std::size_t Rows, std::size_t N>
__attribute__((target("avx2,fma"), always_inline)) inline void sandwich(const Matrix<Rows, N>& l,
                                                                        const Matrix<Rows, N>& r,
                                                                        const __m256* in,
                                                                        __m256* out) {
  constexpr int rows = static_cast<int>(Rows), n = static_cast<int>(N);
  __m256 columns[Rows * N];
  for (int j = 0; j < n; ++j) applyRows(l, in + j, n, columns + j, n);
  for (int i = 0; i < rows; ++i) applyRows(r, columns + i * n, 1, out + i * rows, 1);
}

__attribute__((target("avx2,fma"))) void inputTile(const float* src, const TileGrid& grid,
                                                   int blocks, int block, int tile, float* v,
                                                   std::size_t pointStride) {
  __m256 d[kPoints], t[kPoints];
  const TilePosition at = position(grid, tile);
  for (int i = 0; i < kTile; ++i) {
    const int y = at.y0 - 1 + i;
    for (int j = 0; j < kTile; ++j) {
      const int x = at.x0 - 1 + j;
      d[i * kTile + j] = y >= 0 && y < grid.height && x >= 0 && x < grid.width
                             ? _mm256_loadu_ps(src + offset(grid, blocks, at.image, block, y, x))
                             : _mm256_setzero_ps();
    }
  }
  sandwich(kBt, kBt, d, t);
  for (int p = 0; p < kPoints; ++p) _mm256_storeu_ps(v + p * pointStride, t[p]);
}

__attribute__((target("avx2,fma"))) void outputTile(const float* m, std::size_t pointStride,
                                                    const TileGrid& grid, int blocks, int block,
                                                    int tile, const Epilogue& epilogue,
                                                    float* dst) {
  __m256 in[kPoints], y[kOutputTile * kOutputTile];
  for (int p = 0; p < kPoints; ++p) in[p] = _mm256_loadu_ps(m + p * pointStride);
  sandwich(kAt, kAt, in, y);
  const __m256 bias =
      epilogue.bias ? _mm256_loadu_ps(epilogue.bias + block * 8) : _mm256_setzero_ps();
  const __m256 slope = _mm256_set1_ps(0.1f);
  const TilePosition at = position(grid, tile);
  for (int i = 0; i < kOutputTile && at.y0 + i < grid.height; ++i) {
    for (int j = 0; j < kOutputTile && at.x0 + j < grid.width; ++j) {
      __m256 value = _mm256_add_ps(y[i * kOutputTile + j], bias);
      // LeakyReLU(0.1) is max(x, 0.1 x).
      if (epilogue.leaky) value = _mm256_max_ps(value, _mm256_mul_ps(value, slope));
      const std::size_t o = offset(grid, blocks, at.image, block, at.y0 + i, at.x0 + j);
      if (epilogue.addend) value = _mm256_add_ps(value, _mm256_loadu_ps(epilogue.addend + o));
      _mm256_storeu_ps(dst + o, value);
    }
  }
}

__attribute__((target("avx2,fma"))) void outputTileBackward(const float* dy, const TileGrid& grid,
                                                            int blocks, int block, int tile,
                                                            float* dm, std::size_t pointStride) {
  __m256 in[kOutputTile * kOutputTile], out[kPoints];
  const TilePosition at = position(grid, tile);
  for (int i = 0; i < kOutputTile; ++i) {
    for (int j = 0; j < kOutputTile; ++j) {
      const int y = at.y0 + i, x = at.x0 + j;
      in[i * kOutputTile + j] =
          y < grid.height && x < grid.width
              ? _mm256_loadu_ps(dy + offset(grid, blocks, at.image, block, y, x))
              : _mm256_setzero_ps();
    }
  }
  sandwich(kA, kA, in, out);
  for (int p = 0; p < kPoints; ++p) _mm256_storeu_ps(dm + p * pointStride, out[p]);
}

__attribute__((target("avx2,fma"))) void inputTileBackward(const float* dv, std::size_t pointStride,
                                                           const TileGrid& grid, int blocks,
                                                           int block, int tile, float* dsrc) {
  __m256 in[kPoints], d[kPoints];
  for (int p = 0; p < kPoints; ++p) in[p] = _mm256_loadu_ps(dv + p * pointStride);
  sandwich(kB, kB, in, d);
  const TilePosition at = position(grid, tile);
  for (int i = 0; i < kTile; ++i) {
    const int y = at.y0 - 1 + i;
    if (y < 0 || y >= grid.height) continue;
    for (int j = 0; j < kTile; ++j) {
      const int x = at.x0 - 1 + j;
      if (x < 0 || x >= grid.width) continue;
      float* p = dsrc + offset(grid, blocks, at.image, block, y, x);
      _mm256_storeu_ps(p, _mm256_add_ps(_mm256_loadu_ps(p), d[i * kTile + j]));
    }
  }
}

#endif  // YOLO_WINOGRAD_X86

void requireAvailable() {
  if (!available()) throw std::runtime_error("Winograd transforms: this CPU has no AVX2/FMA");
}

}  // namespace

bool available() {
#if YOLO_WINOGRAD_X86
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

void inputTransform(const float* src, int channels, const TileGrid& grid, int first, int count,
                    float* v) {
  requireAvailable();
#if YOLO_WINOGRAD_X86
  const int blocks = blocksOf(channels);
  const std::size_t pointStride = static_cast<std::size_t>(count) * channels;
  at::parallel_for(0, int64_t{count} * blocks, 16, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      const int local = static_cast<int>(i / blocks), block = static_cast<int>(i % blocks);
      float* out = v + static_cast<std::size_t>(local) * channels + block * 8;
      if (first + local >= grid.tiles()) {
        for (int p = 0; p < kPoints; ++p) std::fill_n(out + p * pointStride, 8, 0.f);
      } else {
        inputTile(src, grid, blocks, block, first + local, out, pointStride);
      }
    }
  });
#endif
}

void outputTransform(const float* m, int channels, const TileGrid& grid, int first, int count,
                     const Epilogue& epilogue, float* dst) {
  requireAvailable();
#if YOLO_WINOGRAD_X86
  const int blocks = blocksOf(channels);
  const std::size_t pointStride = static_cast<std::size_t>(count) * channels;
  const int valid = std::min(count, grid.tiles() - first);
  at::parallel_for(0, int64_t{valid} * blocks, 16, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      const int local = static_cast<int>(i / blocks), block = static_cast<int>(i % blocks);
      outputTile(m + static_cast<std::size_t>(local) * channels + block * 8, pointStride, grid,
                 blocks, block, first + local, epilogue, dst);
    }
  });
#endif
}

void outputTransformBackward(const float* dy, int channels, const TileGrid& grid, float* dm) {
  requireAvailable();
#if YOLO_WINOGRAD_X86
  const int blocks = blocksOf(channels), tiles = grid.tiles();
  const std::size_t pointStride = static_cast<std::size_t>(tiles) * channels;
  at::parallel_for(0, int64_t{tiles} * blocks, 16, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      const int tile = static_cast<int>(i / blocks), block = static_cast<int>(i % blocks);
      outputTileBackward(dy, grid, blocks, block, tile,
                         dm + static_cast<std::size_t>(tile) * channels + block * 8, pointStride);
    }
  });
#endif
}

void inputTransformBackward(const float* dv, int channels, const TileGrid& grid, float* dsrc) {
  requireAvailable();
#if YOLO_WINOGRAD_X86
  const int blocks = blocksOf(channels), perImage = grid.tilesPerImage();
  const std::size_t pointStride = static_cast<std::size_t>(grid.tiles()) * channels;
  // Neighbouring tiles' windows overlap, so one thread takes all tiles of an (image, channel
  // block) pair: no two threads add to the same pixel.
  at::parallel_for(0, int64_t{grid.batch} * blocks, 1, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      const int image = static_cast<int>(i / blocks), block = static_cast<int>(i % blocks);
      for (int tile = image * perImage; tile < (image + 1) * perImage; ++tile)
        inputTileBackward(dv + static_cast<std::size_t>(tile) * channels + block * 8, pointStride,
                          grid, blocks, block, tile, dsrc);
    }
  });
#endif
}

namespace {

// G of F(4x4, 3x3): U = G g G^T.
constexpr double kG[kTile][3] = {{1.0 / 4, 0, 0},
                                 {-1.0 / 6, -1.0 / 6, -1.0 / 6},
                                 {-1.0 / 6, 1.0 / 6, -1.0 / 6},
                                 {1.0 / 24, 1.0 / 12, 1.0 / 6},
                                 {1.0 / 24, -1.0 / 12, 1.0 / 6},
                                 {0, 0, 1}};

torch::Tensor gMatrix(const torch::TensorOptions& options) {
  // A copy even where the dtype is already double: the blob is this constant array.
  return torch::from_blob(const_cast<double*>(&kG[0][0]), {kTile, 3}, torch::kDouble)
      .to(options, /*non_blocking=*/false, /*copy=*/true);
}

}  // namespace

void transformFilters(const float* weights, int out, int in, float* u) {
  const std::size_t outs = static_cast<std::size_t>(out), ins = static_cast<std::size_t>(in);
  at::parallel_for(0, in, 1, [&](int64_t begin, int64_t end) {
    for (std::size_t i = static_cast<std::size_t>(begin); i < static_cast<std::size_t>(end); ++i) {
      for (std::size_t o = 0; o < outs; ++o) {
        const float* g = weights + (o * ins + i) * 9;
        double left[kTile][3];  // G g
        for (int p = 0; p < kTile; ++p)
          for (int j = 0; j < 3; ++j)
            left[p][j] = kG[p][0] * g[j] + kG[p][1] * g[3 + j] + kG[p][2] * g[6 + j];
        for (int p = 0; p < kTile; ++p)
          for (int q = 0; q < kTile; ++q) {
            const double value =
                left[p][0] * kG[q][0] + left[p][1] * kG[q][1] + left[p][2] * kG[q][2];
            u[((static_cast<std::size_t>(p) * kTile + q) * ins + i) * outs + o] =
                static_cast<float>(value);
          }
      }
    }
  });
}

// Both as two plain matrix products over all filters at once (a batch of 6x3 products per
// filter pair was 100x slower).
torch::Tensor transformWeights(const torch::Tensor& weights) {
  const int64_t out = weights.size(0), in = weights.size(1), n = out * in;
  const auto g = gMatrix(weights.options());
  // G g: [6, N, 3] (p, filter, j); then (G g) G^T: [6, N, 6] (p, filter, q).
  const auto left = torch::mm(g, weights.reshape({n, 3, 3}).permute({1, 0, 2}).reshape({3, n * 3}));
  const auto both = torch::mm(left.reshape({kTile * n, 3}), g.t()).reshape({kTile, n, kTile});
  return both.permute({0, 2, 1}).reshape({kPoints, out, in}).transpose(1, 2).contiguous();
}

torch::Tensor transformWeightsBackward(const torch::Tensor& dU) {
  const int64_t in = dU.size(1), out = dU.size(2), n = out * in;
  const auto g = gMatrix(dU.options());
  // dU as [6, N, 6] (p, filter, q); dU G: [6, N, 3]; G^T (dU G): [3, N, 3] (i, filter, j).
  const auto du = dU.transpose(1, 2).reshape({kTile, kTile, n}).permute({0, 2, 1});
  const auto right = torch::mm(du.reshape({kTile * n, kTile}), g).reshape({kTile, n * 3});
  return torch::mm(g.t(), right).reshape({3, n, 3}).permute({1, 0, 2}).reshape({out, in, 3, 3});
}

torch::Tensor toBlocked(const torch::Tensor& nchw) {
  const auto n = nchw.size(0), c = nchw.size(1), h = nchw.size(2), w = nchw.size(3);
  return nchw.reshape({n, c / 8, 8, h, w}).permute({0, 1, 3, 4, 2}).contiguous();
}

torch::Tensor fromBlocked(const torch::Tensor& blocked) {
  const auto n = blocked.size(0), b = blocked.size(1), h = blocked.size(2), w = blocked.size(3);
  return blocked.permute({0, 1, 4, 2, 3}).reshape({n, b * 8, h, w}).contiguous();
}

}  // namespace yolo::winograd
