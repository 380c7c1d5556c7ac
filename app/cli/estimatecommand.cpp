// `cdx estimate PROJECT.json`: one design point, per layer and in total.
#include "app/cli/command.h"
#include "app/cli/textformat.h"

#include "core/project/project.h"
#include "core/util/fileio.h"
#include "core/util/jsonwriter.h"
#include "estimators/estimate/estimator.h"
#include "estimators/estimate/measuredaccuracy.h"
#include "estimators/results/networkresult.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

namespace cdx::cli {

namespace {

struct EstimateCliOptions {
    std::string project;
    bool json = false;
    std::string csv;
    bool showMapping = false;
    bool noFusion = false;
    std::string objective;
    int budget = 0;
};

/// 1.234e-3 s -> "1.23 ms".
std::string seconds(double s)
{
    if (s >= 1)
        return fixed(s, 3) + " s";
    if (s >= 1e-3)
        return fixed(s * 1e3, 3) + " ms";
    return fixed(s * 1e6, 3) + " us";
}

/// pJ -> "12.3 uJ".
std::string joules(double pj)
{
    if (pj >= 1e12)
        return fixed(pj * 1e-12, 3) + " J";
    if (pj >= 1e9)
        return fixed(pj * 1e-9, 3) + " mJ";
    if (pj >= 1e6)
        return fixed(pj * 1e-6, 3) + " uJ";
    return fixed(pj * 1e-3, 3) + " nJ";
}

void printText(const NetworkResult& r, bool showMapping)
{
    std::cout << r.project << "\n"
              << "network:  " << r.network << "\n"
              << "design:   " << r.templateName << (r.preset.empty() ? "" : " (preset " + r.preset + ")") << ": " << r.design << "\n"
              << "platform: " << r.platform << "\n\n";
    using Align = TextTable::Align;
    TextTable table({{"layer", Align::Left, 40},
                     {"unit"},
                     {"MACs", Align::Right},
                     {"cycles", Align::Right},
                     {"latency", Align::Right},
                     {"energy", Align::Right},
                     {"util", Align::Right},
                     {"bound"},
                     {"fused", Align::Left, 48}});
    for (const auto& l : r.layers) {
        if (l.unit == "none")
            continue;
        std::string fused;
        for (const auto& [layer, op] : l.fused)
            fused += (fused.empty() ? "" : ", ") + op;
        table.addRow({l.name, l.unit, l.macs ? groupDigits(l.macs) : "", groupDigits(l.cycles), seconds(l.latencyS), joules(l.energyPj),
                      l.unit == "array" ? fixed(100 * l.utilization, 1) + "%" : "", l.bound, fused});
    }
    std::cout << table.render() << "\n";
    if (showMapping)
        for (const auto& l : r.layers)
            if (!l.mapping.empty())
                std::cout << "mapping of " << l.name << ":\n" << l.mapping << "\n";

    std::cout << "MACs:        " << groupDigits(r.macs) << " (" << siPrefixed(static_cast<double>(r.macs)) << ")"
              << (r.effectiveMacs != r.macs ? " dense, " + groupDigits(r.effectiveMacs) + " executed" : std::string()) << "\n"
              << "cycles:      " << groupDigits(r.cycles) << (r.pipelined ? " per inference (slowest stage of the pipeline)" : "") << "\n"
              << "latency:     " << seconds(r.latencyS) << " at " << fixed(r.clockHz / 1e6, 1) << " MHz\n"
              << "energy:      " << joules(r.energyPj) << " (" << fixed(r.macs ? r.energyPj / static_cast<double>(r.macs) : 0, 3) << " pJ/MAC)\n"
              << "power:       " << fixed(r.powerW, 3) << " W with the DRAM accesses; core " << fixed(r.corePowerW, 3) << " W ("
              << [&r] {
                     std::string parts;
                     for (const auto& [name, w] : r.corePowerBreakdownW)
                         parts += (parts.empty() ? "" : ", ") + name + " " + fixed(w, 3);
                     return parts;
                 }()
              << ")\n"
              // Executed ops (the MACs performed) against the peak; the dense-equivalent figure
              // credits the work the design skips and may exceed it (README, "Whole-network estimates").
              << "throughput:  executed " << siPrefixed(r.effectiveOpsPerS) << "op/s of " << siPrefixed(r.peakOpsPerS) << "op/s peak ("
              << fixed(100 * r.utilization, 1) << "% utilization); dense-equivalent " << siPrefixed(r.opsPerS) << "op/s\n"
              << "efficiency:  " << fixed(r.topsPerW, 3) << " TOPS/W (dense-equivalent)\n"
              << "accuracy:    " << fixed(r.accuracyDropPp, 2) << " percentage points lost (" << r.accuracySource;
    if (r.accuracySource == "measured")
        std::cout << " with ONNX Runtime: " << r.accuracyMetric << " on " << r.accuracySamples << " examples, float " << fixed(r.accuracyFloat, 2);
    else if (r.accuracySource == "proxy")
        std::cout << ": from quantisation noise and pruned weight energy, no retraining";
    std::cout << ")\n";
    if (!r.nonMacEnergyPj.empty()) {
        std::cout << "outside the MAC arrays:";
        for (const auto& [op, pj] : r.nonMacEnergyPj)
            std::cout << (&op == &r.nonMacEnergyPj.front().first ? " " : ", ") << op << " " << joules(pj);
        std::cout << "\n";
    }
    std::cout << "energy by component:\n";
    for (const auto& [component, pj] : r.energyBreakdownPj)
        std::cout << "  " << component << ": " << joules(pj) << " (" << fixed(r.energyPj > 0 ? 100 * pj / r.energyPj : 0, 1) << "%)\n";
    if (r.fpga) {
        const auto& u = r.fpgaUsage;
        auto line = [](const char* what, double used, double available) {
            std::cout << "  " << what << fixed(used, 0) << " of " << fixed(available, 0) << " ("
                      << fixed(available > 0 ? 100 * used / available : 0, 1) << "%)\n";
        };
        std::cout << "FPGA " << u.device << ":\n";
        line("LUT:    ", u.used.lut, u.available.lut);
        line("FF:     ", u.used.ff, u.available.ff);
        line("DSP:    ", u.used.dsp, u.available.dsp);
        line("BRAM36: ", u.used.bram36, u.available.bram36);
        if (u.available.uram > 0)
            line("URAM:   ", u.used.uram, u.available.uram);
    } else {
        std::cout << "area:        " << fixed(r.areaMm2, 3) << " mm2\n";
        for (const auto& item : r.areaBreakdown)
            std::cout << "  " << item.component << ": " << fixed(item.mm2, 4) << " mm2\n";
        // The same area by what it is built of (totals.physical_area_mm2), largest first.
        auto kinds = physicalAreaBreakdown(r.areaBreakdown);
        std::stable_sort(kinds.begin(), kinds.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
        std::cout << "area by what it is built of:";
        for (std::size_t i = 0; i < kinds.size(); ++i)
            std::cout << (i == 0 ? " " : ", ") << kinds[i].first << " " << fixed(kinds[i].second, 3);
        std::cout << " mm2\n";
    }
}

int estimate(const EstimateCliOptions& options)
{
    auto project = loadProjectFile(options.project);
    if (!project)
        return reportError(project.error());
    auto network = loadProjectNetwork(project.value());
    if (!network)
        return reportError(network.error());
    EstimateOptions estimateOptions;
    estimateOptions.showMapping = options.showMapping;
    estimateOptions.fuse = !options.noFusion;
    if (!options.objective.empty())
        estimateOptions.objective = mapperObjectiveFromName(options.objective);
    if (options.budget > 0)
        estimateOptions.budget = options.budget;
    std::optional<std::string> unprofiled;
    estimateOptions.accumulatorProfile = measuredAccumulatorProfile(project.value(), unprofiled);
    Estimator estimator;
    const auto start = std::chrono::steady_clock::now();
    auto result = estimator.estimate(project.value(), network.value(), estimateOptions);
    if (!result)
        return reportError(result.error());
    if (unprofiled)
        result->warnings.push_back(*unprofiled);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (auto why = applyMeasuredAccuracy(project.value(), result.value()))
        result->warnings.push_back(*why);
    reportWarnings(result->warnings);
    std::fprintf(stderr, "cdx: estimated %zu workloads in %.1f ms\n", result->layers.size(), ms);
    if (!options.csv.empty())
        if (auto error = writeFileAtomically(options.csv, networkResultCsv(result.value())))
            return reportError(*error);
    if (options.json)
        std::cout << formatJson(networkResultJson(result.value(), options.showMapping), 3);
    else
        printText(result.value(), options.showMapping);
    return 0;
}

}  // namespace

Command addEstimateCommand(CLI::App& app)
{
    auto options = std::make_shared<EstimateCliOptions>();
    auto* parser = app.add_subcommand("estimate", "Area, energy and latency of one design point, per layer and in total");
    parser->add_option("PROJECT", options->project, "A project .json (see projects/)")->required();
    parser->add_flag("--json", options->json, "Machine-readable result (\"cdx-result\") on stdout");
    parser->add_option("--csv", options->csv, "Also write the per-layer table as CSV to this file");
    parser->add_flag("--show-mapping", options->showMapping, "Print (or include in the JSON) each layer's loop nest");
    parser->add_flag("--no-fusion", options->noFusion,
                     "Run every layer of the graph as exported: nothing fused into the MAC layers' output stages (batch norms "
                     "still fold into the weights); for comparison");
    parser->add_option("--objective", options->objective, "What the mapper minimises (overrides the project): energy, latency or edp")
        ->check(CLI::IsMember({"energy", "latency", "edp"}));
    parser->add_option("--budget", options->budget, "Mapper evaluations per layer (overrides the project)")->check(CLI::Range(1, 10000000));
    return {parser, [options] { return estimate(*options); }};
}

}  // namespace cdx::cli
