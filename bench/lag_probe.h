#pragma once
// The GUI thread's responsiveness as a user feels it: the lag of a 10 ms precise QTimer,
// i.e. how long the event loop was busy elsewhere each time a tick came late. Used by the
// benchmarks that drive the real widgets offscreen.

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <cstddef>
#include <vector>

namespace yolo::bench {

/// Collects tick-to-tick lag of a 10 ms precise timer for as long as it runs.
class LagProbe {
 public:
  static constexpr qint64 kIntervalNs = 10'000'000;

  static constexpr double kSpikeMs = 50;
  struct Spike {
    double atSeconds, lagMs;
    long long steps;  // what `steps` held then (0 without it)
  };

  /// `steps`, when given, is read at each spike (what the GUI had received by then).
  explicit LagProbe(const long long* steps = nullptr) : steps_(steps) {
    timer_.setTimerType(Qt::PreciseTimer);
    timer_.setInterval(10);
    QObject::connect(&timer_, &QTimer::timeout, [this] {
      const qint64 now = clock_.nsecsElapsed();
      if (last_ >= 0) {
        const double lag = std::max<qint64>(0, now - last_ - kIntervalNs) / 1e6;
        lagsMs_.push_back(lag);
        if (lag > kSpikeMs && spikes_.size() < 20)
          spikes_.push_back({now / 1e9, lag, steps_ ? *steps_ : 0});
      }
      last_ = now;
    });
  }
  void start() {
    lagsMs_.clear();
    spikes_.clear();
    last_ = -1;
    clock_.start();
    timer_.start();
  }
  void stop() { timer_.stop(); }

  const std::vector<Spike>& spikes() const { return spikes_; }

  struct Figures {
    std::size_t ticks = 0;
    double p50 = 0, p99 = 0, max = 0;
  };
  Figures figures() const {
    Figures f;
    std::vector<double> v = lagsMs_;
    f.ticks = v.size();
    if (v.empty()) return f;
    std::sort(v.begin(), v.end());
    const auto at = [&v](double q) {
      return v[std::min(v.size() - 1, static_cast<std::size_t>(q * (v.size() - 1) + 0.5))];
    };
    f.p50 = at(0.50);
    f.p99 = at(0.99);
    f.max = v.back();
    return f;
  }

 private:
  QTimer timer_;
  QElapsedTimer clock_;
  qint64 last_ = -1;
  std::vector<double> lagsMs_;
  std::vector<Spike> spikes_;
  const long long* steps_;
};

/// Spins the event loop for `seconds` (the probe's ticks and everything else run meanwhile).
inline void runFor(double seconds) {
  QElapsedTimer t;
  t.start();
  while (t.elapsed() < seconds * 1000) {
    QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 50);
  }
}

}  // namespace yolo::bench
