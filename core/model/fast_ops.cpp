#include "core/model/fast_ops.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include <ATen/Parallel.h>

namespace yolo::model {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

bool fastPathApplies(const torch::Tensor& x) {
  return x.dim() == 4 && x.device().is_cpu() && x.scalar_type() == torch::kFloat &&
         x.layout() == torch::kStrided && x.numel() > 0;
}

// Enough planes per task that small late-layer maps are not split into tiny tasks.
int64_t planeGrain(int64_t planeSize) { return std::max<int64_t>(1, 16384 / planeSize); }

// ---- max-pools --------------------------------------------------------------------------
// The window's taps in libtorch's scan order (row-major), k = 2 * row + column. A tap
// replaces the running maximum when it is greater or NaN, so the first of equal maxima
// wins and NaN propagates, as in max_pool2d_with_indices. Written without branches so the
// compiler vectorises the loop.
inline void pickMax(float v, uint8_t k, float& m, uint8_t& arg) {
  const bool take = v > m || v != v;
  m = take ? v : m;
  arg = take ? k : arg;
}

struct MaxPool2x2Function : torch::autograd::Function<MaxPool2x2Function> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& input) {
    const torch::Tensor x = input.contiguous();
    const int64_t planes = x.size(0) * x.size(1), h = x.size(2), w = x.size(3);
    const int64_t oh = h / 2, ow = w / 2;
    torch::Tensor out = torch::empty({x.size(0), x.size(1), oh, ow}, x.options());
    // Which tap won, one byte per output instead of max_pool2d's int64 flat index.
    torch::Tensor arg = torch::empty({x.size(0), x.size(1), oh, ow}, x.options().dtype(torch::kByte));
    const float* in = x.data_ptr<float>();
    float* o = out.data_ptr<float>();
    uint8_t* a = arg.data_ptr<uint8_t>();
    at::parallel_for(0, planes, planeGrain(h * w), [&](int64_t begin, int64_t end) {
      for (int64_t p = begin; p < end; ++p) {
        for (int64_t r = 0; r < oh; ++r) {
          const float* r0 = in + (p * h + 2 * r) * w;
          const float* r1 = r0 + w;
          float* orow = o + (p * oh + r) * ow;
          uint8_t* arow = a + (p * oh + r) * ow;
          for (int64_t c = 0; c < ow; ++c) {
            float m = r0[2 * c];
            uint8_t k = 0;
            pickMax(r0[2 * c + 1], 1, m, k);
            pickMax(r1[2 * c], 2, m, k);
            pickMax(r1[2 * c + 1], 3, m, k);
            orow[c] = m;
            arow[c] = k;
          }
        }
      }
    });
    ctx->saved_data["arg"] = arg;
    ctx->saved_data["h"] = h;
    ctx->saved_data["w"] = w;
    return out;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const torch::Tensor arg = ctx->saved_data["arg"].toTensor();
    const int64_t h = ctx->saved_data["h"].toInt(), w = ctx->saved_data["w"].toInt();
    const torch::Tensor g = grads[0].contiguous();
    const int64_t oh = g.size(2), ow = g.size(3), planes = g.size(0) * g.size(1);
    // Every input element is written exactly once (the gradient or 0), so no zero fill first.
    torch::Tensor gin = torch::empty({g.size(0), g.size(1), h, w}, g.options());
    const float* go = g.data_ptr<float>();
    const uint8_t* a = arg.data_ptr<uint8_t>();
    float* gi = gin.data_ptr<float>();
    at::parallel_for(0, planes, planeGrain(h * w), [&](int64_t begin, int64_t end) {
      for (int64_t p = begin; p < end; ++p) {
        for (int64_t r = 0; r < oh; ++r) {
          float* r0 = gi + (p * h + 2 * r) * w;
          float* r1 = r0 + w;
          const float* grow = go + (p * oh + r) * ow;
          const uint8_t* arow = a + (p * oh + r) * ow;
          for (int64_t c = 0; c < ow; ++c) {
            const float v = grow[c];
            const uint8_t k = arow[c];
            r0[2 * c] = k == 0 ? v : 0.0f;
            r0[2 * c + 1] = k == 1 ? v : 0.0f;
            r1[2 * c] = k == 2 ? v : 0.0f;
            r1[2 * c + 1] = k == 3 ? v : 0.0f;
          }
          if (w % 2 != 0) r0[w - 1] = r1[w - 1] = 0.0f;  // the column floor mode drops
        }
        if (h % 2 != 0) std::fill_n(gi + (p * h + h - 1) * w, w, 0.0f);  // the dropped row
      }
    });
    return {gin};
  }
};

struct MaxPoolStride1Function : torch::autograd::Function<MaxPoolStride1Function> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& input) {
    const torch::Tensor x = input.contiguous();
    const int64_t planes = x.size(0) * x.size(1), h = x.size(2), w = x.size(3);
    torch::Tensor out = torch::empty_like(x);
    torch::Tensor arg = torch::empty(x.sizes(), x.options().dtype(torch::kByte));
    const float* in = x.data_ptr<float>();
    float* o = out.data_ptr<float>();
    uint8_t* a = arg.data_ptr<uint8_t>();
    at::parallel_for(0, planes, planeGrain(h * w), [&](int64_t begin, int64_t end) {
      for (int64_t p = begin; p < end; ++p) {
        for (int64_t r = 0; r < h; ++r) {
          // The replicated last row and column: a tap outside reads the edge again, and an
          // equal value never displaces the first maximum, as with the padded tensor.
          const float* r0 = in + (p * h + r) * w;
          const float* r1 = in + (p * h + std::min(r + 1, h - 1)) * w;
          for (int64_t c = 0; c < w; ++c) {
            const int64_t c1 = std::min(c + 1, w - 1);
            float m = r0[c];
            uint8_t k = 0;
            pickMax(r0[c1], 1, m, k);
            pickMax(r1[c], 2, m, k);
            pickMax(r1[c1], 3, m, k);
            o[(p * h + r) * w + c] = m;
            a[(p * h + r) * w + c] = k;
          }
        }
      }
    });
    ctx->saved_data["arg"] = arg;
    return out;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const torch::Tensor arg = ctx->saved_data["arg"].toTensor();
    const torch::Tensor g = grads[0].contiguous();
    const int64_t planes = g.size(0) * g.size(1), h = g.size(2), w = g.size(3);
    torch::Tensor gin = torch::zeros_like(g);
    const float* go = g.data_ptr<float>();
    const uint8_t* a = arg.data_ptr<uint8_t>();
    float* gi = gin.data_ptr<float>();
    at::parallel_for(0, planes, planeGrain(h * w), [&](int64_t begin, int64_t end) {
      for (int64_t p = begin; p < end; ++p) {
        for (int64_t r = 0; r < h; ++r) {
          for (int64_t c = 0; c < w; ++c) {
            const int64_t i = (p * h + r) * w + c;
            const int64_t tr = std::min(r + (a[i] >> 1), h - 1);
            const int64_t tc = std::min(c + (a[i] & 1), w - 1);
            gi[(p * h + tr) * w + tc] += go[i];
          }
        }
      }
    });
    return {gin};
  }
};

// ---- BatchNorm + LeakyReLU --------------------------------------------------------------
// Per-channel sums run in float over short chunks with 8 independent lanes (vectorised) and
// are carried across chunks in double, which keeps them as accurate as libtorch's
// one-element-at-a-time double sums at a fraction of the time.
constexpr int64_t kChunk = 2048;
constexpr int kLanes = 8;

struct ChannelStats {
  // Sums run over x - pivot (the channel's first value): float lanes summing raw values
  // would lose a large mean's small spread to rounding.
  float pivot = 0;
  double count = 0, mean = 0, m2 = 0;  // mean of x - pivot; m2: squared deviations

  // Chan et al.'s pairwise update: one pass over memory, the chunk itself is read twice
  // while it sits in L1.
  void add(const float* p, int64_t n) {
    if (count == 0) pivot = p[0];
    float lanes[kLanes] = {};
    int64_t i = 0;
    for (; i + kLanes <= n; i += kLanes) {
      for (int k = 0; k < kLanes; ++k) lanes[k] += p[i + k] - pivot;
    }
    double sum = 0;
    for (; i < n; ++i) sum += p[i] - pivot;
    for (float l : lanes) sum += l;
    const double chunkMean = sum / static_cast<double>(n);
    const float cm = static_cast<float>(chunkMean);
    float sq[kLanes] = {};
    i = 0;
    for (; i + kLanes <= n; i += kLanes) {
      for (int k = 0; k < kLanes; ++k) {
        const float d = (p[i + k] - pivot) - cm;
        sq[k] += d * d;
      }
    }
    double chunkM2 = 0;
    for (; i < n; ++i) {
      const float d = (p[i] - pivot) - cm;
      chunkM2 += d * d;
    }
    for (float s : sq) chunkM2 += s;
    // cm is chunkMean rounded to float: correct the squared deviations for the difference.
    const double off = chunkMean - static_cast<double>(cm);
    chunkM2 -= static_cast<double>(n) * off * off;
    const double total = count + static_cast<double>(n);
    const double delta = chunkMean - mean;
    mean += delta * static_cast<double>(n) / total;
    m2 += chunkM2 + delta * delta * count * static_cast<double>(n) / total;
    count = total;
  }

  double channelMean() const { return static_cast<double>(pivot) + mean; }
};

struct BatchNormLeakyFunction : torch::autograd::Function<BatchNormLeakyFunction> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& input,
                               const torch::Tensor& weight, const torch::Tensor& bias,
                               torch::Tensor runningMean, torch::Tensor runningVar,
                               double momentum, double eps, double slope) {
    const torch::Tensor x = input.contiguous();
    const int64_t batch = x.size(0), channels = x.size(1), hw = x.size(2) * x.size(3);
    TORCH_CHECK(batch * hw > 1, "BatchNorm in training needs more than one value per channel, got ",
                x.sizes());
    torch::Tensor y = torch::empty_like(x);
    torch::Tensor mean = torch::empty({channels}, x.options());
    torch::Tensor meanLo = torch::empty({channels}, x.options());
    torch::Tensor invstd = torch::empty({channels}, x.options());
    const torch::Tensor w = weight.contiguous(), b = bias.contiguous();
    const float* in = x.data_ptr<float>();
    float* out = y.data_ptr<float>();
    float* meanData = mean.data_ptr<float>();
    float* meanLoData = meanLo.data_ptr<float>();
    float* invstdData = invstd.data_ptr<float>();
    const float* wData = w.data_ptr<float>();
    const float* bData = b.data_ptr<float>();
    float* rm = runningMean.data_ptr<float>();
    float* rv = runningVar.data_ptr<float>();
    const float s = static_cast<float>(slope);
    at::parallel_for(0, channels, 1, [&](int64_t begin, int64_t end) {
      for (int64_t c = begin; c < end; ++c) {
        ChannelStats stats;
        for (int64_t n = 0; n < batch; ++n) {
          const float* p = in + (n * channels + c) * hw;
          for (int64_t i = 0; i < hw; i += kChunk) stats.add(p + i, std::min(kChunk, hw - i));
        }
        const double var = stats.m2 / stats.count;
        // The mean as a float pair: x - meanHi is exact for x near the mean, and meanLo
        // keeps the part a float mean would round away (large mean, small spread).
        const double channelMean = stats.channelMean();
        meanData[c] = static_cast<float>(channelMean);
        meanLoData[c] = static_cast<float>(channelMean - static_cast<double>(meanData[c]));
        invstdData[c] = static_cast<float>(1.0 / std::sqrt(var + eps));
        rm[c] = static_cast<float>(momentum * channelMean + (1 - momentum) * rm[c]);
        rv[c] = static_cast<float>(momentum * stats.m2 / (stats.count - 1) + (1 - momentum) * rv[c]);
        // Normalise, scale and activate in one pass, while the channel is still in cache.
        // (x - mean) first: x * alpha + (bias - mean * alpha) cancels badly when the mean is
        // large against the spread.
        const float alpha = invstdData[c] * wData[c];
        const float m = meanData[c];
        const float beta = bData[c] - meanLoData[c] * alpha;
        for (int64_t n = 0; n < batch; ++n) {
          const float* p = in + (n * channels + c) * hw;
          float* q = out + (n * channels + c) * hw;
          for (int64_t i = 0; i < hw; ++i) {
            const float z = (p[i] - m) * alpha + beta;
            q[i] = z > 0.0f ? z : z * s;
          }
        }
      }
    });
    ctx->save_for_backward({x, y, w, mean, meanLo, invstd});
    ctx->saved_data["slope"] = slope;
    return y;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const torch::Tensor &x = saved[0], &y = saved[1], &w = saved[2], &mean = saved[3],
                        &meanLo = saved[4], &invstd = saved[5];
    const float s = static_cast<float>(ctx->saved_data["slope"].toDouble());
    const torch::Tensor gy = grads[0].contiguous();
    const int64_t batch = x.size(0), channels = x.size(1), hw = x.size(2) * x.size(3);
    const bool wantInput = ctx->needs_input_grad(0);
    torch::Tensor gx = wantInput ? torch::empty_like(x) : torch::Tensor();
    torch::Tensor gw = torch::empty({channels}, x.options());
    torch::Tensor gb = torch::empty({channels}, x.options());
    const float* xData = x.data_ptr<float>();
    const float* yData = y.data_ptr<float>();
    const float* gyData = gy.data_ptr<float>();
    const float* wData = w.data_ptr<float>();
    const float* meanData = mean.data_ptr<float>();
    const float* meanLoData = meanLo.data_ptr<float>();
    const float* invstdData = invstd.data_ptr<float>();
    float* gxData = wantInput ? gx.data_ptr<float>() : nullptr;
    float* gwData = gw.data_ptr<float>();
    float* gbData = gb.data_ptr<float>();
    const double count = static_cast<double>(batch * hw);
    at::parallel_for(0, channels, 1, [&](int64_t begin, int64_t end) {
      for (int64_t c = begin; c < end; ++c) {
        const float m = meanData[c], mLo = meanLoData[c];
        // The activation's gradient: y > 0 exactly where its input was > 0 (slope > 0).
        double sumG = 0, sumGx = 0;
        for (int64_t n = 0; n < batch; ++n) {
          const int64_t base = (n * channels + c) * hw;
          for (int64_t i0 = 0; i0 < hw; i0 += kChunk) {
            const int64_t len = std::min(kChunk, hw - i0);
            const float* xp = xData + base + i0;
            const float* yp = yData + base + i0;
            const float* gp = gyData + base + i0;
            float lg[kLanes] = {}, lgx[kLanes] = {};
            int64_t i = 0;
            for (; i + kLanes <= len; i += kLanes) {
              for (int k = 0; k < kLanes; ++k) {
                const float g = yp[i + k] > 0.0f ? gp[i + k] : gp[i + k] * s;
                lg[k] += g;
                lgx[k] += g * ((xp[i + k] - m) - mLo);
              }
            }
            for (; i < len; ++i) {
              const float g = yp[i] > 0.0f ? gp[i] : gp[i] * s;
              sumG += g;
              sumGx += static_cast<double>(g) * ((xp[i] - m) - mLo);
            }
            for (int k = 0; k < kLanes; ++k) {
              sumG += lg[k];
              sumGx += lgx[k];
            }
          }
        }
        const double is = invstdData[c];
        gbData[c] = static_cast<float>(sumG);
        gwData[c] = static_cast<float>(sumGx * is);
        if (!wantInput) continue;
        // dx = (g - mean(g) - (x - mean) * k) * invstd * w, as batch_norm's backward.
        const float gMean = static_cast<float>(sumG / count);
        const float k = static_cast<float>(sumGx * is * is / count);
        const float scale = static_cast<float>(is * wData[c]);
        for (int64_t n = 0; n < batch; ++n) {
          const int64_t base = (n * channels + c) * hw;
          const float* xp = xData + base;
          const float* yp = yData + base;
          const float* gp = gyData + base;
          float* out = gxData + base;
          for (int64_t i = 0; i < hw; ++i) {
            const float g = yp[i] > 0.0f ? gp[i] : gp[i] * s;
            out[i] = (g - gMean - ((xp[i] - m) - mLo) * k) * scale;
          }
        }
      }
    });
    return {gx,
            ctx->needs_input_grad(1) ? gw : torch::Tensor(),
            ctx->needs_input_grad(2) ? gb : torch::Tensor(),
            torch::Tensor(),
            torch::Tensor(),
            torch::Tensor(),
            torch::Tensor(),
            torch::Tensor()};
  }
};

}  // namespace

torch::Tensor maxPool2x2(const torch::Tensor& x) {
  if (!fastPathApplies(x) || x.size(2) < 2 || x.size(3) < 2) {
    return torch::max_pool2d(x, /*kernel_size=*/2, /*stride=*/2);
  }
  return MaxPool2x2Function::apply(x);
}

torch::Tensor maxPool2x2Stride1Replicate(const torch::Tensor& x) {
  if (!fastPathApplies(x)) {
    namespace F = torch::nn::functional;
    const torch::Tensor padded =
        F::pad(x, F::PadFuncOptions({0, 1, 0, 1}).mode(torch::kReplicate));
    return F::max_pool2d(padded, F::MaxPool2dFuncOptions(2).stride(1));
  }
  return MaxPoolStride1Function::apply(x);
}

torch::Tensor batchNormLeakyTraining(const torch::Tensor& x, const torch::Tensor& weight,
                                     const torch::Tensor& bias, torch::Tensor runningMean,
                                     torch::Tensor runningVar, double momentum, double eps,
                                     double slope) {
  TORCH_CHECK(slope > 0, "batchNormLeakyTraining needs a positive slope, got ", slope);
  const auto isChannelVector = [&](const torch::Tensor& t) {
    return t.defined() && t.dim() == 1 && t.size(0) == x.size(1) && t.device().is_cpu() &&
           t.scalar_type() == torch::kFloat;
  };
  const bool fast = fastPathApplies(x) && isChannelVector(weight) && isChannelVector(bias) &&
                    isChannelVector(runningMean) && isChannelVector(runningVar) &&
                    runningMean.is_contiguous() && runningVar.is_contiguous();
  if (!fast) {
    return torch::leaky_relu(torch::batch_norm(x, weight, bias, runningMean, runningVar,
                                               /*training=*/true, momentum, eps,
                                               /*cudnn_enabled=*/true),
                             slope);
  }
  return BatchNormLeakyFunction::apply(x, weight, bias, runningMean, runningVar, momentum, eps,
                                       slope);
}

}  // namespace yolo::model
