#include "core/infer/winograd_conv.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#if YOLO_HAVE_ONEDNN
#include <immintrin.h>

#include <oneapi/dnnl/dnnl.hpp>
#endif

namespace yolo::infer {

#if YOLO_HAVE_ONEDNN

namespace {

// F(4x4, 3x3): output tile 4x4, input tile 6x6, Y = A^T [(G g G^T) . (B^T d B)] A.
constexpr int kOut = 4, kTile = 6, kPoints = kTile * kTile;
constexpr float kBt[kTile][kTile] = {{4, 0, -5, 0, 1, 0},  {0, -4, -4, 1, 1, 0},
                                     {0, 4, -4, -1, 1, 0}, {0, -2, -1, 2, 1, 0},
                                     {0, 2, -1, -2, 1, 0}, {0, 4, 0, -5, 0, 1}};
constexpr double kG[kTile][3] = {{1.0 / 4, 0, 0},
                                 {-1.0 / 6, -1.0 / 6, -1.0 / 6},
                                 {-1.0 / 6, 1.0 / 6, -1.0 / 6},
                                 {1.0 / 24, 1.0 / 12, 1.0 / 6},
                                 {1.0 / 24, -1.0 / 12, 1.0 / 6},
                                 {0, 0, 1}};
constexpr float kAt[kOut][kTile] = {
    {1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0}, {0, 1, 1, 4, 4, 0}, {0, 1, -1, 8, -8, 1}};

// Work space (transformed input and products) per chunk of tiles. Large: each matmul call
// repacks the weights, so fewer, taller multiplies win over cache-sized chunks (measured on
// YOLOv3 at 416, 2 threads: 2 MB chunks 459 ms, 8 MB 371 ms, 32 MB 356 ms). At 416 only
// YOLOv3's 208x208 layer (37 MB) takes two; the bound caps memory at larger input sizes.
constexpr std::size_t kChunkBytes = std::size_t{32} << 20;

// out[r] = sum_k M[r][k] * in[k] for the rows of a constant matrix; zero coefficients are
// skipped and +-1 are adds, which the compiler resolves once the loops are unrolled.
template <int Rows, int Cols, typename T>
__attribute__((target("avx2,fma"), always_inline)) inline void applyRows(const T (&m)[Rows][Cols],
                                                                         const __m256* in,
                                                                         int inStride, __m256* out,
                                                                         int outStride) {
#pragma GCC unroll 8
  for (int r = 0; r < Rows; ++r) {
    __m256 acc = _mm256_setzero_ps();
#pragma GCC unroll 8
    for (int k = 0; k < Cols; ++k) {
      const float c = static_cast<float>(m[r][k]);
      const __m256 x = in[k * inStride];
      if (c == 0.f) continue;
      if (c == 1.f)
        acc = _mm256_add_ps(acc, x);
      else if (c == -1.f)
        acc = _mm256_sub_ps(acc, x);
      else
        acc = _mm256_fmadd_ps(_mm256_set1_ps(c), x, acc);
    }
    out[r * outStride] = acc;
  }
}

// The 6x6 input tile at (tileY, tileX) of channel block `block`, transformed: 36 vectors of
// 8 channels, point p written to v + p * pointStride. Pixels outside the image are zero.
__attribute__((target("avx2,fma"))) void transformInputTile(const float* src, int height, int width,
                                                            int block, int tileY, int tileX,
                                                            float* v, std::size_t pointStride) {
  __m256 d[kPoints], rows[kPoints], t[kPoints];
  const int y0 = tileY * kOut - 1, x0 = tileX * kOut - 1;
  for (int i = 0; i < kTile; ++i) {
    const int y = y0 + i;
    for (int j = 0; j < kTile; ++j) {
      const int x = x0 + j;
      d[i * kTile + j] =
          y >= 0 && y < height && x >= 0 && x < width
              ? _mm256_loadu_ps(src +
                                ((static_cast<std::size_t>(block) * height + y) * width + x) * 8)
              : _mm256_setzero_ps();
    }
  }
  // B^T d: combine rows (stride kTile between them), for each column.
  for (int j = 0; j < kTile; ++j) applyRows(kBt, d + j, kTile, rows + j, kTile);
  // (B^T d) B: combine columns of each row.
  for (int i = 0; i < kTile; ++i) applyRows(kBt, rows + i * kTile, 1, t + i * kTile, 1);
  for (int p = 0; p < kPoints; ++p) _mm256_storeu_ps(v + p * pointStride, t[p]);
}

// The 4x4 output tile at (tileY, tileX) of channel block `block` from its 36 products
// (point p at m + p * pointStride): A^T m A, plus bias, LeakyReLU, plus addend; pixels past
// the image edge are dropped.
__attribute__((target("avx2,fma"))) void transformOutputTile(
    const float* m, std::size_t pointStride, const float* bias, bool leaky, const float* addend,
    float* dst, int height, int width, int block, int tileY, int tileX) {
  __m256 in[kPoints], rows[kOut * kTile], y[kOut * kOut];
  for (int p = 0; p < kPoints; ++p) in[p] = _mm256_loadu_ps(m + p * pointStride);
  for (int j = 0; j < kTile; ++j) applyRows(kAt, in + j, kTile, rows + j, kTile);
  for (int i = 0; i < kOut; ++i) applyRows(kAt, rows + i * kTile, 1, y + i * kOut, 1);
  const __m256 b = _mm256_loadu_ps(bias + block * 8), slope = _mm256_set1_ps(0.1f);
  for (int i = 0; i < kOut; ++i) {
    const int row = tileY * kOut + i;
    if (row >= height) break;
    for (int j = 0; j < kOut; ++j) {
      const int col = tileX * kOut + j;
      if (col >= width) break;
      __m256 value = _mm256_add_ps(y[i * kOut + j], b);
      // LeakyReLU(0.1) is max(x, 0.1 x).
      if (leaky) value = _mm256_max_ps(value, _mm256_mul_ps(value, slope));
      const std::size_t at = ((static_cast<std::size_t>(block) * height + row) * width + col) * 8;
      if (addend) value = _mm256_add_ps(value, _mm256_loadu_ps(addend + at));
      _mm256_storeu_ps(dst + at, value);
    }
  }
}

std::size_t roundUp16(std::size_t n) { return (n + 15) / 16 * 16; }

}  // namespace

struct WinogradConv3x3::Impl {
  int inChannels = 0, outChannels = 0, height = 0, width = 0;
  bool leaky = false;
  int tilesX = 0, tiles = 0;
  int chunkTiles = 0, chunks = 0;  // tiles per chunk; the last chunk may run past `tiles`
  std::vector<float> bias;
  dnnl::engine engine{dnnl::engine::kind::cpu, 0};
  mutable dnnl::stream stream{engine};  // executing on it is no change of the conv
  dnnl::matmul::primitive_desc matmulDesc;
  dnnl::matmul matmul;
  dnnl::memory weights;  // the 36 transformed filters [36, in, out], in matmul's layout

  std::size_t transformedFloats() const {
    return roundUp16(std::size_t{kPoints} * chunkTiles * inChannels);
  }
  std::size_t productFloats() const {
    return roundUp16(std::size_t{kPoints} * chunkTiles * outChannels);
  }
};

bool WinogradConv3x3::available() {
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

WinogradConv3x3::WinogradConv3x3(const float* weights, const float* bias, int inChannels,
                                 int outChannels, int height, int width, bool leaky)
    : impl_(std::make_unique<Impl>()) {
  if (!available()) throw std::runtime_error("Winograd convolution: this CPU has no AVX2/FMA");
  if (inChannels <= 0 || outChannels <= 0 || inChannels % 8 || outChannels % 8 || height <= 0 ||
      width <= 0)
    throw std::runtime_error(
        "Winograd convolution: channels must be positive multiples of 8, got " +
        std::to_string(inChannels) + " -> " + std::to_string(outChannels));
  Impl& impl = *impl_;
  impl.inChannels = inChannels;
  impl.outChannels = outChannels;
  impl.height = height;
  impl.width = width;
  impl.leaky = leaky;
  impl.bias.assign(bias, bias + outChannels);
  impl.tilesX = (width + kOut - 1) / kOut;
  impl.tiles = impl.tilesX * ((height + kOut - 1) / kOut);
  const std::size_t bytesPerTile = sizeof(float) * kPoints * (inChannels + outChannels);
  const int maxChunk = std::max<int>(8, static_cast<int>(kChunkBytes / bytesPerTile));
  impl.chunks = (impl.tiles + maxChunk - 1) / maxChunk;
  impl.chunkTiles = (impl.tiles + impl.chunks - 1) / impl.chunks;

  // U = G g G^T per (out, in) pair, in double, laid out [point][in][out].
  std::vector<float> transformed(std::size_t{kPoints} * inChannels * outChannels);
  for (int o = 0; o < outChannels; ++o) {
    for (int c = 0; c < inChannels; ++c) {
      const float* g = weights + (static_cast<std::size_t>(o) * inChannels + c) * 9;
      double gg[kTile][3];  // G g
      for (int i = 0; i < kTile; ++i)
        for (int j = 0; j < 3; ++j)
          gg[i][j] = kG[i][0] * g[j] + kG[i][1] * g[3 + j] + kG[i][2] * g[6 + j];
      for (int i = 0; i < kTile; ++i)
        for (int j = 0; j < kTile; ++j) {
          const double u = gg[i][0] * kG[j][0] + gg[i][1] * kG[j][1] + gg[i][2] * kG[j][2];
          transformed[(static_cast<std::size_t>(i * kTile + j) * inChannels + c) * outChannels +
                      o] = static_cast<float>(u);
        }
    }
  }

  using dnnl::memory;
  const memory::dim points = kPoints, rows = impl.chunkTiles;
  const memory::desc src({points, rows, inChannels}, memory::data_type::f32,
                         memory::format_tag::abc);
  const memory::desc dst({points, rows, outChannels}, memory::data_type::f32,
                         memory::format_tag::abc);
  const memory::desc anyWeights({points, inChannels, outChannels}, memory::data_type::f32,
                                memory::format_tag::any);
  impl.matmulDesc =
      dnnl::matmul::primitive_desc(dnnl::matmul::desc(src, anyWeights, dst), impl.engine);
  impl.matmul = dnnl::matmul(impl.matmulDesc);
  memory plain({{points, inChannels, outChannels}, memory::data_type::f32, memory::format_tag::abc},
               impl.engine, transformed.data());
  impl.weights = memory(impl.matmulDesc.weights_desc(), impl.engine);
  dnnl::reorder(plain, impl.weights).execute(impl.stream, plain, impl.weights);
  impl.stream.wait();
}

WinogradConv3x3::~WinogradConv3x3() = default;

std::size_t WinogradConv3x3::scratchFloats() const {
  return impl_->transformedFloats() + impl_->productFloats();
}

void WinogradConv3x3::run(const float* src, const float* addend, float* dst, float* scratch) const {
  const Impl& impl = *impl_;
  float* const v = scratch;
  float* const m = scratch + impl.transformedFloats();
  const int inBlocks = impl.inChannels / 8, outBlocks = impl.outChannels / 8;
  const std::size_t vStride =
      std::size_t{static_cast<std::size_t>(impl.chunkTiles)} * impl.inChannels;
  const std::size_t mStride =
      std::size_t{static_cast<std::size_t>(impl.chunkTiles)} * impl.outChannels;
  dnnl::memory vMemory(impl.matmulDesc.src_desc(), impl.engine, v);
  dnnl::memory mMemory(impl.matmulDesc.dst_desc(), impl.engine, m);
  for (int chunk = 0; chunk < impl.chunks; ++chunk) {
    const int first = chunk * impl.chunkTiles;
    at::parallel_for(0, int64_t{impl.chunkTiles} * inBlocks, 16, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) {
        const int local = static_cast<int>(i / inBlocks), block = static_cast<int>(i % inBlocks);
        float* out = v + static_cast<std::size_t>(local) * impl.inChannels + block * 8;
        const int tile = first + local;
        if (tile >= impl.tiles) {  // past the last tile: zeros, for finite products
          for (int p = 0; p < kPoints; ++p) std::fill_n(out + p * vStride, 8, 0.f);
          continue;
        }
        transformInputTile(src, impl.height, impl.width, block, tile / impl.tilesX,
                           tile % impl.tilesX, out, vStride);
      }
    });
    impl.matmul.execute(
        impl.stream,
        {{DNNL_ARG_SRC, vMemory}, {DNNL_ARG_WEIGHTS, impl.weights}, {DNNL_ARG_DST, mMemory}});
    impl.stream.wait();
    const int chunkEnd = std::min(impl.tiles, first + impl.chunkTiles);
    at::parallel_for(0, int64_t{chunkEnd - first} * outBlocks, 16, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) {
        const int local = static_cast<int>(i / outBlocks), block = static_cast<int>(i % outBlocks);
        const int tile = first + local;
        transformOutputTile(m + static_cast<std::size_t>(local) * impl.outChannels + block * 8,
                            mStride, impl.bias.data(), impl.leaky, addend, dst, impl.height,
                            impl.width, block, tile / impl.tilesX, tile % impl.tilesX);
      }
    });
  }
}

#else  // !YOLO_HAVE_ONEDNN

struct WinogradConv3x3::Impl {};

bool WinogradConv3x3::available() { return false; }

WinogradConv3x3::WinogradConv3x3(const float*, const float*, int, int, int, int, bool) {
  throw std::runtime_error(
      "this build has no Winograd convolution (oneDNN's headers were not found)");
}

WinogradConv3x3::~WinogradConv3x3() = default;

std::size_t WinogradConv3x3::scratchFloats() const { return 0; }

void WinogradConv3x3::run(const float*, const float*, float*, float*) const {}

#endif

}  // namespace yolo::infer
