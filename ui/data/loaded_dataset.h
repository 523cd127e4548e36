#pragma once
// A dataset as the Data view shows it: samples with resolved image paths, class names,
// the annotation line of each sample, and the problems found while reading.

#include <QString>
#include <QStringList>
#include <QVector>

#include <memory>
#include <vector>

#include "core/data/box.h"

namespace yolo::ui {

struct LoadedDataset {
  QString source;  ///< the file or folder opened
  QString kind;    ///< the format, as core/data/dataset_source.h names it ("tutorial", "voc", ...)
  QStringList classNames;
  std::vector<data::Sample> samples;  ///< image paths absolute
  QStringList splits;                 ///< per sample: "train", "test" or empty
  QStringList lines;                  ///< per sample: its line in the annotation format
  QStringList issues;                 ///< "file:line: 'token': message"
  QString error;                      ///< set when nothing could be read

  int size() const { return static_cast<int>(samples.size()); }
};

/// Reads any dataset core/data/dataset_source.h reads (a make-data folder or annotation
/// file, Darknet or Ultralytics YOLO txt, VOC, COCO), with its own splits ("train" and
/// "test" for the validation images). Never throws; `error` says why when nothing could be
/// read. Safe to call on any thread.
LoadedDataset loadDataset(const QString& path);

}  // namespace yolo::ui
