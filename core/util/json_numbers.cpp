#include "core/util/json_numbers.h"

#include <cmath>
#include <limits>

namespace yolo {

bool keepFloatsInIntRange(int /*depth*/, nlohmann::json::parse_event_t event,
                          nlohmann::json& parsed) {
  if (event == nlohmann::json::parse_event_t::value && parsed.is_number_float()) {
    // int32 bounds: the narrowest int our settings use, so every int field is safe.
    constexpr double kLimit = std::numeric_limits<int>::max();
    const double value = parsed.get<double>();
    if (value > kLimit)
      parsed = kLimit;
    else if (value < -kLimit)
      parsed = -kLimit;
  }
  return true;
}

}  // namespace yolo
