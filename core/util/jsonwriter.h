#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <limits>
#include <string>

namespace cdx {

/// Pretty-prints JSON for people and diffs: two-space indentation, arrays of plain values on one
/// line, and every object or array nested `inlineDepth` levels deep or more on a single line
/// (so each layer of a network is one line). Ends with a newline. Deterministic: the same value
/// always gives the same bytes.
std::string formatJson(const nlohmann::ordered_json& value,
                       std::size_t inlineDepth = std::numeric_limits<std::size_t>::max());

}  // namespace cdx
