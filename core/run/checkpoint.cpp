#include "core/run/checkpoint.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/util/atomic_file.h"

namespace yolo::run {
namespace fs = std::filesystem;

namespace {

constexpr const char* kHeaderKey = "yolo_workbench_header";
constexpr const char* kModelKey = "model";           // the weights to detect with
constexpr const char* kLiveModelKey = "live_model";  // the weights training continues from

CheckpointHeader headerFromArchive(torch::serialize::InputArchive& archive, const fs::path& path) {
  c10::IValue value;
  if (!archive.try_read(kHeaderKey, value) || !value.isString()) {
    throw std::runtime_error(path.string() + ": not a YOLO Workbench checkpoint (no header)");
  }
  try {
    return checkpointHeaderFromText(value.toStringRef());
  } catch (const std::exception& e) {
    throw std::runtime_error(path.string() + ": bad checkpoint header: " + e.what());
  }
}

torch::serialize::InputArchive openArchive(const fs::path& path) {
  if (!fs::is_regular_file(path)) {
    throw std::runtime_error(path.string() + ": checkpoint file does not exist");
  }
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(path.string(), torch::kCPU);
  } catch (const c10::Error& e) {
    throw std::runtime_error(path.string() + ": cannot read checkpoint (truncated or not a " +
                             "checkpoint): " + e.what_without_backtrace());
  }
  return archive;
}

torch::serialize::OutputArchive weightsArchive(torch::nn::Module& model) {
  // Flat "a.b.weight" keys (not Module::save's nested archives) so loading can check every
  // tensor by its full name before touching the model.
  torch::serialize::OutputArchive weights;
  for (const auto& item : model.named_parameters(/*recurse=*/true))
    weights.write(item.key(), item.value(), /*is_buffer=*/false);
  for (const auto& item : model.named_buffers(/*recurse=*/true))
    weights.write(item.key(), item.value(), /*is_buffer=*/true);
  return weights;
}

// Pairs each tensor of `model` with its stored value; throws on the first missing or
// mis-shaped one.
void collectCopies(const fs::path& path, torch::serialize::InputArchive& weights,
                   torch::nn::Module& model,
                   std::vector<std::pair<torch::Tensor, torch::Tensor>>& copies) {
  auto collect = [&](const std::string& name, const torch::Tensor& target, bool isBuffer) {
    torch::Tensor stored;
    if (!weights.try_read(name, stored, isBuffer)) {
      throw std::runtime_error(path.string() + ": checkpoint has no tensor '" + name +
                               "' (a different model?)");
    }
    if (stored.sizes() != target.sizes()) {
      std::ostringstream msg;
      msg << path.string() << ": tensor '" << name << "' has shape " << stored.sizes()
          << ", the model expects " << target.sizes()
          << " (different architecture or class count?)";
      throw std::runtime_error(msg.str());
    }
    copies.emplace_back(target, stored);
  };
  for (const auto& item : model.named_parameters(/*recurse=*/true))
    collect(item.key(), item.value(), false);
  for (const auto& item : model.named_buffers(/*recurse=*/true))
    collect(item.key(), item.value(), true);
}

}  // namespace

void saveCheckpoint(const fs::path& path, const CheckpointHeader& header, torch::nn::Module& model,
                    torch::optim::Optimizer* optimizer, torch::nn::Module* averaged) {
  torch::serialize::OutputArchive archive;
  archive.write(kHeaderKey, c10::IValue(checkpointHeaderToText(header)));
  torch::serialize::OutputArchive inferenceWeights = weightsArchive(averaged ? *averaged : model);
  archive.write(kModelKey, inferenceWeights);
  if (averaged) {
    torch::serialize::OutputArchive liveWeights = weightsArchive(model);
    archive.write(kLiveModelKey, liveWeights);
  }
  if (optimizer) {
    torch::serialize::OutputArchive optimizerArchive;
    optimizer->save(optimizerArchive);
    archive.write("optimizer", optimizerArchive);
  }
  writeFileAtomically(path, [&](std::ostream& out) {
    // libtorch's zip writer throws from its destructor when its stream fails (a full disk),
    // which ends the process. So it writes through a function that takes every byte, and
    // the stream's failure is found after (writeFileAtomically checks it and throws).
    archive.save_to([&](const void* data, size_t size) -> size_t {
      if (out) out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
      return size;
    });
  });
}

CheckpointHeader readCheckpointHeader(const fs::path& path) {
  auto archive = openArchive(path);
  return headerFromArchive(archive, path);
}

CheckpointHeader loadCheckpoint(const fs::path& path, torch::nn::Module& model,
                                torch::optim::Optimizer* optimizer, torch::nn::Module* averaged) {
  auto archive = openArchive(path);
  CheckpointHeader header = headerFromArchive(archive, path);

  torch::serialize::InputArchive inferenceWeights;
  if (!archive.try_read(kModelKey, inferenceWeights)) {
    throw std::runtime_error(path.string() + ": checkpoint holds no model weights");
  }
  // Check every tensor before copying any, so a mismatch leaves the modules as they were.
  std::vector<std::pair<torch::Tensor, torch::Tensor>> copies;
  if (averaged) {
    torch::serialize::InputArchive liveWeights;
    const bool hasLive = archive.try_read(kLiveModelKey, liveWeights);
    collectCopies(path, hasLive ? liveWeights : inferenceWeights, model, copies);
    collectCopies(path, inferenceWeights, *averaged, copies);
  } else {
    collectCopies(path, inferenceWeights, model, copies);
  }
  torch::NoGradGuard noGrad;
  for (auto& [target, stored] : copies) target.copy_(stored);

  if (optimizer) {
    torch::serialize::InputArchive optimizerArchive;
    if (archive.try_read("optimizer", optimizerArchive)) {
      optimizer->load(optimizerArchive);
    }
  }
  return header;
}

fs::path resolveCheckpoint(const fs::path& path) {
  if (fs::is_directory(path)) {
    for (const char* name : {"best.pt", "last.pt"}) {
      if (fs::is_regular_file(path / name)) return path / name;
    }
    throw std::runtime_error(path.string() + ": run folder has neither best.pt nor last.pt");
  }
  if (!fs::exists(path)) throw std::runtime_error(path.string() + ": no such file or folder");
  return path;
}

}  // namespace yolo::run
