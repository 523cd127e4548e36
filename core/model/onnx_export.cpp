#include "core/model/onnx_export.h"

#include <cstdint>
#include <stdexcept>

#include "core/model/darknet_layers.h"
#include "core/model/decode.h"
#include "core/model/fold_batchnorm.h"
#include "core/util/atomic_file.h"

#ifdef YOLO_HAVE_ONNX
#include <onnx/checker.h>
#include <onnx/onnx_pb.h>
#endif

namespace yolo::model {

#ifdef YOLO_HAVE_ONNX

namespace {

constexpr int kOpset = 11;     // NonMaxSuppression, Resize with scales, GatherND
constexpr int kIrVersion = 6;  // ONNX 1.6's IR, the release that brought opset 11
constexpr float kLeakySlope = 0.1f;

/// Appends nodes and initializers to one graph, naming each output after its node.
class GraphBuilder {
 public:
  explicit GraphBuilder(onnx::GraphProto& graph) : graph_(graph) {}

  /// A node of `op` on `inputs`; returns the name of its one output (the node's own name).
  /// The attribute setters below, called right after, add to this node.
  std::string node(const std::string& op, const std::vector<std::string>& inputs) {
    node_ = graph_.add_node();
    node_->set_op_type(op);
    const std::string name = op + "_" + std::to_string(count_++);
    node_->set_name(name);
    for (const auto& in : inputs) node_->add_input(in);
    node_->add_output(name);
    return name;
  }
  GraphBuilder& ints(const std::string& key, const std::vector<int64_t>& values) {
    auto* a = attribute(key, onnx::AttributeProto::INTS);
    for (int64_t v : values) a->add_ints(v);
    return *this;
  }
  GraphBuilder& integer(const std::string& key, int64_t value) {
    attribute(key, onnx::AttributeProto::INT)->set_i(value);
    return *this;
  }
  GraphBuilder& real(const std::string& key, float value) {
    attribute(key, onnx::AttributeProto::FLOAT)->set_f(value);
    return *this;
  }
  GraphBuilder& text(const std::string& key, const std::string& value) {
    attribute(key, onnx::AttributeProto::STRING)->set_s(value);
    return *this;
  }

  std::string floats(const std::string& name, const std::vector<int64_t>& dims, const float* data,
                     std::size_t count) {
    auto* t = graph_.add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    for (int64_t d : dims) t->add_dims(d);
    t->set_raw_data(data, count * sizeof(float));
    return name;
  }
  std::string floats(const std::string& name, const std::vector<int64_t>& dims,
                     const std::vector<float>& data) {
    return floats(name, dims, data.data(), data.size());
  }
  std::string int64s(const std::string& name, const std::vector<int64_t>& data) {
    auto* t = graph_.add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::INT64);
    t->add_dims(static_cast<int64_t>(data.size()));
    t->set_raw_data(data.data(), data.size() * sizeof(int64_t));
    return name;
  }
  std::string tensor(const std::string& name, const torch::Tensor& t) {
    const torch::Tensor c = t.detach().to(torch::kCPU, torch::kFloat).contiguous();
    return floats(name, c.sizes().vec(), c.data_ptr<float>(), static_cast<std::size_t>(c.numel()));
  }

  /// data[begin:end] along `axis`, its bounds as initializers of their own.
  std::string slice(const std::string& data, int64_t axis, int64_t begin, int64_t end) {
    const std::string id = std::to_string(count_);
    return node("Slice", {data, int64s("slice_starts_" + id, {begin}),
                          int64s("slice_ends_" + id, {end}), int64s("slice_axes_" + id, {axis})});
  }

 private:
  onnx::AttributeProto* attribute(const std::string& key,
                                  onnx::AttributeProto::AttributeType type) {
    auto* a = node_->add_attribute();
    a->set_name(key);
    a->set_type(type);
    return a;
  }

  onnx::GraphProto& graph_;
  onnx::NodeProto* node_ = nullptr;
  int count_ = 0;
};

void declare(onnx::ValueInfoProto* value, const std::string& name, int elemType,
             const std::vector<int64_t>& dims, bool dynamicBatch) {
  value->set_name(name);
  auto* type = value->mutable_type()->mutable_tensor_type();
  type->set_elem_type(elemType);
  auto* shape = type->mutable_shape();
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (i == 0 && dynamicBatch)
      shape->add_dim()->set_dim_param("batch");
    else if (dims[i] < 0)
      shape->add_dim()->set_dim_param(i == 0 ? "detections" : "n" + std::to_string(i));
    else
      shape->add_dim()->set_dim_value(dims[i]);
  }
}

/// The network up to the heads, layer by layer as Darknet's cfg lists them (the same walk as
/// the oneDNN engine): returns the head outputs in ascending stride.
std::vector<std::string> addNetwork(GraphBuilder& g, const YoloNetImpl& net,
                                    const std::string& input) {
  const auto layers =
      darknetLayers(net.spec().architecture, static_cast<int>(net.outputChannels()));
  if (layers.empty())
    throw std::runtime_error("ONNX export: no Darknet layer list for '" + net.spec().architecture +
                             "'");
  const std::vector<ConvBlock> convs = net.convsInDarknetOrder();
  std::size_t nextConv = 0;
  std::vector<std::string> outputs(layers.size());
  std::vector<std::string> heads(net.strides().size());
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const DarknetLayer& l = layers[i];
    const std::string& previous = i > 0 ? outputs[i - 1] : input;
    auto absolute = [&](int ref) {
      return static_cast<std::size_t>(ref < 0 ? static_cast<int>(i) + ref : ref);
    };
    if (l.type == "convolutional") {
      if (nextConv >= convs.size())
        throw std::runtime_error("ONNX export: the net has fewer convs than its cfg");
      const FoldedConv folded = foldedConv(*convs[nextConv]);
      const std::string id = std::to_string(nextConv++);
      const int64_t pad = l.size / 2;
      std::string out = g.node("Conv", {previous, g.tensor("conv" + id + ".weight", folded.weight),
                                        g.tensor("conv" + id + ".bias", folded.bias)});
      g.ints("kernel_shape", {l.size, l.size})
          .ints("strides", {l.stride, l.stride})
          .ints("pads", {pad, pad, pad, pad});
      if (l.activation == "leaky") {
        out = g.node("LeakyRelu", {out});
        g.real("alpha", kLeakySlope);
      } else if (l.activation != "linear") {
        throw std::runtime_error("ONNX export: activation '" + l.activation + "' is not supported");
      }
      outputs[i] = out;
    } else if (l.type == "shortcut") {
      outputs[i] = g.node("Add", {previous, outputs.at(absolute(l.from))});
    } else if (l.type == "maxpool") {
      // Darknet pads only after (bottom, right), so that stride 1 keeps the size:
      // out = (in - 1) / stride + 1, as the oneDNN engine pools.
      outputs[i] = g.node("MaxPool", {previous});
      // (out - 1) * stride + size - in, which is size - stride as every map's side is a
      // multiple of the stride here.
      const int64_t after = l.size - l.stride;
      g.ints("kernel_shape", {l.size, l.size})
          .ints("strides", {l.stride, l.stride})
          .ints("pads", {0, 0, after, after});
    } else if (l.type == "upsample") {
      const float factor = static_cast<float>(l.stride);
      outputs[i] =
          g.node("Resize",
                 {previous, g.floats("resize_roi_" + std::to_string(i), {0}, {}),
                  g.floats("resize_scales_" + std::to_string(i), {4}, {1.f, 1.f, factor, factor})});
      g.text("mode", "nearest")
          .text("coordinate_transformation_mode", "asymmetric")
          .text("nearest_mode", "floor");
    } else if (l.type == "route") {
      std::vector<std::string> parts;
      for (int ref : l.layers) parts.push_back(outputs.at(absolute(ref)));
      if (parts.size() == 1) {
        outputs[i] = parts[0];
      } else {
        outputs[i] = g.node("Concat", parts);
        g.integer("axis", 1);
      }
    } else if (l.type == "yolo") {
      heads.at(static_cast<std::size_t>(l.mask.at(0) / kAnchorsPerScale)) = previous;
      outputs[i] = previous;
    } else {
      throw std::runtime_error("ONNX export: unsupported layer [" + l.type + "]");
    }
  }
  if (nextConv != convs.size())
    throw std::runtime_error("ONNX export: the net has more convs than its cfg");
  return heads;
}

/// One head's raw output -> [N, H * W * 3, 5 + C] rows x1, y1, x2, y2, objectness, class
/// probabilities: model::decode's arithmetic, corners instead of centres.
std::string addDecode(GraphBuilder& g, const std::string& raw, int stride, int grid,
                      const ScaleAnchors& anchors, int64_t rowWidth) {
  const int64_t a = kAnchorsPerScale, cells = static_cast<int64_t>(grid) * grid * a;
  const std::string id = std::to_string(stride);
  std::string p =
      g.node("Reshape", {raw, g.int64s("shape5_s" + id, {-1, a, rowWidth, grid, grid})});
  p = g.node("Transpose", {p});
  g.ints("perm", {0, 3, 4, 1, 2});  // [N, H, W, A, 5 + C]
  p = g.node("Reshape", {p, g.int64s("shape3_s" + id, {-1, cells, rowWidth})});
  // Per row (cell row, cell column, anchor): the cell's corner and the anchor's size.
  std::vector<float> offsets, sizes;
  offsets.reserve(static_cast<std::size_t>(cells) * 2);
  sizes.reserve(static_cast<std::size_t>(cells) * 2);
  for (int row = 0; row < grid; ++row)
    for (int col = 0; col < grid; ++col)
      for (const auto& wh : anchors) {
        offsets.insert(offsets.end(), {static_cast<float>(col), static_cast<float>(row)});
        sizes.insert(sizes.end(), {wh[0], wh[1]});
      }
  const std::string centre =
      g.node("Mul", {g.node("Add", {g.node("Sigmoid", {g.slice(p, 2, 0, 2)}),
                                    g.floats("cells_s" + id, {1, cells, 2}, offsets)}),
                     g.floats("stride_s" + id, {1}, {static_cast<float>(stride)})});
  // exp(min(t, kMaxLogScale)), the min written t - relu(t - max): OpenCV's importer takes
  // neither Min with a constant nor opset 11's Clip with bounds as inputs.
  const std::string t = g.slice(p, 2, 2, 4);
  const std::string logScale = g.node(
      "Sub",
      {t, g.node("Relu", {g.node("Sub", {t, g.floats("max_log_scale_s" + id, {1},
                                                     {static_cast<float>(kMaxLogScale)})})})});
  const std::string size =
      g.node("Mul", {g.node("Exp", {logScale}), g.floats("anchors_s" + id, {1, cells, 2}, sizes)});
  const std::string half = g.node("Mul", {size, g.floats("half_s" + id, {1}, {0.5f})});
  const std::string rest = g.node("Sigmoid", {g.slice(p, 2, 4, rowWidth)});
  const std::string out =
      g.node("Concat", {g.node("Sub", {centre, half}), g.node("Add", {centre, half}), rest});
  g.integer("axis", 2);
  return out;
}

/// candidates [N, K, 5 + C] -> detections [M, 7]: batch, x1, y1, x2, y2, score, class.
std::string addNms(GraphBuilder& g, const std::string& candidates, int64_t rowWidth, int inputSize,
                   const OnnxExportOptions& o) {
  std::string boxes = g.node("Clip", {g.slice(candidates, 2, 0, 4), g.floats("clip_min", {}, {0.f}),
                                      g.floats("clip_max", {}, {static_cast<float>(inputSize)})});
  const std::string objectness = g.slice(candidates, 2, 4, 5);
  const std::string classes = g.slice(candidates, 2, 5, rowWidth);
  const std::string best = g.node("ReduceMax", {classes});
  g.ints("axes", {2}).integer("keepdims", 1);
  // Each box competes only in its best class, as yolo-cli detect scores it.
  std::string isBest = g.node("Equal", {classes, best});
  isBest = g.node("Cast", {isBest});
  g.integer("to", onnx::TensorProto::FLOAT);
  std::string scores = g.node("Mul", {g.node("Mul", {objectness, classes}), isBest});
  scores = g.node("Transpose", {scores});
  g.ints("perm", {0, 2, 1});  // [N, C, K]
  const std::string selected =
      g.node("NonMaxSuppression", {boxes, scores, g.int64s("nms_max_per_class", {o.maxDetections}),
                                   g.floats("nms_iou", {1}, {o.iouThreshold}),
                                   g.floats("nms_score", {1}, {o.scoreThreshold})});
  const std::string batch = g.slice(selected, 1, 0, 1), klass = g.slice(selected, 1, 1, 2),
                    box = g.slice(selected, 1, 2, 3);
  std::string boxIndex = g.node("Concat", {batch, box});
  g.integer("axis", 1);
  const std::string chosenBoxes = g.node("GatherND", {boxes, boxIndex});
  std::string chosenScores = g.node("GatherND", {scores, selected});
  chosenScores = g.node("Unsqueeze", {chosenScores});
  g.ints("axes", {1});
  std::string batchF = g.node("Cast", {batch});
  g.integer("to", onnx::TensorProto::FLOAT);
  std::string classF = g.node("Cast", {klass});
  g.integer("to", onnx::TensorProto::FLOAT);
  const std::string out = g.node("Concat", {batchF, chosenBoxes, chosenScores, classF});
  g.integer("axis", 1);
  return out;
}

}  // namespace

bool onnxExportAvailable() { return true; }

std::string buildOnnxModel(const YoloNetImpl& net, const std::vector<std::string>& classNames,
                           const OnnxExportOptions& options) {
  const ModelSpec& spec = net.spec();
  if (static_cast<int>(classNames.size()) != spec.numClasses)
    throw std::invalid_argument("ONNX export: " + std::to_string(classNames.size()) +
                                " class names for a model of " + std::to_string(spec.numClasses) +
                                " classes");
  onnx::ModelProto model;
  model.set_ir_version(kIrVersion);
  model.set_producer_name("yolo-workbench");
  auto* opset = model.add_opset_import();
  opset->set_domain("");
  opset->set_version(kOpset);
  std::string names;
  for (const auto& n : classNames) names += n + "\n";
  for (const auto& [key, value] : {std::pair<std::string, std::string>{"class_names", names},
                                   {"architecture", spec.architecture},
                                   {"input_size", std::to_string(spec.inputSize)}}) {
    auto* prop = model.add_metadata_props();
    prop->set_key(key);
    prop->set_value(value);
  }

  onnx::GraphProto& graph = *model.mutable_graph();
  graph.set_name(spec.architecture);
  const int64_t s = spec.inputSize, rowWidth = 5 + spec.numClasses;
  declare(graph.add_input(), "images", onnx::TensorProto::FLOAT, {1, 3, s, s},
          options.dynamicBatch);
  GraphBuilder g(graph);
  torch::NoGradGuard noGrad;
  const std::vector<std::string> heads = addNetwork(g, net, "images");

  auto output = [&](const std::string& from, const std::string& name, int elemType,
                    const std::vector<int64_t>& dims, bool batched) {
    g.node("Identity", {from});
    graph.mutable_node(graph.node_size() - 1)->set_output(0, name);
    declare(graph.add_output(), name, elemType, dims, batched && options.dynamicBatch);
  };
  if (options.head == OnnxExportOptions::Head::raw) {
    for (std::size_t i = 0; i < heads.size(); ++i) {
      const int64_t grid = s / net.strides()[i];
      output(heads[i], "head_s" + std::to_string(net.strides()[i]), onnx::TensorProto::FLOAT,
             {1, net.outputChannels(), grid, grid}, true);
    }
  } else {
    std::vector<std::string> parts;
    int64_t rows = 0;
    for (std::size_t i = 0; i < heads.size(); ++i) {
      const int stride = net.strides()[i];
      const int grid = static_cast<int>(s / stride);
      parts.push_back(addDecode(g, heads[i], stride, grid, net.anchors()[i], rowWidth));
      rows += static_cast<int64_t>(grid) * grid * kAnchorsPerScale;
    }
    const std::string candidates = g.node("Concat", parts);
    g.integer("axis", 1);
    if (options.head == OnnxExportOptions::Head::decoded)
      output(candidates, "candidates", onnx::TensorProto::FLOAT, {1, rows, rowWidth}, true);
    else
      output(addNms(g, candidates, rowWidth, spec.inputSize, options), "detections",
             onnx::TensorProto::FLOAT, {-1, 7}, false);
  }

  try {
    onnx::checker::check_model(model);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("ONNX export: the ONNX checker refuses the graph: ") +
                             e.what());
  }
  std::string bytes;
  if (!model.SerializeToString(&bytes))
    throw std::runtime_error("ONNX export: the model does not serialise (over 2 GB?)");
  return bytes;
}

#else  // !YOLO_HAVE_ONNX

bool onnxExportAvailable() { return false; }

std::string buildOnnxModel(const YoloNetImpl&, const std::vector<std::string>&,
                           const OnnxExportOptions&) {
  throw std::runtime_error(
      "this build cannot write ONNX: configure found no libonnx (Debian: libonnx-dev "
      "libprotobuf-dev)");
}

#endif

void exportOnnx(const YoloNetImpl& net, const std::vector<std::string>& classNames,
                const std::filesystem::path& file, const OnnxExportOptions& options) {
  const std::string bytes = buildOnnxModel(net, classNames, options);
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
  writeFileAtomically(file, [&](std::ostream& out) {
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  });
}

}  // namespace yolo::model
