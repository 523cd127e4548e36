#pragma once
// Reading Darknet .cfg files: what network a cfg describes and whether it is one of ours
// (YOLOv3, YOLOv3-tiny, YOLOv3-tiny-3l). Torch-free: the fuzz targets (fuzz/) build it alone.

#include <filesystem>
#include <string>
#include <vector>

#include "core/model/model_spec.h"

namespace yolo::model {

/// The Darknet cfg of the model `spec` describes: [net] with width/height = inputSize, then
/// the exact layer sequence of yolov3.cfg / yolov3-tiny.cfg / yolov3-tiny_3l.cfg with
/// filters = 3 * (5 + numClasses) before each [yolo], and the anchors (anchorsOf(spec)).
std::string darknetCfgText(const ModelSpec& spec);

/// What a Darknet cfg describes, as far as our models go.
struct DarknetCfg {
  ModelSpec spec;  ///< architecture, numClasses, inputSize (width), anchors (per scale)
  int width = 0, height = 0;
  /// For each [yolo] section in file order, its mask; standard yolov3-tiny.cfg has 3,4,5 and
  /// 1,2,3 (which our models cannot express: spec.anchors then takes the masked anchors).
  std::vector<std::vector<int>> masks;
};

/// Parses cfg text (yolov3.cfg, yolov3-tiny.cfg, yolov3-tiny_3l.cfg or one darknetCfgText()
/// wrote) and checks its layer sequence against our YOLOv3 / YOLOv3-tiny / YOLOv3-tiny-3l. `source`
/// names the text in errors. Throws std::runtime_error with the line number for an unknown section,
/// a bad value, or a layer that differs from our architecture (what was expected, what was found).
DarknetCfg parseDarknetCfg(const std::string& text, const std::string& source = "<cfg>");
DarknetCfg readDarknetCfg(const std::filesystem::path& cfg);

}  // namespace yolo::model
