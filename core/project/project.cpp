#include "core/project/project.h"

#include "core/accuracy/accuracyspec.h"
#include "core/network/networkjson.h"
#include "core/onnx/onnximporter.h"
#include "core/util/fileio.h"
#include "core/util/jsonreader.h"
#include "core/util/jsonwriter.h"
#include "core/zoo/zoo.h"

#include <cstdlib>
#include <filesystem>

namespace cdx {

namespace {

constexpr const char* kFormat = "cdx-project";
constexpr std::string_view kModelsVariable = "${CDX_MODELS}";

NetworkReference readNetworkReference(JsonObject o)
{
    NetworkReference ref;
    int sources = 0;
    for (const auto& [key, source] : {std::pair{"zoo", NetworkReference::Source::Zoo},
                                      std::pair{"onnx", NetworkReference::Source::Onnx},
                                      std::pair{"file", NetworkReference::Source::File}}) {
        if (const auto v = o.optional(key)) {
            ref.source = source;
            ref.value = v->asString();
            if (ref.value.empty())
                v->fail("must not be empty");
            if (source != NetworkReference::Source::Zoo && ref.value.starts_with(kModelsVariable)) {
                // Models too large to ship live in the fetched cache; the project stays portable.
                ref.valueAsWritten = ref.value;
                ref.value = modelsDirectory() + ref.value.substr(kModelsVariable.size());
            } else if (source != NetworkReference::Source::Zoo && ref.value.find("${") != std::string::npos) {
                v->fail("\"" + ref.value + "\": the only variable a network path may use is ${CDX_MODELS}");
            } else if (source != NetworkReference::Source::Zoo) {
                // Shared projects name their files inside their own folder; a relative path that
                // climbs out of it could read anything. An absolute path is the author's explicit choice.
                if (leavesItsFolder(ref.value))
                    v->fail("\"" + ref.value + "\" leaves the project's folder; keep the file in the project's folder or give its absolute path");
            }
            ++sources;
        }
    }
    if (sources != 1)
        o.fail("needs exactly one of \"zoo\", \"onnx\" and \"file\"");
    if (const auto batch = o.optional("batch"))
        ref.dims["batch"] = batch->asInt(1);
    if (const auto seq = o.optional("seq_len"))
        ref.dims["seq_len"] = seq->asInt(1);
    if (const auto dims = o.optional("dims")) {
        JsonObject d = dims->asObject();
        for (auto it = dims->raw().begin(); it != dims->raw().end(); ++it)
            ref.dims[it.key()] = d.requiredInt(it.key(), 1);
    }
    if (const auto branch = o.optional("if_branch")) {
        ref.ifBranch = branch->asString();
        if (ref.ifBranch != "then" && ref.ifBranch != "else")
            branch->fail("must be \"then\" or \"else\"");
    }
    o.rejectUnknownKeys();
    return ref;
}

/// A block kept verbatim, from the order-preserving parse so that saving keeps the author's key order.
nlohmann::ordered_json readBlock(JsonObject& doc, const nlohmann::ordered_json& ordered, const char* key)
{
    const auto v = doc.optional(key);
    if (!v)
        return nlohmann::ordered_json::object();
    if (!v->isObject())
        v->fail("must be an object");
    return ordered.at(key);
}

}  // namespace

std::string modelsDirectory()
{
    if (const char* dir = std::getenv("CDX_MODELS_DIR"); dir && *dir)
        return dir;
    const char* home = std::getenv("HOME");
    return std::string(home && *home ? home : ".") + "/.cache/cdx-models";
}

Result<Project> readProjectJson(const std::string& text, const std::string& file)
{
    try {
        const nlohmann::json root = parseJsonText(text);
        const auto ordered = nlohmann::ordered_json::parse(text);
        JsonObject doc(root, {});
        const auto format = doc.required("format");
        if (format.asString() != kFormat)
            format.fail("this is a \"" + format.asString() + "\" file, not a project (\"" + kFormat + "\")");
        const auto version = doc.required("version");
        const auto v = version.asInt(1);
        if (v > kProjectFormatVersion)
            version.fail("project format version " + std::to_string(v) + " is newer than this build reads (" +
                         std::to_string(kProjectFormatVersion) + "); update Codesign Explorer");
        Project project;
        project.filePath = file;
        project.name = doc.optionalString("name", {});
        project.network = readNetworkReference(doc.required("network").asObject());
        project.compression = readBlock(doc, ordered, "compression");
        project.hardware = readBlock(doc, ordered, "hardware");
        project.platform = readBlock(doc, ordered, "platform");
        project.tech = readBlock(doc, ordered, "tech");
        project.explore = readBlock(doc, ordered, "explore");
        project.accuracy = readBlock(doc, ordered, "accuracy");
        if (!project.accuracy.empty())
            if (auto spec = AccuracySpec::fromJson(project.accuracy, file); !spec)
                return spec.error();
        doc.rejectUnknownKeys();
        return project;
    } catch (const InputError& e) {
        Error error = e.error();
        error.file = file;
        return error;
    }
}

Result<Project> loadProjectFile(const std::string& path)
{
    auto text = readTextFile(path);
    if (!text)
        return text.error();
    return readProjectJson(text.value(), path);
}

std::string writeProjectJson(const Project& project)
{
    nlohmann::ordered_json doc;
    doc["format"] = kFormat;
    doc["version"] = kProjectFormatVersion;
    doc["name"] = project.name;
    nlohmann::ordered_json network;
    const auto& ref = project.network;
    network[ref.source == NetworkReference::Source::Zoo ? "zoo" : ref.source == NetworkReference::Source::Onnx ? "onnx" : "file"] =
        ref.valueAsWritten.empty() ? ref.value : ref.valueAsWritten;
    DimBindings rest = ref.dims;
    for (const char* key : {"batch", "seq_len"}) {
        if (auto it = rest.find(key); it != rest.end()) {
            network[key] = it->second;
            rest.erase(it);
        }
    }
    if (!rest.empty()) {
        nlohmann::ordered_json dims = nlohmann::ordered_json::object();
        for (const auto& [symbol, value] : rest)
            dims[symbol] = value;
        network["dims"] = dims;
    }
    if (ref.ifBranch != "then")
        network["if_branch"] = ref.ifBranch;
    doc["network"] = network;
    doc["compression"] = project.compression;
    doc["hardware"] = project.hardware;
    doc["platform"] = project.platform;
    doc["tech"] = project.tech;
    doc["explore"] = project.explore;
    if (!project.accuracy.empty())
        doc["accuracy"] = project.accuracy;
    return formatJson(doc, 4);
}

std::optional<Error> saveProjectFile(const Project& project, const std::string& path)
{
    return writeFileAtomically(path, writeProjectJson(project));
}

Result<Network> loadProjectNetwork(const Project& project)
{
    const auto& ref = project.network;
    const std::string where = "/network";
    auto located = [&](Error e) {
        if (e.file.empty()) {
            e.file = project.filePath;
            e.location = where + (e.location.empty() ? "" : ": " + e.location);
        }
        return e;
    };
    switch (ref.source) {
    case NetworkReference::Source::Zoo: {
        auto net = loadZooNetwork(ref.value, ref.dims);
        if (!net)
            return located(net.error());
        return net;
    }
    case NetworkReference::Source::File: {
        const std::filesystem::path base = std::filesystem::path(project.filePath).parent_path();
        return loadNetworkFile((base / ref.value).string(), ref.dims);
    }
    case NetworkReference::Source::Onnx: {
        const std::filesystem::path base = std::filesystem::path(project.filePath).parent_path();
        OnnxImportOptions options;
        options.dims = ref.dims;
        options.unknownIfBranch = ref.ifBranch == "else" ? OnnxImportOptions::Branch::Else : OnnxImportOptions::Branch::Then;
        return importOnnxFile((base / ref.value).string(), options);
    }
    }
    return located(Error{ExitCode::Internal, {}, {}, "unknown network source"});
}

}  // namespace cdx
