#include "core/model/winograd_conv.h"

#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "core/model/cpu_autocast.h"
#include "core/util/winograd_transforms.h"

#if YOLO_HAVE_ONEDNN
#include <oneapi/dnnl/dnnl.hpp>
#endif

namespace yolo::model {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

// a [B, M, K] x b [B, K, N] -> [B, M, N], contiguous; a and b may be transposed views. On
// oneDNN's matmul where the build has it (its OpenMP threads, no copies of transposed
// operands; primitives come from oneDNN's cache), else torch::bmm.
torch::Tensor batchedMatmul(const torch::Tensor& a, const torch::Tensor& b) {
#if YOLO_HAVE_ONEDNN
  using dnnl::memory;
  static const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  const auto desc = [](const torch::Tensor& t) {
    return memory::desc({t.size(0), t.size(1), t.size(2)}, memory::data_type::f32,
                        memory::dims{t.stride(0), t.stride(1), t.stride(2)});
  };
  torch::Tensor c = torch::empty({a.size(0), a.size(1), b.size(2)}, a.options());
  const memory::desc aDesc = desc(a), bDesc = desc(b), cDesc = desc(c);
  const dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(aDesc, bDesc, cDesc), engine);
  dnnl::stream stream(engine);
  dnnl::matmul(pd).execute(stream, {{DNNL_ARG_SRC, memory(aDesc, engine, a.data_ptr())},
                                    {DNNL_ARG_WEIGHTS, memory(bDesc, engine, b.data_ptr())},
                                    {DNNL_ARG_DST, memory(cDesc, engine, c.data_ptr())}});
  stream.wait();
  return c;
#else
  return torch::bmm(a, b).contiguous();
#endif
}

winograd::TileGrid gridOf(const torch::Tensor& nchw) {
  return {static_cast<int>(nchw.size(0)), static_cast<int>(nchw.size(2)),
          static_cast<int>(nchw.size(3))};
}

// Saves the transformed input V [36, tiles, in] and filters U [36, in, out]; the backward
// transforms the output gradient once (dM = A dY A^T) and takes dU = V^T dM and dV = dM U^T
// from it.
struct WinogradConvFunction : torch::autograd::Function<WinogradConvFunction> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& input,
                               const torch::Tensor& weight) {
    const winograd::TileGrid grid = gridOf(input);
    const int in = static_cast<int>(weight.size(1)), out = static_cast<int>(weight.size(0));
    const auto options = input.options();
    const torch::Tensor blocked = winograd::toBlocked(input);
    const torch::Tensor u = winograd::transformWeights(weight);
    torch::Tensor v = torch::empty({winograd::kPoints, grid.tiles(), in}, options);
    winograd::inputTransform(blocked.data_ptr<float>(), in, grid, 0, grid.tiles(),
                             v.data_ptr<float>());
    const torch::Tensor m = batchedMatmul(v, u);
    torch::Tensor y = torch::empty({grid.batch, out / 8, grid.height, grid.width, 8}, options);
    winograd::outputTransform(m.data_ptr<float>(), out, grid, 0, grid.tiles(), {},
                              y.data_ptr<float>());
    ctx->save_for_backward({v, u});
    ctx->saved_data["batch"] = grid.batch;
    ctx->saved_data["height"] = grid.height;
    ctx->saved_data["width"] = grid.width;
    return winograd::fromBlocked(y);
  }

  static tensor_list backward(AutogradContext* ctx, tensor_list outputGrads) {
    const auto saved = ctx->get_saved_variables();
    const torch::Tensor& v = saved[0];
    const torch::Tensor& u = saved[1];
    const winograd::TileGrid grid{static_cast<int>(ctx->saved_data["batch"].toInt()),
                                  static_cast<int>(ctx->saved_data["height"].toInt()),
                                  static_cast<int>(ctx->saved_data["width"].toInt())};
    const int in = static_cast<int>(u.size(1)), out = static_cast<int>(u.size(2));
    const auto options = v.options();
    const torch::Tensor dy = winograd::toBlocked(outputGrads[0]);
    torch::Tensor dm = torch::empty({winograd::kPoints, grid.tiles(), out}, options);
    winograd::outputTransformBackward(dy.data_ptr<float>(), out, grid, dm.data_ptr<float>());
    torch::Tensor inputGrad, weightGrad;
    if (ctx->needs_input_grad(1))
      weightGrad = winograd::transformWeightsBackward(batchedMatmul(v.transpose(1, 2), dm));
    if (ctx->needs_input_grad(0)) {
      const torch::Tensor dv = batchedMatmul(dm, u.transpose(1, 2));
      torch::Tensor dx = torch::zeros({grid.batch, in / 8, grid.height, grid.width, 8}, options);
      winograd::inputTransformBackward(dv.data_ptr<float>(), in, grid, dx.data_ptr<float>());
      inputGrad = winograd::fromBlocked(dx);
    }
    return {inputGrad, weightGrad};
  }
};

}  // namespace

bool winogradConvsEnabled() {
#if !YOLO_HAVE_ONEDNN
  return false;  // the products would be torch::bmm's, measured no faster than direct convs
#endif
  static const bool enabled = [] {
    const char* value = std::getenv("YOLO_WINOGRAD");
    return !(value && std::strcmp(value, "0") == 0);
  }();
  return enabled;
}

bool winogradConvPays(const torch::Tensor& input) {
  // Few tiles make thin matrix products that read 4x the filters for little reuse, on top of
  // transforming the filters each step. 128 is a judgement, not tuned: YOLOv3 at 416, batch 2,
  // keeps its 13x13 and 26x26 layers direct.
  constexpr int kMinTiles = 128;
  return input.dim() == 4 && gridOf(input).tiles() >= kMinTiles;
}

bool winogradConvApplies(const torch::Tensor& input, const torch::Tensor& weight) {
  // Under CPU autocast the conv is libtorch's bfloat16 one: these kernels are float32 only.
  return !cpuAutocastEnabled() && input.dim() == 4 && weight.dim() == 4 &&
         input.device().is_cpu() && weight.device().is_cpu() &&
         input.scalar_type() == torch::kFloat && weight.scalar_type() == torch::kFloat &&
         weight.size(2) == 3 && weight.size(3) == 3 && input.size(1) == weight.size(1) &&
         weight.size(1) % 8 == 0 && weight.size(0) % 8 == 0 && winograd::available();
}

torch::Tensor winogradConv3x3(const torch::Tensor& input, const torch::Tensor& weight) {
  if (!winogradConvApplies(input, weight))
    throw std::invalid_argument(
        "winogradConv3x3: needs float CPU tensors, a 3x3 weight, channel counts that are "
        "multiples of 8 and an AVX2 CPU");
  return WinogradConvFunction::apply(input, weight);
}

}  // namespace yolo::model
