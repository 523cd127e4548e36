#include "core/data/batch_loader.h"

#include <chrono>

namespace yolo::data {

BatchLoader::BatchLoader(const DetectionDataset& dataset, std::vector<std::size_t> order,
                         int batchSize, int workers, bool augment, uint64_t runSeed, int64_t epoch,
                         Collate collate, int64_t firstBatch)
    : dataset_(dataset),
      order_(std::move(order)),
      batchSize_(std::max(1, batchSize)),
      augment_(augment),
      runSeed_(runSeed),
      epoch_(epoch),
      collate_(std::move(collate)),
      batchCount_((static_cast<int64_t>(order_.size()) + batchSize_ - 1) / batchSize_),
      prefetch_(std::max(2, 2 * workers)),
      nextToBuild_(firstBatch),
      nextToHand_(firstBatch) {
  for (int i = 0; i < std::max(1, workers); ++i) threads_.emplace_back([this] { work(); });
}

BatchLoader::~BatchLoader() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closing_ = true;
  }
  consumed_.notify_all();
  for (auto& t : threads_) t.join();
}

Batch BatchLoader::build(int64_t batchIndex) const {
  Batch batch;
  batch.index = batchIndex;
  std::vector<torch::Tensor> images;
  const std::size_t begin = static_cast<std::size_t>(batchIndex) * batchSize_;
  const std::size_t end = std::min(order_.size(), begin + batchSize_);
  for (std::size_t k = begin; k < end; ++k) {
    const std::size_t sample = order_[k];
    try {
      TrainingExample ex = dataset_.get(sample, augment_, exampleSeed(runSeed_, epoch_, sample));
      images.push_back(std::move(ex.image));
      batch.boxes.push_back(std::move(ex.boxes));
    } catch (const std::exception& e) {
      // One unreadable image must not end a long run: skip it and say so.
      batch.skipped.push_back({sample, e.what()});
    }
  }
  if (!images.empty()) {
    batch.images = torch::stack(images);
    if (collate_) collate_(batch);
  }
  return batch;
}

void BatchLoader::work() {
  for (;;) {
    int64_t mine;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      consumed_.wait(lock, [&] {
        return closing_ || nextToBuild_ >= batchCount_ || nextToBuild_ < nextToHand_ + prefetch_;
      });
      if (closing_ || nextToBuild_ >= batchCount_ || error_) return;
      mine = nextToBuild_++;
    }
    try {
      Batch batch = build(mine);
      std::lock_guard<std::mutex> lock(mutex_);
      done_.emplace(mine, std::move(batch));
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      error_ = std::current_exception();
    }
    ready_.notify_all();
  }
}

std::optional<Batch> BatchLoader::next() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (nextToHand_ >= batchCount_) return std::nullopt;
  const auto start = std::chrono::steady_clock::now();
  ready_.wait(lock, [&] { return error_ || done_.count(nextToHand_) > 0; });
  waitSeconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (error_) std::rethrow_exception(error_);
  auto it = done_.find(nextToHand_);
  Batch batch = std::move(it->second);
  done_.erase(it);
  ++nextToHand_;
  lock.unlock();
  consumed_.notify_all();
  return batch;
}

}  // namespace yolo::data
