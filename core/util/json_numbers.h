#pragma once
// Parsing JSON that users and other programs write (configs, checkpoint headers, COCO files,
// metrics.jsonl) so that no number in it can make reading it undefined behaviour.

#include <nlohmann/json.hpp>

namespace yolo {

/// A parser callback: json::parse(text, keepFloatsInIntRange). nlohmann-json converts a
/// floating-point number to an int field with a plain cast, which is undefined behaviour
/// when the number is beyond the int's range (1e20, found by fuzzing). Such a number
/// becomes int's limit of its sign, +-2147483647. Nothing we read is valid that large, so
/// validation still refuses it, naming the setting.
bool keepFloatsInIntRange(int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed);

}  // namespace yolo
