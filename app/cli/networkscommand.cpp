// `cdx networks`: the built-in zoo.
#include "app/cli/command.h"
#include "app/cli/textformat.h"

#include "core/util/jsonwriter.h"
#include "core/zoo/zoo.h"

#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

namespace cdx::cli {

namespace {

std::string dimsText(const DimBindings& dims)
{
    std::string text;
    for (const auto& [symbol, value] : dims)
        text += (text.empty() ? "" : ", ") + symbol + "=" + std::to_string(value);
    return text;
}

int listNetworks(bool json)
{
    if (json) {
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (const auto& entry : zooEntries()) {
            const NetworkSpec spec = entry.build();
            nlohmann::ordered_json j;
            j["name"] = entry.name;
            j["summary"] = entry.summary;
            j["description"] = spec.description;
            j["source"] = spec.source;
            nlohmann::ordered_json dims = nlohmann::ordered_json::object();
            for (const auto& [symbol, value] : spec.dimDefaults)
                dims[symbol] = value;
            j["dims"] = dims;
            list.push_back(j);
        }
        nlohmann::ordered_json doc;
        doc["format"] = "cdx-networks";
        doc["version"] = 1;
        doc["networks"] = list;
        std::cout << formatJson(doc, 3);
        return 0;
    }
    TextTable table({{"name"}, {"description"}, {"dimensions"}});
    for (const auto& entry : zooEntries())
        table.addRow({std::string(entry.name), std::string(entry.summary), dimsText(entry.build().dimDefaults)});
    std::cout << table.render();
    return 0;
}

}  // namespace

Command addNetworksCommand(CLI::App& app)
{
    auto* parser = app.add_subcommand("networks", "List the built-in networks (the zoo)");
    auto json = std::make_shared<bool>(false);
    parser->add_flag("--json", *json, "Machine-readable output on stdout");
    return {parser, [json] { return listNetworks(*json); }};
}

}  // namespace cdx::cli
