#pragma once
// Prepares batches on background threads while the model computes, in a fixed order, so a
// run is reproducible however the threads are scheduled.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <torch/torch.h>

#include "core/data/detection_dataset.h"

namespace yolo::data {

/// A batch ready for the model. `extra` holds whatever the collate step adds (the YOLO
/// targets, built on the worker threads too).
/// A sample of the epoch that could not be read (an image file missing, corrupt, too large).
struct SkippedSample {
  std::size_t sample = 0;  ///< index in the dataset
  std::string why;         ///< the reader's message, naming the file
};

struct Batch {
  int64_t index = 0;                   ///< 0-based batch number within the epoch
  torch::Tensor images;                ///< [B,3,S,S] float32 0..1
  std::vector<torch::Tensor> boxes;    ///< per image [N,5] x1,y1,x2,y2,class, network px
  std::vector<torch::Tensor> extra;    ///< collate's output (e.g. labels and bboxes)
  std::vector<SkippedSample> skipped;  ///< samples left out of this batch
};

class BatchLoader {
 public:
  /// Adds targets to a batch whose images and boxes are filled; runs on a worker thread.
  using Collate = std::function<void(Batch&)>;

  /// Visits `order` in slices of `batchSize` (the last one may be smaller), starting at
  /// batch `firstBatch`. Example i is augmented with exampleSeed(runSeed, epoch, i).
  BatchLoader(const DetectionDataset& dataset, std::vector<std::size_t> order, int batchSize,
              int workers, bool augment, uint64_t runSeed, int64_t epoch, Collate collate,
              int64_t firstBatch = 0);
  ~BatchLoader();
  BatchLoader(const BatchLoader&) = delete;
  BatchLoader& operator=(const BatchLoader&) = delete;

  /// The next batch in order, or nothing at the end of the epoch. Blocks while it is
  /// being prepared; that time is added to waitSeconds(). Rethrows a worker's error.
  std::optional<Batch> next();

  int64_t batchCount() const { return batchCount_; }
  double waitSeconds() const { return waitSeconds_; }

 private:
  void work();
  Batch build(int64_t batchIndex) const;

  const DetectionDataset& dataset_;
  std::vector<std::size_t> order_;
  int batchSize_;
  bool augment_;
  uint64_t runSeed_;
  int64_t epoch_;
  Collate collate_;
  int64_t batchCount_;
  int64_t prefetch_;

  std::mutex mutex_;
  std::condition_variable ready_;     // a batch was finished
  std::condition_variable consumed_;  // room for more prefetching
  std::map<int64_t, Batch> done_;
  std::exception_ptr error_;
  int64_t nextToBuild_;
  int64_t nextToHand_;
  bool closing_ = false;
  double waitSeconds_ = 0;
  std::vector<std::thread> threads_;
};

}  // namespace yolo::data
