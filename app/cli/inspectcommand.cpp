// `cdx inspect NETWORK`: layers, shapes, MACs and parameters of a network.
#include "app/cli/command.h"
#include "app/cli/textformat.h"

#include "core/network/networkfusion.h"
#include "core/network/networkjson.h"
#include "core/network/networkreport.h"
#include "core/project/networksource.h"
#include "core/util/jsonwriter.h"
#include "estimators/templates/acceleratortemplate.h"

#include <nlohmann/json.hpp>

#include <iostream>
#include <map>
#include <memory>

namespace cdx::cli {

namespace {

struct InspectOptions {
    std::string network;
    bool json = false;
    bool macOnly = false;
    bool fused = false;
    std::string templateName;
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

/// The fused groups: each MAC layer with the operators its output stage applies, and the layers
/// that stay on their own.
nlohmann::ordered_json fusionJson(const Network& net, const NetworkFusion& fusion, const std::string& templateName, const OutputStage& stage)
{
    nlohmann::ordered_json j;
    j["template"] = templateName;
    j["output_stage"] = stage.describe();
    nlohmann::ordered_json groups = nlohmann::ordered_json::array(), standalone = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < net.layers().size(); ++i) {
        const Layer& layer = net.layers()[i];
        if (fusion.fused(i))
            continue;
        if (!fusion.members[i].empty()) {
            nlohmann::ordered_json members = nlohmann::ordered_json::array();
            for (const auto& m : fusion.members[i]) {
                const Layer& f = net.layers()[static_cast<std::size_t>(m.layer)];
                members.push_back({{"layer", f.name}, {"op", operatorName(f)}, {"kind", std::string(fusedOpKindName(m.kind))}});
            }
            groups.push_back({{"layer", layer.name}, {"fused", members}});
        } else if (!isMacKind(layer.kind) && !isShapeKind(layer.kind) && layer.counts.ops > 0) {
            standalone.push_back({{"layer", layer.name}, {"op", operatorName(layer)}});
        }
    }
    j["groups"] = groups;
    j["standalone"] = standalone;
    j["fused_layers"] = fusion.fusedCount();
    return j;
}

void printFusion(const nlohmann::ordered_json& j)
{
    std::cout << "fused for " << j["template"].get<std::string>() << " (output stage: " << j["output_stage"].get<std::string>()
              << "): " << j["fused_layers"].get<std::size_t>() << " layers join " << j["groups"].size() << " MAC layers\n\n";
    using Align = TextTable::Align;
    TextTable groups({{"MAC layer", Align::Left, 40}, {"fused operators", Align::Left, 80}});
    for (const auto& g : j["groups"]) {
        std::string fused;
        for (const auto& m : g["fused"])
            fused += (fused.empty() ? "" : ", ") + m["layer"].get<std::string>() + " (" + m["op"].get<std::string>() + ")";
        groups.addRow({g["layer"].get<std::string>(), fused});
    }
    std::cout << groups.render() << "\n";
    if (j["standalone"].empty()) {
        std::cout << "no layer with work stays on its own\n";
        return;
    }
    std::map<std::string, int> byOp;
    for (const auto& s : j["standalone"])
        ++byOp[s["op"].get<std::string>()];
    std::cout << "on their own (vector unit or host): " << j["standalone"].size() << " layers:";
    for (const auto& [op, n] : byOp)
        std::cout << " " << op << " " << n;
    std::cout << "\n";
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
    if (!options.fused) {
        if (options.json)
            std::cout << formatJson(networkReportJson(network.value()), 3);
        else
            printText(network.value(), options.macOnly);
        return 0;
    }
    // The template's output stage: the one asked for, else the project's, else a typical one.
    std::string templateName = options.templateName;
    if (templateName.empty() && project->hardware.contains("template") && project->hardware["template"].is_string())
        templateName = project->hardware["template"].get<std::string>();
    OutputStage stage;
    if (!templateName.empty()) {
        auto found = findAcceleratorTemplate(templateName);
        if (!found) {
            Error error = found.error();
            error.location = options.templateName.empty() ? "/hardware/template" : "--template";
            if (error.file.empty() && options.templateName.empty())
                error.file = options.network;
            return reportError(error);
        }
        stage = found.value()->info().outputStage;
    }
    const NetworkFusion fusion = fuseNetwork(network.value(), stage);
    const auto j = fusionJson(network.value(), fusion, templateName.empty() ? "a typical output stage" : templateName, stage);
    if (options.json) {
        nlohmann::ordered_json out = networkReportJson(network.value());
        out["fusion"] = j;
        std::cout << formatJson(out, 3);
    } else {
        printFusion(j);
    }
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
    parser->add_flag("--fused", options->fused,
                     "List the fused groups: each MAC layer with the batch norms, biases, activations and residual adds its "
                     "output stage applies (JSON: \"fusion\")");
    parser->add_option("--template", options->templateName,
                       "With --fused: the template whose output stage fuses (default: a project's own, else scale, clamp and "
                       "piecewise activations)");
    parser->add_option("--save-network", options->saveNetwork,
                       "Also write the network as a network JSON file (a start for your own)");
    options->dims.addTo(*parser);
    return {parser, [options] { return inspect(*options); }};
}

}  // namespace cdx::cli
