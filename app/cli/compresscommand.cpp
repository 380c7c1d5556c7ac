// `cdx compress PROJECT.json`: what the project's compression plan does to every layer.
#include "app/cli/command.h"
#include "app/cli/textformat.h"

#include "core/compression/compressionanalyzer.h"
#include "core/compression/compressionreportjson.h"
#include "core/compression/weightmatrix.h"
#include "core/project/project.h"
#include "core/util/jsonwriter.h"

#include <cmath>
#include <iostream>
#include <memory>

namespace cdx::cli {

namespace {

struct CompressCliOptions {
    std::string project;
    bool json = false;
    bool all = false;
    std::string layer;
    std::int64_t pes = 0;
};

std::string decibels(const QuantStats& s)
{
    if (!std::isfinite(s.sqnrDb))
        return "exact";
    return fixed(s.sqnrDb, 1) + (s.measured ? "" : "*");
}

std::string kilobytes(Dim bits)
{
    return fixed(static_cast<double>(bits) / 8192.0, 1) + " KiB";
}

void printText(const NetworkCompressionReport& r, const CompressCliOptions& options)
{
    using Align = TextTable::Align;
    TextTable table({{"layer", Align::Left, 36},
                     {"kind"},
                     {"setting", Align::Left, 48},
                     {"density", Align::Right},
                     {"padding", Align::Right},
                     {"storage", Align::Right},
                     {"ratio", Align::Right},
                     {"w SQNR dB", Align::Right},
                     {"imbalance", Align::Right},
                     {"eff. MACs", Align::Right},
                     {"acc. drop", Align::Right}});
    bool anyModel = false;
    for (const auto& l : r.layers) {
        if ((!l.hasWeights && !options.all) || (!options.layer.empty() && !globMatch(options.layer, l.layer)))
            continue;
        anyModel = anyModel || (l.hasWeights && !l.measured);
        const std::string padding = l.storage.paddingZeros > 0 ? groupDigits(l.storage.paddingZeros) : "";
        table.addRow({l.layer, std::string(layerKindName(l.kind)), l.setting.describe(), l.hasWeights ? fixed(l.density, 4) : "", padding,
                      l.hasWeights ? kilobytes(l.storage.totalBits()) : "", l.hasWeights ? fixed(l.compressionRatio, 2) + "x" : "",
                      l.hasWeights ? decibels(l.weightStats) : "", l.hasWeights ? fixed(l.effect.imbalance, 3) : "",
                      l.effect.macs ? siPrefixed(static_cast<double>(l.effect.effectiveMacs)) : "",
                      l.hasWeights ? fixed(l.accuracyDrop, 3) + (l.accuracySource == "proxy" ? " (proxy)" : "") : ""});
    }
    std::cout << r.network << "\n\n" << table.render() << "\n";
    if (anyModel)
        std::cout << "* no weights in the network: expected values for Gaussian weights (analytical noise model)\n";
    std::cout << "parameters:  " << groupDigits(r.denseParams) << " -> " << groupDigits(r.storedParams) << "\n"
              << "storage:     " << kilobytes(r.denseBits) << " at 32 bits -> " << kilobytes(r.storedBits) << " ("
              << fixed(r.compressionRatio, 2) << "x)\n"
              << "weights:     " << fixed(r.weightCompressionRatio, 2) << "x as stored (padding, indices, pointers), "
              << fixed(r.nominalWeightCompressionRatio, 2) << "x counted as the papers do (kept x (value + index bits))\n"
              << "MACs:        " << groupDigits(r.macs) << " dense -> " << groupDigits(r.effectiveMacs) << " effective\n"
              << "accuracy:    " << fixed(r.accuracyDrop, 3) << " percentage points lost (" << r.accuracySource
              << (r.accuracySource == "proxy" ? ": from quantisation noise and pruned weight energy, no retraining" : "") << ")\n";
}

int compress(const CompressCliOptions& options)
{
    auto project = loadProjectFile(options.project);
    if (!project)
        return reportError(project.error());
    auto network = loadProjectNetwork(project.value());
    if (!network)
        return reportError(network.error());
    auto plan = CompressionPlan::fromJson(project->compression, project->filePath);
    if (!plan)
        return reportError(plan.error());
    CompressionOptions analysis;
    analysis.pes = options.pes;
    auto report = analyzeCompression(network.value(), plan.value(), analysis);
    if (!report)
        return reportError(report.error());
    reportWarnings(report->warnings);
    if (options.json)
        std::cout << formatJson(compressionReportJson(report.value()), 3);
    else
        printText(report.value(), options);
    return 0;
}

}  // namespace

Command addCompressCommand(CLI::App& app)
{
    auto options = std::make_shared<CompressCliOptions>();
    auto* parser = app.add_subcommand("compress", "What the project's compression plan does to every layer: storage, work, accuracy");
    parser->add_option("PROJECT", options->project, "A project .json (see projects/)")->required();
    parser->add_flag("--json", options->json, "Machine-readable report (\"cdx-compression\") on stdout");
    parser->add_flag("--all", options->all, "Also list the layers without weights");
    parser->add_option("--layer", options->layer, "Only the layers whose names match this glob (text output)");
    parser->add_option("--pes", options->pes, "PEs for compressed-column storage and the load imbalance (overrides the plan)")
        ->check(CLI::Range(1, 1 << 20));
    return {parser, [options] { return compress(*options); }};
}

}  // namespace cdx::cli
