// `cdx inspect NETWORK`: layers, shapes, MACs and parameters of a network.
#include "app/cli/command.h"
#include "app/cli/textformat.h"

#include "core/network/networkjson.h"
#include "core/network/networkreport.h"
#include "core/project/networksource.h"
#include "core/util/jsonwriter.h"

#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

namespace cdx::cli {

namespace {

struct InspectOptions {
    std::string network;
    bool json = false;
    bool macOnly = false;
    std::string saveNetwork;
    std::string ifBranch = "then";
    DimensionOptions dims;
};

void printText(const Network& net, bool macOnly)
{
    std::cout << net.name();
    if (!net.description().empty())
        std::cout << ": " << net.description();
    std::cout << "\n";
    if (!net.source().empty())
        std::cout << "source: " << net.source() << "\n";
    for (const auto& input : net.inputSpecs())
        std::cout << "input " << input.name << ": " << formatShape(net.findTensor(input.name)->shape) << " "
                  << dataTypeName(input.dtype) << "\n";
    std::cout << "\n";

    using Align = TextTable::Align;
    TextTable table({{"#", Align::Right},
                     {"layer", Align::Left, 48},
                     {"kind"},
                     {"output", Align::Left, 28},
                     {"MACs", Align::Right},
                     {"params", Align::Right}});
    for (std::size_t i = 0; i < net.layers().size(); ++i) {
        const Layer& layer = net.layers()[i];
        if (macOnly && !isMacKind(layer.kind))
            continue;
        std::string shape;
        for (const auto& s : layer.outputShapes)
            shape += (shape.empty() ? "" : ", ") + formatShape(s);
        table.addRow({std::to_string(i), layer.name, std::string(layerKindName(layer.kind)), shape,
                      groupDigits(layer.counts.macs), groupDigits(layer.counts.params)});
    }
    std::cout << table.render() << "\n";

    const NetworkTotals& t = net.totals();
    std::cout << "layers:     " << t.layers << " (" << t.macLayers << " with MACs)\n"
              << "MACs:       " << groupDigits(t.macs) << " (" << siPrefixed(static_cast<double>(t.macs)) << ")\n"
              << "parameters: " << groupDigits(t.params) << " (" << siPrefixed(static_cast<double>(t.params)) << ")\n"
              << "other ops:  " << groupDigits(t.ops) << "\n";
}

int inspect(const InspectOptions& options)
{
    const auto bindings = options.dims.bindings();
    if (const auto* error = std::get_if<Error>(&bindings))
        return reportError(*error);
    auto project = projectForSource(options.network);
    if (!project)
        return reportError(project.error());
    for (const auto& [symbol, value] : std::get<DimBindings>(bindings))
        project->network.dims[symbol] = value;
    if (options.ifBranch != "then")
        project->network.ifBranch = options.ifBranch;
    auto network = loadProjectNetwork(project.value());
    if (!network)
        return reportError(network.error());
    reportWarnings(network->warnings());
    if (!options.saveNetwork.empty()) {
        if (auto error = saveNetworkFile(network.value(), options.saveNetwork))
            return reportError(*error);
    }
    if (options.json)
        std::cout << formatJson(networkReportJson(network.value()), 3);
    else
        printText(network.value(), options.macOnly);
    return 0;
}

}  // namespace

Command addInspectCommand(CLI::App& app)
{
    auto options = std::make_shared<InspectOptions>();
    auto* parser = app.add_subcommand("inspect", "Layers, shapes, MACs and parameters of a network");
    parser->add_option("NETWORK", options->network,
                       "A zoo name (see `cdx networks`), an .onnx model, a network .json, or a project .json")
        ->required();
    parser->add_option("--if-branch", options->ifBranch,
                       "ONNX: the branch of an If whose condition is unknown at import (then or else)")
        ->check(CLI::IsMember({"then", "else"}));
    parser->add_flag("--json", options->json, "Machine-readable output (\"cdx-inspect\") on stdout");
    parser->add_flag("--mac-only", options->macOnly, "List only layers with multiply-accumulates");
    parser->add_option("--save-network", options->saveNetwork,
                       "Also write the network as a network JSON file (a start for your own)");
    options->dims.addTo(*parser);
    return {parser, [options] { return inspect(*options); }};
}

}  // namespace cdx::cli
