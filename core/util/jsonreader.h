#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cdx {

class JsonObject;

/// A JSON value together with its JSON-pointer path, with typed accessors that throw an
/// InputError naming the path when the value has the wrong type or range.
class JsonValue {
public:
    JsonValue(const nlohmann::json& value, std::string path);

    const std::string& path() const { return path_; }
    const nlohmann::json& raw() const { return *value_; }

    bool isNull() const;
    bool isString() const;
    bool isNumber() const;
    bool isArray() const;
    bool isObject() const;

    std::string asString() const;
    std::int64_t asInt(std::int64_t min = std::numeric_limits<std::int64_t>::min(),
                       std::int64_t max = std::numeric_limits<std::int64_t>::max()) const;
    double asNumber() const;
    bool asBool() const;
    JsonObject asObject() const;
    std::vector<JsonValue> asArray() const;
    std::vector<std::int64_t> asIntArray(std::int64_t min = std::numeric_limits<std::int64_t>::min(),
                                         std::int64_t max = std::numeric_limits<std::int64_t>::max()) const;
    std::vector<std::string> asStringArray() const;

    /// Throws an InputError at this value's path.
    [[noreturn]] void fail(const std::string& message) const;

private:
    const nlohmann::json* value_;
    std::string path_;
};

/// A JSON object whose keys are read by name. Every key the reader asks for (present or not)
/// is remembered, so rejectUnknownKeys() can name a key nobody asked for, with a suggestion.
class JsonObject {
public:
    JsonObject(const nlohmann::json& value, std::string path);

    const std::string& path() const { return path_; }
    bool has(std::string_view key);
    JsonValue required(std::string_view key);
    std::optional<JsonValue> optional(std::string_view key);

    std::string requiredString(std::string_view key);
    std::string optionalString(std::string_view key, std::string fallback);
    std::int64_t requiredInt(std::string_view key, std::int64_t min = std::numeric_limits<std::int64_t>::min(),
                             std::int64_t max = std::numeric_limits<std::int64_t>::max());
    std::int64_t optionalInt(std::string_view key, std::int64_t fallback,
                             std::int64_t min = std::numeric_limits<std::int64_t>::min(),
                             std::int64_t max = std::numeric_limits<std::int64_t>::max());
    double optionalNumber(std::string_view key, double fallback);
    bool optionalBool(std::string_view key, bool fallback);

    /// Throws naming the first key that was never asked for.
    void rejectUnknownKeys() const;
    [[noreturn]] void fail(const std::string& message) const;

    /// The path of a child: path + "/" + escaped key.
    std::string childPath(std::string_view key) const;

private:
    void remember(std::string_view key);

    const nlohmann::json* value_;
    std::string path_;
    std::vector<std::string> asked_;
};

/// Parses JSON text; a syntax error throws an InputError located at "line L, column C".
nlohmann::json parseJsonText(const std::string& text);

/// Escapes a key for use in a JSON pointer (RFC 6901).
std::string escapeJsonPointer(std::string_view key);

/// The keys of a JSON pointer, unescaped: "/a/b~1c" -> {"a", "b/c"}; "" -> {}.
std::vector<std::string> jsonPointerKeys(std::string_view pointer);

/// The closest of the candidates to the word, if it is close enough to be a likely typo: within
/// a third of its length in edits, or else the one name whose '_'-separated words are all in the
/// word or hold all of the word's ("pe_rows" -> "rows").
std::optional<std::string> closestMatch(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace cdx
