#include "core/accuracy/datasetspec.h"

#include "core/util/fileio.h"
#include "core/util/jsonreader.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>

namespace cdx {

namespace {

constexpr std::string_view kDataVariable = "${CDX_DATA}";

const std::vector<std::string> kFormats = {"idx", "npy", "images", "wav"};

std::string expandPath(const JsonValue& value, const std::string& projectFile)
{
    std::string path = value.asString();
    if (path.empty())
        value.fail("the path is empty");
    if (path.starts_with(kDataVariable))
        return datasetDataDirectory() + path.substr(kDataVariable.size());
    if (path.find("${") != std::string::npos)
        value.fail("\"" + path + "\": the only variable a dataset path may use is ${CDX_DATA}");
    if (std::filesystem::path(path).is_absolute())
        return path;
    // Same rule as the project's other files: a shared project reads only from its own folder.
    if (leavesItsFolder(path))
        value.fail("\"" + path + "\" leaves the project's folder; use ${CDX_DATA}/… or an absolute path");
    const std::filesystem::path base = std::filesystem::path(projectFile).parent_path();
    return (base / path).string();
}

std::vector<double> readNumbers(JsonObject& o, std::string_view key, bool positive)
{
    std::vector<double> numbers;
    const auto value = o.optional(key);
    if (!value)
        return numbers;
    // One number is the common case (grey images, audio); a list gives one per channel.
    std::vector<JsonValue> items;
    if (value->isArray())
        items = value->asArray();
    else
        items.push_back(*value);
    if (items.empty())
        value->fail("give a number or one number per channel");
    for (const auto& item : items) {
        const double x = item.asNumber();
        if (!std::isfinite(x) || (positive && !(x > 0)))
            item.fail(positive ? "must be a positive number" : "must be a finite number");
        numbers.push_back(x);
    }
    return numbers;
}

// Which keys mean something for which formats, so that a key given to the wrong format says so.
struct FormatKey {
    std::string_view key;
    std::vector<std::string_view> formats;
};
const std::vector<FormatKey> kFormatKeys = {
    {"layout", {"images", "npy"}},
    {"width", {"images"}},
    {"height", {"images"}},
    {"channels", {"images"}},
    {"sampleRate", {"wav"}},
    {"resample", {"wav"}},
    {"windowSamples", {"wav"}},
};

void rejectKeysOfOtherFormats(JsonObject& o, const std::string& format)
{
    for (const auto& entry : kFormatKeys) {
        if (!o.has(entry.key) || std::ranges::find(entry.formats, format) != entry.formats.end())
            continue;
        std::string formats;
        for (const auto& f : entry.formats)
            formats += (formats.empty() ? "\"" : " or \"") + std::string(f) + "\"";
        o.required(entry.key).fail("applies to format " + formats + " only, not \"" + format + "\"");
    }
}

DatasetSpec readSpec(JsonObject& o, const std::string& file)
{
    DatasetSpec spec;
    const JsonValue format = o.required("format");
    spec.format = format.asString();
    if (std::ranges::find(kFormats, spec.format) == kFormats.end()) {
        std::string message = "unknown format \"" + spec.format + "\"; expected idx, npy, images or wav";
        if (const auto close = closestMatch(spec.format, kFormats))
            message += " (did you mean \"" + *close + "\"?)";
        format.fail(message);
    }
    rejectKeysOfOtherFormats(o, spec.format);

    // The MNIST files are "images" and "labels"; the other formats name their examples "data".
    const bool idx = spec.format == "idx";
    if (idx && o.has("images") && o.has("data"))
        o.required("data").fail("give \"images\" or \"data\", not both");
    const JsonValue data = o.required(idx && o.has("images") ? "images" : "data");
    spec.dataAsWritten = data.asString();
    spec.data = expandPath(data, file);
    if (const auto labels = o.optional("labels")) {
        spec.labelsAsWritten = labels->asString();
        spec.labels = expandPath(*labels, file);
    }

    if (const auto scale = o.optional("scale")) {
        spec.scale = scale->asNumber();
        if (!std::isfinite(spec.scale) || spec.scale == 0)
            scale->fail("must be a finite number other than 0");
    }
    spec.mean = readNumbers(o, "mean", false);
    spec.std = readNumbers(o, "std", true);
    if (!spec.mean.empty() && !spec.std.empty() && spec.mean.size() != spec.std.size() && spec.mean.size() != 1 &&
        spec.std.size() != 1)
        o.required("std").fail("has " + std::to_string(spec.std.size()) + " entries, \"mean\" has " +
                               std::to_string(spec.mean.size()) + "; give one number or one per channel in both");

    if (const auto layout = o.optional("layout")) {
        spec.layout = layout->asString();
        if (spec.layout != "nchw" && spec.layout != "nhwc")
            layout->fail("\"" + spec.layout + "\": expected \"nchw\" or \"nhwc\"");
    }
    spec.width = static_cast<int>(o.optionalInt("width", 0, 0, 65535));
    spec.height = static_cast<int>(o.optionalInt("height", 0, 0, 65535));
    if (const auto channels = o.optional("channels")) {
        spec.channels = static_cast<int>(channels->asInt(1, 3));
        if (spec.channels == 2)
            channels->fail("must be 1 (grey) or 3 (RGB)");
    }
    spec.sampleRate = static_cast<int>(o.optionalInt("sampleRate", 16000, 1, 1'000'000));
    spec.windowSamples = o.optionalInt("windowSamples", 0, 0, std::int64_t{1} << 32);
    if (const auto resample = o.optional("resample"))
        spec.resample = resample->asBool();
    o.rejectUnknownKeys();
    return spec;
}

void putNumbers(nlohmann::ordered_json& block, const char* key, const std::vector<double>& numbers)
{
    if (numbers.size() == 1)
        block[key] = numbers.front();
    else if (!numbers.empty())
        block[key] = numbers;
}

}  // namespace

std::string datasetDataDirectory()
{
    if (const char* dir = std::getenv("CDX_DATASETS_DIR"); dir && *dir)
        return dir;
    if (const char* dir = std::getenv("CDX_DEPS_DIR"); dir && *dir)
        return std::string(dir) + "/data";
    const char* home = std::getenv("HOME");
    return std::string(home && *home ? home : ".") + "/.cache/cdx-deps/data";
}

Result<DatasetSpec> DatasetSpec::fromJson(const nlohmann::ordered_json& block, const std::string& file,
                                          const std::string& jsonPath)
{
    try {
        const nlohmann::json plain = block;
        JsonObject o = JsonValue(plain, jsonPath).asObject();
        DatasetSpec spec = readSpec(o, file);
        spec.file = file;
        spec.jsonPath = jsonPath;
        return spec;
    } catch (const InputError& e) {
        Error error = e.error();
        error.file = file;
        return error;
    }
}

nlohmann::ordered_json DatasetSpec::toJson() const
{
    nlohmann::ordered_json block = nlohmann::ordered_json::object();
    block["format"] = format;
    block[format == "idx" ? "images" : "data"] = dataAsWritten.empty() ? data : dataAsWritten;
    if (!labels.empty() || !labelsAsWritten.empty())
        block["labels"] = labelsAsWritten.empty() ? labels : labelsAsWritten;
    if (scale != 1.0)
        block["scale"] = scale;
    putNumbers(block, "mean", mean);
    putNumbers(block, "std", std);
    if (format == "images" || format == "npy") {
        if (layout != "nchw")
            block["layout"] = layout;
    }
    if (format == "images") {
        if (width != 0)
            block["width"] = width;
        if (height != 0)
            block["height"] = height;
        if (channels != 0)
            block["channels"] = channels;
    }
    if (format == "wav") {
        if (sampleRate != 16000)
            block["sampleRate"] = sampleRate;
        if (windowSamples != 0)
            block["windowSamples"] = windowSamples;
        if (resample)
            block["resample"] = true;
    }
    return block;
}

DatasetSpec DatasetSpec::withWindowFrom(const std::vector<std::int64_t>& inputShape) const
{
    DatasetSpec spec = *this;
    if (spec.format == "wav" && spec.windowSamples == 0 && !inputShape.empty() && inputShape.back() > 0)
        spec.windowSamples = inputShape.back();
    return spec;
}

}  // namespace cdx
