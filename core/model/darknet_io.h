#pragma once
// Darknet interop: .weights files in and out, .cfg text in and out, so that COCO weights load
// into our YOLOv3 / YOLOv3-tiny and our trained models run in Darknet and OpenCV DNN.
//
// Conventions both sides share (see docs/darknet.md):
//  - BatchNorm divides by sqrt(var + 1e-6) (Darknet's .000001f; OpenCV's importer uses 1e-6);
//    our ConvBlock uses that epsilon, so no conversion happens on load or save.
//  - A conv with pad=1 pads kernel/2 on every side; tiny's stride-1 maxpool replicates the
//    last row/column (yolov3_tiny.h).
//  - Weights are float32 little-endian; per conv: BN beta, gamma, running mean, running var
//    (or the conv bias when there is no BN), then the conv weights [out, in, k, k].

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "core/model/darknet_cfg.h"
#include "core/model/darknet_weights.h"
#include "core/model/model_spec.h"
#include "core/model/yolo_net.h"

namespace yolo::model {

/// Loads a .weights file into `net` (layer order = net.convsInDarknetOrder()) through
/// readDarknetWeights: everything is read and checked first and copied into `net` only when
/// the whole file is good, so on any error `net` is unchanged. Skipped convs (transfer
/// learning) keep their current weights.
DarknetLoadReport loadDarknetWeights(YoloNetImpl& net, const std::filesystem::path& weights,
                                     const DarknetLoadOptions& options = {});

/// Writes `net`'s weights as a Darknet .weights file (version 0.2.0, 64-bit seen), atomically.
void saveDarknetWeights(YoloNetImpl& net, const std::filesystem::path& weights,
                        const DarknetWeightsHeader& header = {});

/// The Darknet cfg our model corresponds to: [net] with width/height = spec().inputSize, then
/// the exact layer sequence of yolov3.cfg / yolov3-tiny.cfg / yolov3-tiny_3l.cfg with filters = 3 *
/// (5 + classes), [yolo] sections that list our anchors with masks 0,1,2 / 3,4,5 / 6,7,8 (per scale
/// in stride order), so Darknet and OpenCV decode with the anchors we trained with.
std::string darknetCfgText(const YoloNetImpl& net);

/// Writes DIR/<name>.cfg, DIR/<name>.weights, DIR/<name>.names (each atomically; DIR is
/// created) for `net`, readable by Darknet and cv::dnn::readNetFromDarknet. Throws
/// std::invalid_argument when classNames.size() != numClasses.
void saveDarknet(YoloNetImpl& net, const std::vector<std::string>& classNames,
                 const std::filesystem::path& dir, const std::string& name);

/// Builds the model a cfg describes and loads the weights into it (strict).
std::shared_ptr<YoloNetImpl> loadDarknet(const std::filesystem::path& cfg,
                                         const std::filesystem::path& weights,
                                         DarknetLoadReport* report = nullptr);

}  // namespace yolo::model
