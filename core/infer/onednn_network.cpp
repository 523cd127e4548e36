#include "core/infer/onednn_network.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "core/infer/winograd_conv.h"
#include "core/model/darknet_layers.h"
#include "core/model/fold_batchnorm.h"

#if YOLO_HAVE_ONEDNN
#include <oneapi/dnnl/dnnl.hpp>
#endif

namespace yolo::infer {

#if YOLO_HAVE_ONEDNN

namespace {

using dnnl::memory;
using Tag = memory::format_tag;
constexpr auto kF32 = memory::data_type::f32;
// 3x3 stride-1 convs with at least this many input channels run as WinogradConv3x3.
constexpr memory::dim kWinogradMinChannels = 16;

// For each layer, the last layer that reads its output, directly or through a layer whose
// output is the same buffer (a one-layer route, a [yolo], a [shortcut] after the conv that
// adds it). Buffers are reused once their last reader has run.
std::vector<int> lastUses(const std::vector<model::DarknetLayer>& layers) {
  const int n = static_cast<int>(layers.size());
  std::vector<std::vector<int>> readers(layers.size());
  std::vector<int> aliasOf(layers.size(), -1);
  for (int i = 0; i < n; ++i) {
    const auto& l = layers[i];
    auto absolute = [i](int ref) { return ref < 0 ? i + ref : ref; };
    if (l.type == "route") {
      for (int ref : l.layers) readers.at(absolute(ref)).push_back(i);
      if (l.layers.size() == 1) aliasOf[i] = absolute(l.layers[0]);
    } else if (i > 0) {
      readers[i - 1].push_back(i);
      if (l.type == "yolo" || l.type == "shortcut") aliasOf[i] = i - 1;
      if (l.type == "shortcut") readers.at(absolute(l.from)).push_back(i);
    }
  }
  std::vector<int> last(layers.size());
  for (int i = n - 1; i >= 0; --i) {
    last[i] = i;
    for (int r : readers[i]) last[i] = std::max(last[i], aliasOf[r] == i ? last[r] : r);
  }
  return last;
}

}  // namespace

struct OneDnnNetwork::Impl {
  struct Step {
    dnnl::primitive primitive;
    std::unordered_map<int, memory> args;
    memory::desc scratchpad{};    // the work space it needs (zero size: none)
    std::function<void()> run{};  // a step of our own instead of a primitive (when set)
  };

  dnnl::engine engine{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream{engine};
  int inputSize = 0;
  memory input;  // plain NCHW; its handle points at the caller's tensor during forward()
  std::vector<Step> steps;
  memory scratchpad;  // shared by the steps, see shareScratchpad()
  bool useWinograd = false;
  std::vector<std::unique_ptr<WinogradConv3x3>> winogradConvs;
  std::vector<float> winogradScratch;  // shared by the Winograd convs, which run in turn
  // Activation buffers, reused across layers: a smaller working set than one per layer.
  struct Buffer {
    memory bytes;
    int busyUntil = 0;  // the last layer that reads what it holds
  };
  std::vector<Buffer> buffers;
  int layer = 0;                     // the layer being built
  int outputUntil = 0;               // the last reader of that layer's output
  std::vector<torch::Tensor> heads;  // ascending stride; NCHW buffers the last steps fill

  // Convolutions and pools take their work space from one buffer all steps share (they run
  // one after another), set up by shareScratchpad(). oneDNN's default gives each primitive
  // a scratchpad of its own: far more memory, touched afresh on every call.
  static dnnl::primitive_attr userScratchpad() {
    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    return attr;
  }

  void shareScratchpad() {
    std::size_t winogradFloats = 0;
    for (const auto& conv : winogradConvs)
      winogradFloats = std::max(winogradFloats, conv->scratchFloats());
    winogradScratch.resize(winogradFloats);
    memory::dim largest = 0;
    for (const auto& step : steps)
      largest =
          std::max<memory::dim>(largest, static_cast<memory::dim>(step.scratchpad.get_size()));
    if (largest == 0) return;
    scratchpad = memory({{largest}, memory::data_type::u8, Tag::x}, engine);
    for (auto& step : steps) {
      if (step.scratchpad.get_size() > 0)
        step.args.emplace(DNNL_ARG_SCRATCHPAD,
                          memory(step.scratchpad, engine, scratchpad.get_data_handle()));
    }
  }

  // Memory for `desc` in a buffer free at this layer (the smallest that fits), or a new one;
  // held until layer `until` has run.
  memory allocate(const memory::desc& desc, int until) {
    Buffer* best = nullptr;
    for (auto& b : buffers) {
      if (b.busyUntil < layer && b.bytes.get_desc().get_size() >= desc.get_size() &&
          (!best || b.bytes.get_desc().get_size() < best->bytes.get_desc().get_size()))
        best = &b;
    }
    if (!best) {
      const auto bytes = static_cast<memory::dim>(desc.get_size());
      buffers.push_back({memory({{bytes}, memory::data_type::u8, Tag::x}, engine), 0});
      best = &buffers.back();
    }
    best->busyUntil = until;
    return memory(desc, engine, best->bytes.get_data_handle());
  }
  memory allocateOutput(const memory::desc& desc) { return allocate(desc, outputUntil); }

  // `from` in the layout `desc`, reordering into a new buffer when it is in another one.
  memory inLayout(const memory& from, const memory::desc& desc) {
    if (from.get_desc() == desc) return from;
    memory to = allocate(desc, layer);  // read by this layer's primitive only
    steps.push_back({dnnl::reorder(from, to), {{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, to}}});
    return to;
  }

  // A Darknet [convolutional] layer with its BatchNorm folded in, LeakyReLU as a post-op.
  // `addend`, when given, is a [shortcut]'s other input, added after the activation: as a
  // binary post-op where oneDNN has a JIT kernel for it, else as an add of its own.
  memory convolution(const model::ConvBlockImpl& block, const memory& src, const memory* addend) {
    const model::FoldedConv folded = model::foldedConv(block);
    const auto weight = folded.weight.to(torch::kFloat).contiguous();
    const auto bias = folded.bias.to(torch::kFloat).contiguous();
    const memory::dims srcDims = src.get_desc().dims();
    const int64_t k = block.options.kernel_size(), stride = block.options.stride(), pad = k / 2;
    const int64_t out = block.options.out_channels();
    const memory::dim height = (srcDims[2] + 2 * pad - k) / stride + 1;
    const memory::dim width = (srcDims[3] + 2 * pad - k) / stride + 1;
    if (srcDims[1] != block.options.in_channels())
      throw std::runtime_error(
          "oneDNN network: a conv expects " + std::to_string(block.options.in_channels()) +
          " input channels, the layer before gives " + std::to_string(srcDims[1]));
    if (useWinograd && k == 3 && stride == 1 && srcDims[1] >= kWinogradMinChannels &&
        srcDims[1] % 8 == 0 && out % 8 == 0)
      return winogradConvolution(block, weight, bias, src, addend);

    auto primitiveDesc = [&](bool fuseAdd) {
      dnnl::post_ops postOps;
      if (block.options.leaky())
        postOps.append_eltwise(1.f, dnnl::algorithm::eltwise_relu, 0.1f, 0.f);
      if (fuseAdd) postOps.append_binary(dnnl::algorithm::binary_add, addend->get_desc());
      dnnl::primitive_attr attr = userScratchpad();
      attr.set_post_ops(postOps);
      const dnnl::convolution_forward::desc desc(
          dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct,
          memory::desc(srcDims, kF32, Tag::any),
          memory::desc({out, srcDims[1], k, k}, kF32, Tag::any), memory::desc({out}, kF32, Tag::x),
          fuseAdd ? addend->get_desc() : memory::desc({1, out, height, width}, kF32, Tag::any),
          {stride, stride}, {pad, pad}, {pad, pad});
      return dnnl::convolution_forward::primitive_desc(desc, attr, engine);
    };
    // A oneDNN without the binary post-op refuses it; one with only a reference kernel for it
    // would be slower than the separate add.
    std::optional<dnnl::convolution_forward::primitive_desc> fused;
    if (addend) {
      try {
        fused = primitiveDesc(true);
        if (std::string(fused->impl_info_str()).rfind("ref", 0) == 0) fused.reset();
      } catch (const dnnl::error&) {
        fused.reset();
      }
    }
    const bool fusedAdd = fused.has_value();
    const auto pd = fusedAdd ? *fused : primitiveDesc(false);

    // Weights and bias go into the primitive's layout once, here.
    memory plainWeights({{out, srcDims[1], k, k}, kF32, Tag::oihw}, engine, weight.data_ptr());
    memory weights(pd.weights_desc(), engine);
    dnnl::reorder(plainWeights, weights).execute(stream, plainWeights, weights);
    memory biases(pd.bias_desc(), engine);
    std::memcpy(biases.get_data_handle(), bias.data_ptr(), sizeof(float) * out);
    stream.wait();

    const memory input = inLayout(src, pd.src_desc());
    // Without the fused add, the conv's result is a temporary the add reads.
    memory dst =
        addend && !fusedAdd ? allocate(pd.dst_desc(), layer) : allocateOutput(pd.dst_desc());
    std::unordered_map<int, memory> args{{DNNL_ARG_SRC, input},
                                         {DNNL_ARG_WEIGHTS, weights},
                                         {DNNL_ARG_BIAS, biases},
                                         {DNNL_ARG_DST, dst}};
    if (fusedAdd)
      args.emplace(DNNL_ARG_ATTR_MULTIPLE_POST_OP(block.options.leaky() ? 1 : 0) | DNNL_ARG_SRC_1,
                   *addend);
    steps.push_back({dnnl::convolution_forward(pd), std::move(args), pd.scratchpad_desc()});
    if (addend && !fusedAdd) return add(dst, inLayout(*addend, dst.get_desc()));
    return dst;
  }

  // A 3x3 stride-1 conv run as WinogradConv3x3 on nChw8c activations, with the same
  // LeakyReLU and shortcut add as convolution().
  memory winogradConvolution(const model::ConvBlockImpl& block, const torch::Tensor& weight,
                             const torch::Tensor& bias, const memory& src, const memory* addend) {
    const memory::dims srcDims = src.get_desc().dims();
    const auto out = static_cast<int>(block.options.out_channels());
    const auto height = static_cast<int>(srcDims[2]), width = static_cast<int>(srcDims[3]);
    winogradConvs.push_back(std::make_unique<WinogradConv3x3>(
        weight.data_ptr<float>(), bias.data_ptr<float>(), static_cast<int>(srcDims[1]), out, height,
        width, block.options.leaky()));
    const memory input = inLayout(src, memory::desc(srcDims, kF32, Tag::nChw8c));
    const memory::desc dstDesc({1, out, height, width}, kF32, Tag::nChw8c);
    std::optional<memory> sum;
    if (addend) sum = inLayout(*addend, dstDesc);
    const memory dst = allocateOutput(dstDesc);
    const WinogradConv3x3* conv = winogradConvs.back().get();
    Step step;
    step.run = [this, conv, input, sum, dst] {
      conv->run(static_cast<const float*>(input.get_data_handle()),
                sum ? static_cast<const float*>(sum->get_data_handle()) : nullptr,
                static_cast<float*>(dst.get_data_handle()), winogradScratch.data());
    };
    steps.push_back(std::move(step));
    return dst;
  }

  // Darknet's [maxpool]: out = (in - 1) / stride + 1, padded right and bottom. Max pooling
  // never picks padding, which is what replicating the edge (the PyTorch model) gives.
  memory maxPool(const model::DarknetLayer& layer, const memory& src) {
    const memory::dims dims = src.get_desc().dims();
    const memory::dim size = layer.size, stride = layer.stride;
    const memory::dim height = (dims[2] - 1) / stride + 1, width = (dims[3] - 1) / stride + 1;
    const dnnl::pooling_forward::desc desc(
        dnnl::prop_kind::forward_inference, dnnl::algorithm::pooling_max, src.get_desc(),
        memory::desc({dims[0], dims[1], height, width}, kF32, Tag::any), {stride, stride},
        {size, size}, {0, 0},
        {(height - 1) * stride + size - dims[2], (width - 1) * stride + size - dims[3]});
    const dnnl::pooling_forward::primitive_desc pd(desc, userScratchpad(), engine);
    memory dst = allocateOutput(pd.dst_desc());
    steps.push_back({dnnl::pooling_forward(pd),
                     {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}},
                     pd.scratchpad_desc()});
    return dst;
  }

  memory upsample(const model::DarknetLayer& layer, const memory& src) {
    const auto factor = static_cast<float>(layer.stride);
    const dnnl::resampling_forward::desc desc(dnnl::prop_kind::forward_inference,
                                              dnnl::algorithm::resampling_nearest, {factor, factor},
                                              src.get_desc());
    const dnnl::resampling_forward::primitive_desc pd(desc, engine);
    memory dst = allocateOutput(pd.dst_desc());
    steps.push_back({dnnl::resampling_forward(pd), {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}}});
    return dst;
  }

  memory concatChannels(const std::vector<memory>& parts) {
    std::vector<memory::desc> descs;
    for (const auto& m : parts) descs.push_back(m.get_desc());
    const dnnl::concat::primitive_desc pd(1, descs, engine);
    memory dst = allocateOutput(pd.dst_desc());
    std::unordered_map<int, memory> args{{DNNL_ARG_DST, dst}};
    for (std::size_t i = 0; i < parts.size(); ++i)
      args.emplace(DNNL_ARG_MULTIPLE_SRC + static_cast<int>(i), parts[i]);
    steps.push_back({dnnl::concat(pd), std::move(args)});
    return dst;
  }

  memory add(const memory& a, const memory& b) {
    const dnnl::binary::desc desc(dnnl::algorithm::binary_add, a.get_desc(), b.get_desc(),
                                  a.get_desc());
    const dnnl::binary::primitive_desc pd(desc, engine);
    memory dst = allocateOutput(pd.dst_desc());
    steps.push_back(
        {dnnl::binary(pd), {{DNNL_ARG_SRC_0, a}, {DNNL_ARG_SRC_1, b}, {DNNL_ARG_DST, dst}}});
    return dst;
  }

  // A head's raw output: reordered from the blocked layout into a plain NCHW tensor.
  torch::Tensor head(const memory& src) {
    const memory::dims dims = src.get_desc().dims();
    torch::Tensor out = torch::empty({dims[0], dims[1], dims[2], dims[3]}, torch::kFloat);
    memory plain({dims, kF32, Tag::nchw}, engine, out.data_ptr());
    steps.push_back({dnnl::reorder(src, plain), {{DNNL_ARG_FROM, src}, {DNNL_ARG_TO, plain}}});
    return out;
  }
};

bool oneDnnNetworkAvailable() {
  // YOLO_ONEDNN_NETWORK=0: libtorch's forward, as in builds without oneDNN (official
  // libtorch); the test suite runs the Detector's tests that way too, to keep that path
  // covered on machines that have oneDNN.
  static const bool switchedOff = [] {
    const char* value = std::getenv("YOLO_ONEDNN_NETWORK");
    return value != nullptr && std::string(value) == "0";
  }();
  return !switchedOff;
}

OneDnnNetwork::OneDnnNetwork(const model::YoloNetImpl& net, bool winograd)
    : impl_(std::make_unique<Impl>()) {
  Impl& impl = *impl_;
  impl.useWinograd = winograd && WinogradConv3x3::available();
  const model::ModelSpec& spec = net.spec();
  const auto layers =
      model::darknetLayers(spec.architecture, static_cast<int>(net.outputChannels()));
  if (layers.empty())
    throw std::runtime_error("oneDNN network: no Darknet layer list for '" + spec.architecture +
                             "'");
  const std::vector<model::ConvBlock> convs = net.convsInDarknetOrder();
  std::size_t nextConv = 0;

  impl.inputSize = spec.inputSize;
  impl.input = memory({{1, 3, spec.inputSize, spec.inputSize}, kF32, Tag::nchw}, impl.engine,
                      DNNL_MEMORY_NONE);
  impl.heads.resize(net.strides().size());
  const std::vector<int> lastUse = lastUses(layers);
  std::vector<memory> outputs(layers.size());
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const auto& l = layers[i];
    const memory& previous = i > 0 ? outputs[i - 1] : impl.input;
    impl.layer = static_cast<int>(i);
    impl.outputUntil = lastUse[i];
    auto absolute = [&](int ref) { return ref < 0 ? static_cast<int>(i) + ref : ref; };
    if (l.type == "convolutional") {
      if (nextConv >= convs.size())
        throw std::runtime_error("oneDNN network: the net has fewer convs than its cfg");
      // conv -> shortcut: the conv adds the shortcut's other input itself.
      const memory* addend = nullptr;
      if (i + 1 < layers.size() && layers[i + 1].type == "shortcut")
        addend = &outputs.at(i + 1 + layers[i + 1].from);
      outputs[i] = impl.convolution(*convs[nextConv++], previous, addend);
    } else if (l.type == "shortcut") {
      // Darknet's cfgs put every [shortcut] right after a conv, which did the add.
      if (i == 0 || layers[i - 1].type != "convolutional")
        throw std::runtime_error("oneDNN network: a [shortcut] must follow a conv");
      outputs[i] = previous;
    } else if (l.type == "maxpool") {
      outputs[i] = impl.maxPool(l, previous);
    } else if (l.type == "upsample") {
      outputs[i] = impl.upsample(l, previous);
    } else if (l.type == "route") {
      std::vector<memory> parts;
      for (int ref : l.layers) parts.push_back(outputs.at(absolute(ref)));
      outputs[i] = parts.size() == 1 ? parts[0] : impl.concatChannels(parts);
    } else if (l.type == "yolo") {
      impl.heads.at(static_cast<std::size_t>(l.mask.at(0) / 3)) = impl.head(previous);
      outputs[i] = previous;
    } else {
      throw std::runtime_error("oneDNN network: unsupported layer [" + l.type + "]");
    }
  }
  if (nextConv != convs.size())
    throw std::runtime_error("oneDNN network: the net has more convs than its cfg");
  impl.shareScratchpad();
}

OneDnnNetwork::~OneDnnNetwork() = default;

std::vector<torch::Tensor> OneDnnNetwork::forward(const torch::Tensor& input) {
  Impl& impl = *impl_;
  const int64_t s = impl.inputSize;
  TORCH_CHECK(input.device().is_cpu() && input.scalar_type() == torch::kFloat &&
                  input.is_contiguous() && input.sizes() == torch::IntArrayRef({1, 3, s, s}),
              "OneDnnNetwork::forward: expected a contiguous CPU float tensor [1, 3, ", s, ", ", s,
              "], got ", input.sizes());
  // oneDNN sizes its OpenMP team by the calling thread's setting, which libtorch sets per
  // thread on its first parallel op; get_num_threads() does that once for a thread that has
  // run none yet. Not at::init_num_threads(): it resizes libtorch's pthreadpool on every
  // call, whose freshly woken threads then spin beside ours (2 threads ran at 1.2x, not
  // 1.7x, of one).
  (void)at::get_num_threads();
  impl.input.set_data_handle(input.data_ptr());
  for (auto& step : impl.steps) {
    if (step.run) {
      impl.stream.wait();
      step.run();
    } else {
      step.primitive.execute(impl.stream, step.args);
    }
  }
  impl.stream.wait();
  return impl.heads;
}

#else  // !YOLO_HAVE_ONEDNN

struct OneDnnNetwork::Impl {};

bool oneDnnNetworkAvailable() { return false; }

OneDnnNetwork::OneDnnNetwork(const model::YoloNetImpl&, bool) {
  throw std::runtime_error("this build has no oneDNN network (oneDNN's headers were not found)");
}

OneDnnNetwork::~OneDnnNetwork() = default;

std::vector<torch::Tensor> OneDnnNetwork::forward(const torch::Tensor&) { return {}; }

#endif

}  // namespace yolo::infer
