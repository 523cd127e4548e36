#include "core/infer/winograd_conv.h"

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/util/winograd_transforms.h"

#if YOLO_HAVE_ONEDNN
#include <oneapi/dnnl/dnnl.hpp>
#endif

namespace yolo::infer {

#if YOLO_HAVE_ONEDNN

namespace {

// Work space (transformed input and products) per chunk of tiles. Large: each matmul call
// repacks the weights, so fewer, taller multiplies win over cache-sized chunks (measured on
// YOLOv3 at 416, 2 threads: 2 MB chunks 459 ms, 8 MB 371 ms, 32 MB 356 ms). At 416 only
// YOLOv3's 208x208 layer (37 MB) takes two; the bound caps memory at larger input sizes.
constexpr std::size_t kChunkBytes = std::size_t{32} << 20;

std::size_t roundUp16(std::size_t n) { return (n + 15) / 16 * 16; }

}  // namespace

struct WinogradConv3x3::Impl {
  int inChannels = 0, outChannels = 0;
  bool leaky = false;
  winograd::TileGrid grid;
  int chunkTiles = 0, chunks = 0;  // tiles per chunk; the last chunk may run past the grid
  std::vector<float> bias;
  dnnl::engine engine{dnnl::engine::kind::cpu, 0};
  mutable dnnl::stream stream{engine};  // executing on it is no change of the conv
  dnnl::matmul::primitive_desc matmulDesc;
  dnnl::matmul matmul;
  dnnl::memory weights;  // the 36 transformed filters [36, in, out], in matmul's layout

  std::size_t transformedFloats() const {
    return roundUp16(std::size_t{winograd::kPoints} * chunkTiles * inChannels);
  }
  std::size_t productFloats() const {
    return roundUp16(std::size_t{winograd::kPoints} * chunkTiles * outChannels);
  }
};

bool WinogradConv3x3::available() { return winograd::available(); }

bool WinogradConv3x3::fasterThanDirect() {
  // oneDNN's AVX-512 direct convolutions beat these AVX2 transforms and matmuls: measured on
  // an AVX-512 CPU, a YOLOv3-tiny-3l forward pass took 35 ms with them, 22 ms without
  // (bench/README.md, "Cold start"). Where oneDNN runs AVX2 kernels, they win 1.3-1.6x.
  const auto isa = static_cast<unsigned>(dnnl::get_effective_cpu_isa());
  const auto avx512 = static_cast<unsigned>(dnnl::cpu_isa::avx512_core);
  return available() && (isa & avx512) != avx512;
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
  impl.leaky = leaky;
  impl.bias.assign(bias, bias + outChannels);
  impl.grid = {1, height, width};
  const int tiles = impl.grid.tiles();
  const std::size_t bytesPerTile =
      sizeof(float) * winograd::kPoints * static_cast<std::size_t>(inChannels + outChannels);
  const int maxChunk = std::max<int>(8, static_cast<int>(kChunkBytes / bytesPerTile));
  impl.chunks = (tiles + maxChunk - 1) / maxChunk;
  impl.chunkTiles = (tiles + impl.chunks - 1) / impl.chunks;

  // U = G g G^T, [36, in, out], computed in double.
  // Not value-initialised: every float is written, and zeroing YOLOv3's 640 MB of them
  // first would double the page faults.
  const std::unique_ptr<float[]> transformed(
      new float[std::size_t{winograd::kPoints} * inChannels * outChannels]);
  winograd::transformFilters(weights, outChannels, inChannels, transformed.get());

  using dnnl::memory;
  const memory::dim points = winograd::kPoints, rows = impl.chunkTiles;
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
               impl.engine, transformed.get());
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
  dnnl::memory vMemory(impl.matmulDesc.src_desc(), impl.engine, v);
  dnnl::memory mMemory(impl.matmulDesc.dst_desc(), impl.engine, m);
  const winograd::Epilogue epilogue{impl.bias.data(), impl.leaky, addend};
  for (int chunk = 0; chunk < impl.chunks; ++chunk) {
    const int first = chunk * impl.chunkTiles;
    winograd::inputTransform(src, impl.inChannels, impl.grid, first, impl.chunkTiles, v);
    impl.matmul.execute(
        impl.stream,
        {{DNNL_ARG_SRC, vMemory}, {DNNL_ARG_WEIGHTS, impl.weights}, {DNNL_ARG_DST, mMemory}});
    impl.stream.wait();
    winograd::outputTransform(m, impl.outChannels, impl.grid, first, impl.chunkTiles, epilogue,
                              dst);
  }
}

#else  // !YOLO_HAVE_ONEDNN

struct WinogradConv3x3::Impl {};

bool WinogradConv3x3::available() { return false; }

bool WinogradConv3x3::fasterThanDirect() { return false; }

WinogradConv3x3::WinogradConv3x3(const float*, const float*, int, int, int, int, bool) {
  throw std::runtime_error(
      "this build has no Winograd convolution (oneDNN's headers were not found)");
}

WinogradConv3x3::~WinogradConv3x3() = default;

std::size_t WinogradConv3x3::scratchFloats() const { return 0; }

void WinogradConv3x3::run(const float*, const float*, float*, float*) const {}

#endif

}  // namespace yolo::infer
