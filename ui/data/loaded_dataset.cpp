#include "ui/data/loaded_dataset.h"

#include <QDir>
#include <QFileInfo>

#include <exception>
#include <filesystem>

#include "core/data/annotation_file.h"
#include "core/data/dataset_source.h"

namespace yolo::ui {

namespace fs = std::filesystem;

namespace {

QString str(const std::string& s) { return QString::fromStdString(s); }

QStringList namesBeside(const fs::path& annotations, const std::vector<data::Sample>& samples) {
  QStringList names;
  for (const std::string& n : data::tutorialClassNames(annotations.parent_path(), samples))
    names << str(n);
  return names;
}

QString lineOf(const data::Sample& sample, const fs::path& base) {
  try {
    return str(data::formatAnnotationLine(sample, base));
  } catch (const std::exception&) {
    return str(sample.image.string());
  }
}

void addAnnotationFile(LoadedDataset& out, const fs::path& file, const QString& split) {
  data::AnnotationReadOptions options;
  options.checkImagesExist = true;
  const data::AnnotationLoadResult result = data::readAnnotationFile(file, options);
  for (const auto& issue : result.issues) out.issues << str(data::toString(issue));
  // The reader has resolved each image against the file's folder already.
  const fs::path base = file.parent_path();
  for (const data::Sample& sample : result.samples) {
    out.lines << lineOf(sample, base);
    out.splits << split;
    out.samples.push_back(sample);
  }
}

void addSplit(LoadedDataset& out, const std::vector<data::Sample>& samples, const QString& split) {
  for (const data::Sample& sample : samples) {
    out.lines << lineOf(sample, sample.image.parent_path());
    out.splits << split;
    out.samples.push_back(sample);
  }
}

}  // namespace

LoadedDataset loadDataset(const QString& path) {
  LoadedDataset out;
  out.source = path;
  const fs::path p = path.toStdString();
  try {
    const std::string format = data::detectDatasetFormat(p);
    out.kind = str(format);
    if (format == "tutorial" && fs::is_regular_file(p)) {
      addAnnotationFile(out, p, QString());
      out.classNames = namesBeside(p, out.samples);
    } else if (format == "tutorial") {
      if (fs::exists(p / "train.txt"))
        addAnnotationFile(out, p / "train.txt", QStringLiteral("train"));
      if (fs::exists(p / "test.txt"))
        addAnnotationFile(out, p / "test.txt", QStringLiteral("test"));
      out.classNames = namesBeside(p / "train.txt", out.samples);
    } else {
      // Shown as the files split it: no validation split is made up for browsing.
      const data::DatasetSplits d = data::openDatasetSplits(p, {/*share=*/0.0, /*seed=*/0});
      for (const auto& issue : d.issues) out.issues << str(data::toString(issue));
      for (const std::string& n : d.classNames) out.classNames << str(n);
      addSplit(out, d.train, d.validation.empty() ? QString() : QStringLiteral("train"));
      addSplit(out, d.validation, QStringLiteral("test"));
    }
  } catch (const std::exception& e) {
    out.error = str(e.what());
  }
  if (out.error.isEmpty() && out.samples.empty()) {
    out.error =
        out.issues.isEmpty()
            ? QObject::tr("%1 holds no annotated images").arg(QDir::toNativeSeparators(path))
            : QObject::tr("no readable samples in %1 (%2 problems)")
                  .arg(QDir::toNativeSeparators(path))
                  .arg(out.issues.size());
  }
  return out;
}

}  // namespace yolo::ui
