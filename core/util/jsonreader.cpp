#include "core/util/jsonreader.h"

#include "core/util/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace cdx {

namespace {

const char* typeName(const nlohmann::json& v)
{
    if (v.is_null()) return "null";
    if (v.is_boolean()) return "a boolean";
    if (v.is_number_integer() || v.is_number_unsigned()) return "an integer";
    if (v.is_number()) return "a number";
    if (v.is_string()) return "a string";
    if (v.is_array()) return "an array";
    return "an object";
}

std::size_t editDistance(std::string_view a, std::string_view b)
{
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            const std::size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitution});
            diagonal = above;
        }
    }
    return row[b.size()];
}

/// The non-empty parts of a name between underscores: "weight_buffer_kib" -> {"weight", "buffer", "kib"}.
std::vector<std::string_view> underscoreWords(std::string_view name)
{
    std::vector<std::string_view> words;
    std::size_t start = 0;
    while (start <= name.size()) {
        const std::size_t end = std::min(name.find('_', start), name.size());
        if (end > start)
            words.push_back(name.substr(start, end - start));
        start = end + 1;
    }
    return words;
}

}  // namespace

std::string escapeJsonPointer(std::string_view key)
{
    std::string out;
    for (char c : key) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

std::vector<std::string> jsonPointerKeys(std::string_view pointer)
{
    std::vector<std::string> keys;
    if (pointer.empty())
        return keys;
    std::string key;
    for (std::size_t i = 1; i <= pointer.size(); ++i) {
        if (i == pointer.size() || pointer[i] == '/') {
            keys.push_back(std::move(key));
            key.clear();
        } else if (pointer[i] == '~' && i + 1 < pointer.size() && (pointer[i + 1] == '0' || pointer[i + 1] == '1')) {
            key += pointer[++i] == '1' ? '/' : '~';
        } else {
            key += pointer[i];
        }
    }
    return keys;
}

std::optional<std::string> closestMatch(std::string_view word, const std::vector<std::string>& candidates)
{
    std::optional<std::string> best;
    std::size_t bestDistance = std::max<std::size_t>(2, word.size() / 3) + 1;
    for (const auto& candidate : candidates) {
        const std::size_t d = editDistance(word, candidate);
        if (d < bestDistance) {
            bestDistance = d;
            best = candidate;
        }
    }
    if (best)
        return best;
    // Else the name whose words (split at '_') are all in the word, or that has all of the
    // word's: "pe_rows" -> "rows", "buffer_kib" -> "weight_buffer_kib"; none when two tie.
    const std::vector<std::string_view> words = underscoreWords(word);
    std::size_t bestShared = 0;
    bool tie = false;
    for (const auto& candidate : candidates) {
        const std::vector<std::string_view> theirs = underscoreWords(candidate);
        const auto within = [](const std::vector<std::string_view>& some, const std::vector<std::string_view>& all) {
            return std::all_of(some.begin(), some.end(), [&](std::string_view w) { return std::find(all.begin(), all.end(), w) != all.end(); });
        };
        if (theirs.empty() || words.empty() || !(within(theirs, words) || within(words, theirs)))
            continue;
        const std::size_t shared = std::min(theirs.size(), words.size());
        if (shared > bestShared) {
            bestShared = shared;
            best = candidate;
            tie = false;
        } else if (shared == bestShared) {
            tie = true;
        }
    }
    return tie ? std::nullopt : best;
}

nlohmann::json parseJsonText(const std::string& text)
{
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        // e.byte is 1-based and points just past the offending character.
        const std::size_t offset = std::min<std::size_t>(e.byte > 0 ? e.byte - 1 : 0, text.size());
        std::size_t line = 1, column = 1;
        for (std::size_t i = 0; i < offset; ++i) {
            if (text[i] == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
        // nlohmann's message is "[json.exception.parse_error.101] parse error at line L, column C: what";
        // the position is already in the location, so keep only "what".
        std::string what = e.what();
        if (const auto at = what.find("column "); at != std::string::npos) {
            if (const auto colon = what.find(": ", at); colon != std::string::npos)
                what = what.substr(colon + 2);
        } else if (const auto bracket = what.find("] "); bracket != std::string::npos) {
            what = what.substr(bracket + 2);
        }
        throw InputError("line " + std::to_string(line) + ", column " + std::to_string(column),
                         "JSON syntax error: " + what);
    } catch (const nlohmann::json::out_of_range& e) {
        // A number too large for a double ("1e999"): nlohmann names the number, not its place.
        std::string what = e.what();
        std::string number;
        if (const auto open = what.find('\''); open != std::string::npos)
            if (const auto close = what.find('\'', open + 1); close != std::string::npos)
                number = what.substr(open + 1, close - open - 1);
        std::string where;
        if (const auto at = number.empty() ? std::string::npos : text.find(number); at != std::string::npos) {
            const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n');
            const auto lineStart = text.rfind('\n', at);
            const auto column = at - (lineStart == std::string::npos ? 0 : lineStart + 1) + 1;
            where = "line " + std::to_string(line) + ", column " + std::to_string(column);
        }
        throw InputError(where, "JSON number out of range: " + (number.empty() ? what : number) + " is not a finite number");
    }
}

// ---- JsonValue ----

JsonValue::JsonValue(const nlohmann::json& value, std::string path)
    : value_(&value), path_(path.empty() ? std::string("/") : std::move(path))
{
}

bool JsonValue::isNull() const { return value_->is_null(); }
bool JsonValue::isString() const { return value_->is_string(); }
bool JsonValue::isNumber() const { return value_->is_number(); }
bool JsonValue::isArray() const { return value_->is_array(); }
bool JsonValue::isObject() const { return value_->is_object(); }

void JsonValue::fail(const std::string& message) const
{
    throw InputError(path_, message);
}

std::string JsonValue::asString() const
{
    if (!value_->is_string())
        fail(std::string("expected a string, found ") + typeName(*value_));
    return value_->get<std::string>();
}

std::int64_t JsonValue::asInt(std::int64_t min, std::int64_t max) const
{
    std::int64_t v = 0;
    if (value_->is_number_unsigned()) {
        const auto u = value_->get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            fail("integer " + value_->dump() + " is out of range");
        v = static_cast<std::int64_t>(u);
    } else if (value_->is_number_integer()) {
        v = value_->get<std::int64_t>();
    } else if (value_->is_number_float()) {
        fail("expected an integer, found " + value_->dump() +
             (std::abs(value_->get<double>()) > 9.2e18 ? " (out of the 64-bit range)" : ""));
    } else {
        fail(std::string("expected an integer, found ") + typeName(*value_));
    }
    if (v < min || v > max) {
        std::string range;
        if (max == std::numeric_limits<std::int64_t>::max())
            range = "at least " + std::to_string(min);
        else if (min == std::numeric_limits<std::int64_t>::min())
            range = "at most " + std::to_string(max);
        else
            range = "between " + std::to_string(min) + " and " + std::to_string(max);
        fail("must be " + range + ", got " + std::to_string(v));
    }
    return v;
}

double JsonValue::asNumber() const
{
    if (!value_->is_number())
        fail(std::string("expected a number, found ") + typeName(*value_));
    const double v = value_->get<double>();
    if (!std::isfinite(v))
        fail("must be a finite number");
    return v;
}

bool JsonValue::asBool() const
{
    if (!value_->is_boolean())
        fail(std::string("expected true or false, found ") + typeName(*value_));
    return value_->get<bool>();
}

JsonObject JsonValue::asObject() const
{
    return JsonObject(*value_, path_ == "/" ? std::string() : path_);
}

std::vector<JsonValue> JsonValue::asArray() const
{
    if (!value_->is_array())
        fail(std::string("expected an array, found ") + typeName(*value_));
    std::vector<JsonValue> items;
    items.reserve(value_->size());
    const std::string base = path_ == "/" ? std::string() : path_;
    for (std::size_t i = 0; i < value_->size(); ++i)
        items.emplace_back((*value_)[i], base + "/" + std::to_string(i));
    return items;
}

std::vector<std::int64_t> JsonValue::asIntArray(std::int64_t min, std::int64_t max) const
{
    std::vector<std::int64_t> values;
    for (const auto& item : asArray())
        values.push_back(item.asInt(min, max));
    return values;
}

std::vector<std::string> JsonValue::asStringArray() const
{
    std::vector<std::string> values;
    for (const auto& item : asArray())
        values.push_back(item.asString());
    return values;
}

// ---- JsonObject ----

JsonObject::JsonObject(const nlohmann::json& value, std::string path)
    : value_(&value), path_(std::move(path))
{
    if (!value.is_object())
        throw InputError(path_.empty() ? "/" : path_,
                         std::string("expected an object, found ") + typeName(value));
}

std::string JsonObject::childPath(std::string_view key) const
{
    return path_ + "/" + escapeJsonPointer(key);
}

void JsonObject::remember(std::string_view key)
{
    if (std::find(asked_.begin(), asked_.end(), key) == asked_.end())
        asked_.emplace_back(key);
}

bool JsonObject::has(std::string_view key)
{
    remember(key);
    return value_->contains(key);
}

void JsonObject::fail(const std::string& message) const
{
    throw InputError(path_.empty() ? "/" : path_, message);
}

JsonValue JsonObject::required(std::string_view key)
{
    remember(key);
    const auto it = value_->find(key);
    if (it == value_->end()) {
        // A required key that is missing next to a near-miss is a typo: name the typo.
        std::vector<std::string> present;
        for (auto k = value_->begin(); k != value_->end(); ++k)
            if (std::find(asked_.begin(), asked_.end(), k.key()) == asked_.end())
                present.push_back(k.key());
        if (const auto typo = closestMatch(key, present))
            throw InputError(childPath(*typo),
                             "unknown key \"" + *typo + "\" (did you mean \"" + std::string(key) + "\"?)");
        fail("missing required key \"" + std::string(key) + "\"");
    }
    return JsonValue(*it, childPath(key));
}

std::optional<JsonValue> JsonObject::optional(std::string_view key)
{
    remember(key);
    const auto it = value_->find(key);
    if (it == value_->end())
        return std::nullopt;
    return JsonValue(*it, childPath(key));
}

std::string JsonObject::requiredString(std::string_view key)
{
    return required(key).asString();
}

std::string JsonObject::optionalString(std::string_view key, std::string fallback)
{
    const auto v = optional(key);
    return v ? v->asString() : std::move(fallback);
}

std::int64_t JsonObject::requiredInt(std::string_view key, std::int64_t min, std::int64_t max)
{
    return required(key).asInt(min, max);
}

std::int64_t JsonObject::optionalInt(std::string_view key, std::int64_t fallback, std::int64_t min,
                                     std::int64_t max)
{
    const auto v = optional(key);
    return v ? v->asInt(min, max) : fallback;
}

double JsonObject::optionalNumber(std::string_view key, double fallback)
{
    const auto v = optional(key);
    return v ? v->asNumber() : fallback;
}

bool JsonObject::optionalBool(std::string_view key, bool fallback)
{
    const auto v = optional(key);
    return v ? v->asBool() : fallback;
}

void JsonObject::rejectUnknownKeys() const
{
    for (auto it = value_->begin(); it != value_->end(); ++it) {
        if (std::find(asked_.begin(), asked_.end(), it.key()) != asked_.end())
            continue;
        std::string message = "unknown key \"" + it.key() + "\"";
        if (const auto suggestion = closestMatch(it.key(), asked_))
            message += " (did you mean \"" + *suggestion + "\"?)";
        throw InputError(childPath(it.key()), message);
    }
}

}  // namespace cdx
