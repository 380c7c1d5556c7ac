#include "core/util/jsonwriter.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace cdx {

namespace {

void write(std::string& out, const nlohmann::ordered_json& v, std::size_t depth, std::size_t inlineDepth)
{
    if (!v.is_structured()) {
        out += v.dump();
        return;
    }
    if (v.empty()) {
        out += v.is_array() ? "[]" : "{}";
        return;
    }
    const bool scalars = v.is_array() && std::none_of(v.begin(), v.end(), [](const auto& e) { return e.is_structured(); });
    const bool oneLine = depth >= inlineDepth || scalars;
    const std::string indent = oneLine ? "" : std::string(2 * (depth + 1), ' ');
    out += v.is_array() ? '[' : '{';
    bool first = true;
    for (auto it = v.begin(); it != v.end(); ++it) {
        out += first ? "" : ",";
        out += oneLine ? (first ? "" : " ") : "\n" + indent;
        first = false;
        if (v.is_object()) {
            out += nlohmann::ordered_json(it.key()).dump();
            out += ": ";
        }
        write(out, *it, depth + 1, inlineDepth);
    }
    if (!oneLine)
        out += "\n" + std::string(2 * depth, ' ');
    out += v.is_array() ? ']' : '}';
}

}  // namespace

std::string formatJson(const nlohmann::ordered_json& value, std::size_t inlineDepth)
{
    std::string out;
    write(out, value, 0, inlineDepth);
    out += '\n';
    return out;
}

}  // namespace cdx
