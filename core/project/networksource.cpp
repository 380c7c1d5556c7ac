#include "core/project/networksource.h"

#include "core/util/fileio.h"
#include "core/util/jsonreader.h"

#include <nlohmann/json.hpp>


namespace cdx {

namespace {

bool endsWith(const std::string& s, const std::string& suffix)
{
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Project wrap(NetworkReference::Source source, std::string value)
{
    Project project;
    project.network.source = source;
    project.network.value = std::move(value);
    return project;
}

}  // namespace

Result<Project> projectForSource(const std::string& argument)
{
    if (endsWith(argument, ".onnx"))
        return wrap(NetworkReference::Source::Onnx, argument);
    if (!endsWith(argument, ".json"))
        return wrap(NetworkReference::Source::Zoo, argument);

    auto text = readTextFile(argument);
    if (!text)
        return text.error();
    std::string format;
    try {
        const auto root = parseJsonText(text.value());
        if (root.is_object() && root.contains("format") && root["format"].is_string())
            format = root["format"].get<std::string>();
    } catch (const InputError& e) {
        Error error = e.error();
        error.file = argument;
        return error;
    }
    if (format == "cdx-project")
        return readProjectJson(text.value(), argument);
    // Anything else is read as a network file, whose reader explains what is wrong with it.
    return wrap(NetworkReference::Source::File, argument);
}

Result<Network> loadNetworkSource(const std::string& argument, const DimBindings& bindings)
{
    auto project = projectForSource(argument);
    if (!project)
        return project.error();
    for (const auto& [symbol, value] : bindings)
        project->network.dims[symbol] = value;
    return loadProjectNetwork(project.value());
}

}  // namespace cdx
