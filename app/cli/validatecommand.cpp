// `cdx validate PROJECT.json [--layer NAME] [--json]`: the RTL check of a design point.
#include "app/cli/command.h"
#include "app/cli/textformat.h"

#include "core/project/project.h"
#include "core/util/jsonwriter.h"
#include "rtlsim/validator.h"

#include <cstdio>
#include <iostream>
#include <memory>

#include <unistd.h>

namespace cdx::cli {

namespace {

struct ValidateCliOptions {
    std::string project;
    std::string layer;
    bool json = false;
    double maxError = 2.0;
    double maxLayerError = -1;
    Dim outputs = 64;
    std::uint64_t seed = 1;
    double backpressure = 0;
    std::string vcd;
};

std::string signedPercent(double pct)
{
    std::string s = pct > 0 ? "+" : "";
    s.append(fixed(pct, 2)).append("%");
    return s;
}

void printValidation(const ValidationReport& r)
{
    std::cout << r.project << "\n"
              << "design:  " << r.templateName << ": " << r.design << "\n"
              << "check:   outputs bit-exact against the golden model; RTL cycles within " << fixed(r.maxCycleErrorPct, 1)
              << "% of the PE-level prediction";
    if (r.maxLayerErrorPct >= 0)
        std::cout << " and within " << fixed(r.maxLayerErrorPct, 1) << "% of the estimator's layer cycles";
    std::cout << "\n\n";
    using Align = TextTable::Align;
    TextTable table({{"workload", Align::Left, 32},
                     {"PE"},
                     {"tile", Align::Left, 40},
                     {"RTL cycles", Align::Right},
                     {"predicted", Align::Right},
                     {"error", Align::Right},
                     {"layer est.", Align::Right},
                     {"vs layer", Align::Right},
                     {"mismatch", Align::Right},
                     {"toggle", Align::Right},
                     {"result"}});
    for (const LayerValidation& v : r.layers) {
        if (v.workload.empty())
            continue;
        if (!v.skipped.empty()) {
            table.addRow({v.workload, "", v.skipped, "", "", "", "", "", "", "", "skipped"});
            continue;
        }
        std::string pe = peModeName(v.pe.mode);
        pe.append(" x").append(std::to_string(v.pe.lanes)).append(" w").append(std::to_string(v.pe.weightBits));
        pe.append(" a").append(std::to_string(v.pe.activationBits));
        if (v.pe.mode == PeMode::BitSerial)
            pe.append(" ").append(std::to_string(v.pe.serialBits)).append("b/cyc");
        table.addRow({v.workload, pe, v.tile, groupDigits(v.rtlCycles), groupDigits(v.predictedCycles), signedPercent(v.cycleErrorPct),
                      v.layerTileCycles > 0 ? groupDigits(static_cast<Dim>(v.layerTileCycles + 0.5)) : "",
                      v.layerTileCycles > 0 ? signedPercent(v.layerErrorPct) : "", std::to_string(v.mismatches), fixed(v.toggleRate, 3),
                      v.passed ? "ok" : "FAILED"});
    }
    std::cout << table.render() << "\n";
    for (const LayerValidation& v : r.layers) {
        if (!v.firstMismatch.empty())
            std::cout << v.workload << ": " << v.firstMismatch << "\n";
        if (!v.countersMatch && v.skipped.empty())
            std::cout << v.workload << ": the RTL's toggle or product counter differs from the golden model's\n";
        if (!v.cycleNote.empty())
            std::cout << v.workload << ": " << v.cycleNote << "\n";
    }
    std::cout << "layer est.: the estimator's cycles for the workload per busy PE of its mapping, scaled to the tile's products "
                 "(includes memory stalls, so it may differ)\n"
              << "toggle: bit flips per multiplier-input bit loaded (the energy model assumes 0.5, random operands)\n"
              << r.validated << " validated, " << r.failed << " failed, " << r.skipped << " skipped; " << groupDigits(static_cast<Dim>(r.simulatedCycles))
              << " cycles simulated in " << fixed(r.seconds, 2) << " s\n"
              << (r.passed() ? "PASSED" : "FAILED") << "\n";
}

int validate(const ValidateCliOptions& options)
{
    auto project = loadProjectFile(options.project);
    if (!project)
        return reportError(project.error());
    auto network = loadProjectNetwork(project.value());
    if (!network)
        return reportError(network.error());
    ValidationOptions v;
    v.layer = options.layer;
    v.maxCycleErrorPct = options.maxError;
    v.maxLayerErrorPct = options.maxLayerError;
    v.maxTileOutputs = options.outputs;
    v.seed = options.seed;
    v.backpressure = options.backpressure;
    v.vcdPath = options.vcd;
    const bool terminal = isatty(fileno(stderr)) != 0;
    if (terminal)
        v.onProgress = [](int done, int total) { std::fprintf(stderr, "\rcdx: validated %d of %d workloads", done, total); };
    auto report = validateProject(project.value(), network.value(), v);
    if (terminal)
        std::fprintf(stderr, "\n");
    if (report)
        std::fprintf(stderr, "cdx: validated %zu workloads in %.2f s\n", report->layers.size(), report->seconds);
    if (!report)
        return reportError(report.error());
    if (options.json)
        std::cout << formatJson(validationReportJson(report.value()), 4);
    else
        printValidation(report.value());
    if (report->validated == 0) {
        std::fprintf(stderr, "cdx: error: %s: no workload could be validated (every one was skipped)\n", options.project.c_str());
        return static_cast<int>(ExitCode::CheckFailed);
    }
    return report->passed() ? 0 : static_cast<int>(ExitCode::CheckFailed);
}

}  // namespace

Command addValidateCommand(CLI::App& app)
{
    auto options = std::make_shared<ValidateCliOptions>();
    auto* parser = app.add_subcommand("validate",
                                      "Cycle-accurate check of a design point: a tile of each MAC layer on the Verilator-built PE "
                                      "(exit 3 on an output mismatch or a cycle error over --max-error)");
    parser->add_option("PROJECT", options->project, "A project .json (see projects/)")->required();
    parser->add_option("--layer", options->layer, "Only this layer (or workload, e.g. lstm.gates)");
    parser->add_flag("--json", options->json, "Machine-readable report on stdout");
    parser->add_option("--max-error", options->maxError, "Largest RTL-vs-prediction cycle error, in percent")
        ->check(CLI::Range(0.0, 1000.0))
        ->capture_default_str();
    parser->add_option("--max-layer-error", options->maxLayerError,
                       "Also fail when the RTL cycles differ from the estimator's layer cycles (per busy PE, scaled to the tile) by more "
                       "than this, in percent (not checked by default: those include memory stalls the PE does not see)")
        ->check(CLI::Range(0.0, 1e6));
    parser->add_option("--outputs", options->outputs, "Outputs per tile (the first ones of the layer)")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    parser->add_option("--seed", options->seed, "Seed of the synthetic activations (and weights without stored values)")->capture_default_str();
    parser->add_option("--backpressure", options->backpressure,
                       "Share of cycles the consumer holds the PE's results (checks outputs under stalls; cycles not compared)")
        ->check(CLI::Range(0.0, 0.95));
    parser->add_option("--vcd", options->vcd, "Write a VCD trace of the run (needs --layer)");
    return {parser, [options] { return validate(*options); }};
}

}  // namespace cdx::cli
