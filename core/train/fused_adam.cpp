#include <torch/torch.h>

#include "core/train/fused_adam.h"

#include <cmath>
#include <sstream>
#include <string>
#include <type_traits>

namespace yolo::train {

namespace {

bool isFusable(const torch::Tensor& t) {
  return t.device().is_cpu() && t.scalar_type() == torch::kFloat && t.layout() == torch::kStrided &&
         t.is_contiguous();
}

/// The optimizer's state entry for `p`, under the key torch::optim::Adam itself uses: the
/// TensorImpl address as a string in libtorch 1.x, the address itself in 2.x.
template <typename StateMap>
typename StateMap::mapped_type& stateEntry(StateMap& state, const torch::Tensor& p) {
  using Key = typename StateMap::key_type;
  if constexpr (std::is_same_v<Key, std::string>) {
    std::ostringstream key;  // what c10::guts::to_string writes
    key << p.unsafeGetTensorImpl();
    return state[key.str()];
  } else {
    return state[p.unsafeGetTensorImpl()];
  }
}

struct AdamCoefficients {
  float beta1, beta2, eps, weightDecay;
  float stepSize;             // lr / (1 - beta1^t)
  float sqrtBiasCorrection2;  // sqrt(1 - beta2^t)
};

/// The arithmetic of torch::optim::Adam::step (no amsgrad), element by element over
/// [begin, end):
///   g += wd * p;  m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
///   p -= stepSize * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
/// Built twice, for AVX2 and for the baseline, the CPU picking one at load time (libtorch's
/// own kernels are dispatched the same way); __restrict__ and a square root that never
/// sets errno (v >= 0) let the compiler vectorise the loop.
#if defined(__GNUC__) && !defined(__clang__)
#define YOLO_NO_MATH_ERRNO __attribute__((optimize("no-math-errno")))
#else
#define YOLO_NO_MATH_ERRNO
#endif
// target_clones needs the loader's ifunc support (glibc); clang builds the plain loop. So does
// a ThreadSanitizer build: the loader runs the clones' resolver before the sanitizer's runtime
// is up, and the resolver's instrumented entry crashes the program before main().
#if defined(__x86_64__) && defined(__GLIBC__) && defined(__GNUC__) && !defined(__clang__) && \
    !defined(__SANITIZE_THREAD__)
#define YOLO_AVX2_CLONE __attribute__((target_clones("avx2", "default")))
#else
#define YOLO_AVX2_CLONE
#endif

YOLO_AVX2_CLONE YOLO_NO_MATH_ERRNO void updateRange(float* __restrict__ p,
                                                    const float* __restrict__ grad,
                                                    float* __restrict__ m, float* __restrict__ v,
                                                    int64_t begin, int64_t end,
                                                    AdamCoefficients c) {
  const float keep1 = c.beta1, take1 = 1.f - c.beta1;
  const float keep2 = c.beta2, take2 = 1.f - c.beta2;
  const float inverseCorrection2 = 1.f / c.sqrtBiasCorrection2;
  const bool decay = c.weightDecay != 0.f;  // as libtorch: no 0 * p term (p may be inf)
  for (int64_t i = begin; i < end; ++i) {
    const float g = decay ? grad[i] + c.weightDecay * p[i] : grad[i];
    const float mi = m[i] * keep1 + take1 * g;
    const float vi = v[i] * keep2 + take2 * g * g;
    m[i] = mi;
    v[i] = vi;
    p[i] -= c.stepSize * (mi / (__builtin_sqrtf(vi) * inverseCorrection2 + c.eps));
  }
}

void updateInOnePass(float* p, const float* grad, float* m, float* v, int64_t n,
                     const AdamCoefficients& c) {
  constexpr int64_t kGrain = 1 << 15;
  at::parallel_for(0, n, kGrain,
                   [&](int64_t begin, int64_t end) { updateRange(p, grad, m, v, begin, end, c); });
}

}  // namespace

bool FusedAdam::fusable() {
  for (auto& group : param_groups()) {
    if (static_cast<torch::optim::AdamOptions&>(group.options()).amsgrad()) return false;
    for (auto& p : group.params()) {
      const auto& grad = p.grad();
      if (!grad.defined()) continue;
      // A gradient sharing the parameter's memory would break the loop's no-alias promise.
      if (!isFusable(p) || !isFusable(grad) || grad.is_alias_of(p)) return false;
    }
  }
  return true;
}

torch::Tensor FusedAdam::step(LossClosure closure) {
  if (!fusable()) return torch::optim::Adam::step(std::move(closure));
  torch::NoGradGuard noGrad;
  torch::Tensor loss;
  if (closure != nullptr) {
    at::AutoGradMode enableGrad(true);
    loss = closure();
  }
  auto& states = state();
  for (auto& group : param_groups()) {
    const auto& options = static_cast<torch::optim::AdamOptions&>(group.options());
    for (auto& p : group.params()) {
      const auto& grad = p.grad();
      if (!grad.defined()) continue;
      auto& entry = stateEntry(states, p);
      if (!entry) {
        // Lazily, as the base class: step 0, moments zero.
        auto fresh = std::make_unique<torch::optim::AdamParamState>();
        fresh->step(0);
        fresh->exp_avg(torch::zeros_like(p, torch::MemoryFormat::Preserve));
        fresh->exp_avg_sq(torch::zeros_like(p, torch::MemoryFormat::Preserve));
        entry = std::move(fresh);
      }
      auto& s = static_cast<torch::optim::AdamParamState&>(*entry);
      if (!isFusable(s.exp_avg()) || !isFusable(s.exp_avg_sq())) {
        // Moments loaded in another layout: make them plain once.
        s.exp_avg(s.exp_avg().to(p.options()).contiguous());
        s.exp_avg_sq(s.exp_avg_sq().to(p.options()).contiguous());
      }
      // Optimizer::load matches saved state to parameters by position only.
      TORCH_CHECK(s.exp_avg().sizes() == p.sizes() && s.exp_avg_sq().sizes() == p.sizes() &&
                      grad.sizes() == p.sizes(),
                  "Adam state of shape ", s.exp_avg().sizes(), " for a parameter of shape ",
                  p.sizes());
      s.step(s.step() + 1);
      const double beta1 = std::get<0>(options.betas()), beta2 = std::get<1>(options.betas());
      const double biasCorrection1 = 1 - std::pow(beta1, static_cast<double>(s.step()));
      const double biasCorrection2 = 1 - std::pow(beta2, static_cast<double>(s.step()));
      const AdamCoefficients c{static_cast<float>(beta1),
                               static_cast<float>(beta2),
                               static_cast<float>(options.eps()),
                               static_cast<float>(options.weight_decay()),
                               static_cast<float>(options.lr() / biasCorrection1),
                               static_cast<float>(std::sqrt(biasCorrection2))};
      updateInOnePass(p.data_ptr<float>(), grad.data_ptr<float>(), s.exp_avg().data_ptr<float>(),
                      s.exp_avg_sq().data_ptr<float>(), p.numel(), c);
      // Written through the pointer: tell autograd, as an in-place op would.
      p.unsafeGetTensorImpl()->bump_version();
    }
  }
  return loss;
}

}  // namespace yolo::train
