#include "core/data/anchor_fit.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>

#include "core/data/annotation_file.h"
#include "core/util/image_file.h"
#include "core/util/letterbox.h"

namespace yolo::data {

namespace {

float area(const BoxShape& s) { return s[0] * s[1]; }

/// Anchors are written as whole pixels (as Darknet's cfg files hold them), at least 1.
BoxShape wholePixels(const BoxShape& s) {
  return {std::max(1.f, std::round(s[0])), std::max(1.f, std::round(s[1]))};
}

/// k-means++ seeding with d = 1 - IoU: each next centre drawn with probability
/// proportional to d^2 from the nearest centre chosen so far.
std::vector<BoxShape> seedCentres(const std::vector<BoxShape>& shapes, int count,
                                  std::mt19937_64& rng) {
  std::vector<BoxShape> centres{
      shapes[std::uniform_int_distribution<std::size_t>(0, shapes.size() - 1)(rng)]};
  std::vector<double> weight(shapes.size());
  while (static_cast<int>(centres.size()) < count) {
    double total = 0;
    for (std::size_t i = 0; i < shapes.size(); ++i) {
      double nearest = 1;
      for (const BoxShape& c : centres) nearest = std::min(nearest, 1 - centredIou(shapes[i], c));
      weight[i] = nearest * nearest;
      total += weight[i];
    }
    if (total <= 0) break;  // every shape sits on a centre already
    double pick = std::uniform_real_distribution<double>(0, total)(rng);
    std::size_t chosen = shapes.size() - 1;
    for (std::size_t i = 0; i < shapes.size(); ++i) {
      pick -= weight[i];
      if (pick <= 0 && weight[i] > 0) {
        chosen = i;
        break;
      }
    }
    centres.push_back(shapes[chosen]);
  }
  return centres;
}

/// Lloyd's iterations: assign each shape to the centre of highest IoU, move each centre to
/// its shapes' mean width and height (Darknet's update). An emptied cluster keeps its centre.
std::vector<BoxShape> kMeans(const std::vector<BoxShape>& shapes, std::vector<BoxShape> centres,
                             int iterations) {
  std::vector<int> cluster(shapes.size(), -1);
  for (int it = 0; it < iterations; ++it) {
    bool moved = false;
    for (std::size_t i = 0; i < shapes.size(); ++i) {
      int best = 0;
      double bestIou = -1;
      for (std::size_t c = 0; c < centres.size(); ++c) {
        const double iou = centredIou(shapes[i], centres[c]);
        if (iou > bestIou) {
          bestIou = iou;
          best = static_cast<int>(c);
        }
      }
      moved = moved || cluster[i] != best;
      cluster[i] = best;
    }
    if (!moved) break;
    std::vector<std::array<double, 3>> sums(centres.size(), {0, 0, 0});
    for (std::size_t i = 0; i < shapes.size(); ++i) {
      auto& s = sums[static_cast<std::size_t>(cluster[i])];
      s[0] += shapes[i][0];
      s[1] += shapes[i][1];
      s[2] += 1;
    }
    for (std::size_t c = 0; c < centres.size(); ++c)
      if (sums[c][2] > 0)
        centres[c] = {static_cast<float>(sums[c][0] / sums[c][2]),
                      static_cast<float>(sums[c][1] / sums[c][2])};
  }
  return centres;
}

/// Every one of `shapes` (fewer than `count`: a generator's few fixed sizes) and, to make
/// `count`, shapes between them: each the geometric mean of the two neighbours (by area) the
/// furthest apart, or double the one shape there is.
std::vector<BoxShape> fillBetween(std::vector<BoxShape> shapes, int count) {
  std::sort(shapes.begin(), shapes.end(),
            [](const BoxShape& a, const BoxShape& b) { return area(a) < area(b); });
  while (static_cast<int>(shapes.size()) < count) {
    if (shapes.size() == 1) {
      shapes.push_back({shapes[0][0] * 2, shapes[0][1] * 2});
      continue;
    }
    std::size_t widest = 0;
    for (std::size_t i = 1; i + 1 < shapes.size(); ++i)
      if (area(shapes[i + 1]) / area(shapes[i]) > area(shapes[widest + 1]) / area(shapes[widest]))
        widest = i;
    const BoxShape &a = shapes[widest], &b = shapes[widest + 1];
    const BoxShape middle{std::round(std::sqrt(a[0] * b[0])), std::round(std::sqrt(a[1] * b[1]))};
    shapes.insert(shapes.begin() + static_cast<std::ptrdiff_t>(widest) + 1, middle);
  }
  return shapes;
}

}  // namespace

std::vector<BoxShape> letterboxedBoxShapes(const std::vector<Sample>& samples, int inputSize,
                                           int* unreadable) {
  std::vector<BoxShape> shapes;
  int bad = 0;
  for (const Sample& sample : samples) {
    if (sample.boxes.empty()) continue;
    const cv::Size size = readImageSize(sample.image);
    if (size.empty()) {
      ++bad;
      continue;
    }
    const LetterboxGeometry g = LetterboxGeometry::compute(size.width, size.height, inputSize);
    for (const Box& b : sample.boxes) {
      if (b.kind == Box::Kind::crowd) continue;
      const BoxShape shape{b.width() * g.scaleX, b.height() * g.scaleY};
      if (shape[0] > 0 && shape[1] > 0) shapes.push_back(shape);
    }
  }
  if (unreadable) *unreadable = bad;
  return shapes;
}

double centredIou(const BoxShape& a, const BoxShape& b) {
  const double inter = static_cast<double>(std::min(a[0], b[0])) * std::min(a[1], b[1]);
  const double uni = static_cast<double>(area(a)) + area(b) - inter;
  return uni > 0 ? inter / uni : 0;
}

double meanBestIou(const std::vector<BoxShape>& shapes, const std::vector<BoxShape>& anchors) {
  if (shapes.empty() || anchors.empty()) return 0;
  double sum = 0;
  for (const BoxShape& s : shapes) {
    double best = 0;
    for (const BoxShape& a : anchors) best = std::max(best, centredIou(s, a));
    sum += best;
  }
  return sum / static_cast<double>(shapes.size());
}

AnchorFit fitAnchors(const std::vector<BoxShape>& shapes, const AnchorFitOptions& options) {
  if (options.count < 1)
    throw std::invalid_argument("fitAnchors: count is " + std::to_string(options.count));
  const std::set<BoxShape> distinct(shapes.begin(), shapes.end());
  if (distinct.empty()) throw std::invalid_argument("there are no boxes to fit anchors to");
  if (static_cast<int>(distinct.size()) <= options.count) {
    std::vector<BoxShape> anchors = fillBetween({distinct.begin(), distinct.end()}, options.count);
    for (BoxShape& a : anchors) a = wholePixels(a);
    return {anchors, meanBestIou(shapes, anchors)};
  }
  std::mt19937_64 rng(options.seed);
  AnchorFit best;
  best.meanBestIou = -1;
  for (int run = 0; run < std::max(1, options.restarts); ++run) {
    std::vector<BoxShape> centres =
        kMeans(shapes, seedCentres(shapes, options.count, rng), options.iterations);
    for (BoxShape& c : centres) c = wholePixels(c);
    std::sort(centres.begin(), centres.end(),
              [](const BoxShape& a, const BoxShape& b) { return area(a) < area(b); });
    const double iou = meanBestIou(shapes, centres);
    if (iou > best.meanBestIou) best = {std::move(centres), iou};
  }
  return best;
}

ModelAnchorFit fitModelAnchors(const std::vector<BoxShape>& shapes, const std::string& architecture,
                               int restarts, std::uint64_t seed) {
  const int scales = static_cast<int>(model::strides(architecture).size());
  AnchorFitOptions options;
  options.count = scales * model::kAnchorsPerScale;
  options.restarts = restarts;
  options.seed = seed;
  const AnchorFit fit = fitAnchors(shapes, options);
  return {groupByScale(fit.anchors, scales), fit.meanBestIou,
          meanBestIou(shapes, flatten(model::defaultAnchors(architecture)))};
}

std::vector<model::ScaleAnchors> groupByScale(const std::vector<BoxShape>& anchors, int scales) {
  if (scales < 1 || anchors.size() != static_cast<std::size_t>(scales * model::kAnchorsPerScale))
    throw std::invalid_argument(std::to_string(anchors.size()) + " anchors do not make " +
                                std::to_string(scales) + " scales of " +
                                std::to_string(model::kAnchorsPerScale));
  std::vector<BoxShape> sorted = anchors;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const BoxShape& a, const BoxShape& b) { return area(a) < area(b); });
  std::vector<model::ScaleAnchors> grouped(static_cast<std::size_t>(scales));
  for (std::size_t i = 0; i < sorted.size(); ++i)
    grouped[i / model::kAnchorsPerScale].push_back(sorted[i]);
  return grouped;
}

std::vector<BoxShape> flatten(const std::vector<model::ScaleAnchors>& anchors) {
  std::vector<BoxShape> all;
  for (const auto& scale : anchors) all.insert(all.end(), scale.begin(), scale.end());
  return all;
}

std::string formatAnchors(const std::vector<model::ScaleAnchors>& anchors) {
  std::ostringstream out;
  bool first = true;
  for (const BoxShape& a : flatten(anchors)) {
    out << (first ? "" : ",  ") << a[0] << "," << a[1];
    first = false;
  }
  return out.str();
}

std::vector<model::ScaleAnchors> parseAnchors(const std::string& text, int scales) {
  std::string spaced = text;
  std::replace(spaced.begin(), spaced.end(), ',', ' ');
  std::istringstream in(spaced);
  std::vector<float> numbers;
  std::string token;
  while (in >> token) {
    std::size_t used = 0;
    float v = 0;
    try {
      v = std::stof(token, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != token.size() || !std::isfinite(v) || v <= 0)
      throw std::invalid_argument("anchors '" + text + "': '" + token +
                                  "' is not a positive number");
    numbers.push_back(v);
  }
  const std::size_t expected = static_cast<std::size_t>(scales * model::kAnchorsPerScale * 2);
  if (numbers.size() != expected)
    throw std::invalid_argument("anchors '" + text + "': " + std::to_string(numbers.size()) +
                                " numbers, expected " + std::to_string(expected) + " (" +
                                std::to_string(expected / 2) + " width,height pairs)");
  std::vector<model::ScaleAnchors> grouped(static_cast<std::size_t>(scales));
  for (std::size_t i = 0; i < numbers.size(); i += 2)
    grouped[i / 2 / model::kAnchorsPerScale].push_back({numbers[i], numbers[i + 1]});
  return grouped;
}

}  // namespace yolo::data
