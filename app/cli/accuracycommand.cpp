// `cdx accuracy PROJECT.json`: the compressed network run on the project's data.
#include "app/cli/command.h"
#include "app/cli/textformat.h"

#include "core/accuracy/projectaccuracy.h"
#include "core/accuracy/sensitivitymeasure.h"
#include "core/util/fileio.h"
#include "core/util/jsonwriter.h"

#include <cmath>
#include <iostream>
#include <memory>

namespace cdx::cli {

namespace {

struct AccuracyCliOptions {
    std::string project;
    std::int64_t samples = 0;
    int threads = 0;
    bool json = false;
    bool sensitivity = false;
    std::string out;
};

std::string decibels(double db)
{
    return std::isfinite(db) ? fixed(db, 1) : "exact";
}

void printText(const AccuracyReport& r)
{
    std::cout << r.model << " on " << r.dataset << "\n"
              << r.samples << " examples evaluated, " << r.calibrationSamples << " calibrated on (disjoint), "
              << r.replacedTensors << " weight tensors compressed, " << r.runtime << "\n\n";
    if (r.labelled)
        std::cout << "top-1:      " << fixed(r.floatTop1, 2) << " % float -> " << fixed(r.compressedTop1, 2) << " % compressed ("
                  << fixed(r.floatTop1 - r.compressedTop1, 2) << " pp lost)\n"
                  << "top-5:      " << fixed(r.floatTop5, 2) << " % float -> " << fixed(r.compressedTop5, 2) << " % compressed\n";
    std::cout << "agreement:  " << fixed(r.agreement, 2) << " % of examples keep the float network's top-1 class\n"
              << "output:     " << decibels(r.outputSqnrDb) << " dB SQNR against the float network\n";
    if (!r.layers.empty()) {
        using Align = TextTable::Align;
        TextTable table({{"layer", Align::Left, 40}, {"output SQNR dB", Align::Right}, {"calibrated range", Align::Right},
                         {"activation quantiser", Align::Left, 40}});
        for (const auto& l : r.layers)
            table.addRow({l.layer, decibels(l.sqnrDb), "[" + fixed(l.calibratedMin, 3) + ", " + fixed(l.calibratedMax, 3) + "]", l.quantizer});
        std::cout << "\nwhere the loss comes from (each layer's output, compressed against float";
        if (r.layerSqnrSamples < r.samples)
            std::cout << ", over " << r.layerSqnrSamples << " evenly spaced examples";
        std::cout << "):\n" << table.render();
    }
    if (!r.accumulators.empty()) {
        using Align = TextTable::Align;
        TextTable table({{"layer", Align::Left, 40}, {"largest sum (codes)", Align::Right}, {"needs", Align::Right},
                         {"+ margin", Align::Right}, {"accumulator", Align::Right}, {"exact bound", Align::Right}});
        for (const auto& a : r.accumulators)
            table.addRow({a.layer, fixed(a.maxAbs, 0), std::to_string(a.bits), std::to_string(a.marginBits),
                          std::to_string(std::min(64, a.bits + a.marginBits)) + " bits", std::to_string(a.exactBits)});
        std::cout << "\naccumulators (\"bits\": \"auto\"; every example's largest sum, signed):\n" << table.render();
    }
    std::cout << "\ntime:       " << fixed(r.seconds, 2) << " s\n";
}

/// Prints "measuring ... 40 %" on stderr, a line per tenth.
std::function<bool(double)> progressPrinter(const std::string& what)
{
    auto last = std::make_shared<int>(-1);
    return [what, last](double share) {
        const int tenth = static_cast<int>(share * 10);
        if (tenth != *last) {
            *last = tenth;
            std::cerr << "cdx: " << what << " " << tenth * 10 << " %\n";
        }
        return true;
    };
}

int sensitivity(const Project& project, const AccuracyCliOptions& options)
{
    auto in = projectAccuracyInputs(project);
    if (!in)
        return reportError(in.error());
    AccuracyOptions run;
    run.samples = options.samples;
    run.threads = options.threads;
    auto session = AccuracySession::open(*in->network, in->modelPath, in->spec, run);
    if (!session)
        return reportError(session.error());
    auto rows = measureSensitivity(*session.value(), *in->network, defaultSensitivityLadder(), progressPrinter("measuring sensitivity"));
    if (!rows)
        return reportError(rows.error());
    const std::string csv = sensitivityCsv(rows.value(), "measured by cdx accuracy --sensitivity: each layer alone, " +
                                                             std::to_string(session.value()->samples()) + " examples, " +
                                                             accuracyMetricName(in->spec.metric) + " " +
                                                             fixed(session.value()->floatMetric(), 2) + " float");
    if (options.out.empty()) {
        std::cout << csv;
        return 0;
    }
    if (auto error = writeFileAtomically(options.out, csv))
        return reportError(*error);
    std::cerr << "cdx: wrote " << rows->size() << " rows to " << options.out << "\n";
    return 0;
}

int accuracy(const AccuracyCliOptions& options)
{
    auto project = loadProjectFile(options.project);
    if (!project)
        return reportError(project.error());
    if (options.sensitivity)
        return sensitivity(project.value(), options);
    AccuracyOptions run;
    run.samples = options.samples;
    run.threads = options.threads;
    auto report = measureProjectAccuracy(project.value(), run);
    if (!report)
        return reportError(report.error());
    if (options.json)
        std::cout << formatJson(accuracyReportJson(report.value()), 3);
    else
        printText(report.value());
    return 0;
}

}  // namespace

Command addAccuracyCommand(CLI::App& app)
{
    auto options = std::make_shared<AccuracyCliOptions>();
    auto* parser = app.add_subcommand(
        "accuracy", "Runs the float and the compressed network on the project's data with ONNX Runtime: metric, agreement, SQNR per layer");
    parser->add_option("PROJECT", options->project, "A project .json with an \"accuracy\" block and an ONNX network")->required();
    parser->add_option("--samples", options->samples, "Examples to evaluate (overrides the project's \"samples\")")->check(CLI::Range(1, 100'000'000));
    parser->add_option("--threads", options->threads, "Threads (default: one per core)")->check(CLI::Range(1, 256));
    parser->add_flag("--json", options->json, "Machine-readable report (\"cdx-accuracy\") on stdout");
    parser->add_flag("--sensitivity", options->sensitivity,
                     "Measure each layer alone at int 8..2 bits and densities 0.75..0.1; write a sensitivity table (CSV)");
    parser->add_option("--out", options->out, "With --sensitivity: the CSV file to write (default: stdout)");
    return {parser, [options] { return accuracy(*options); }};
}

}  // namespace cdx::cli
