// Measured accuracy with ONNX Runtime on the real MNIST network (projects/mnist_pruned.json, all
// 10,000 test digits, calibrated on the training set): how long it takes, and how well the
// measured per-layer sensitivity table and the analytical proxy predict combinations of layers.
// Prints a Markdown report on stdout, progress on stderr.
//   build/bin/cdx_accuracy_bench           everything
//   build/bin/cdx_accuracy_bench --speed   the speed table only
#include "core/accuracy/projectaccuracy.h"
#include "core/accuracy/sensitivitymeasure.h"
#include "core/compression/compressionanalyzer.h"
#include "core/compression/weightmatrix.h"
#include "core/project/project.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace cdx;

namespace {

constexpr const char* kProject = CDX_PROJECTS_DIR "/mnist_pruned.json";
constexpr int kRuns = 3;
constexpr int kCombinations = 50;
constexpr unsigned kSeed = 2024;

template <typename T>
T orThrow(Result<T> result)
{
    if (!result)
        throw std::runtime_error(result.error().describe());
    return std::move(result).value();
}

/// The 1-minute load average: the machine may be busy with other work while we time.
std::string loadAverage()
{
    std::ifstream in("/proc/loadavg");
    std::string oneMinute;
    in >> oneMinute;
    return oneMinute.empty() ? "?" : oneMinute;
}

struct Timing {
    double wallS = 0;
    double cpuS = 0;  ///< the process's, all threads: near 2 x wall when two threads really run at once
};

template <typename F>
Timing timed(F&& f)
{
    const std::clock_t cpuStart = std::clock();
    const auto start = std::chrono::steady_clock::now();
    f();
    return {std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
            static_cast<double>(std::clock() - cpuStart) / CLOCKS_PER_SEC};
}

template <typename F>
double secondsOf(F&& f)
{
    return timed(std::forward<F>(f)).wallS;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

std::string fixed(double v, int decimals)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, v);
    return buffer;
}

std::shared_ptr<const AccuracySession> openSession(const ProjectAccuracyInputs& in, int threads)
{
    AccuracyOptions options;
    options.threads = threads;
    return orThrow(AccuracySession::open(*in.network, in.modelPath, in.spec, options));
}

// ---- 1. speed ------------------------------------------------------------------------------

/// The float cache (see AccuracySession) lives in $CDX_ACCURACY_CACHE: the bench points it at a
/// folder of its own, emptied before every cold run.
const std::filesystem::path& benchCacheFolder()
{
    static const std::filesystem::path folder = std::filesystem::temp_directory_path() / "cdx_accuracy_bench_cache";
    return folder;
}

void emptyCache()
{
    std::error_code ec;
    std::filesystem::remove_all(benchCacheFolder(), ec);
}

struct SpeedRow {
    int threads = 0;
    bool warm = false;
    Timing open, measureLayers, measurePlain;
    std::string loadBefore, loadAfter;
    double dropPp = 0;
    double floatTop1 = 0;
};

/// Median of kRuns: opening the session (cold: the float network on the calibration and
/// evaluated examples; warm: its results read back from the cache), measuring the project's plan
/// with the per-layer SQNR (what `cdx accuracy` does after opening) and without it (what a
/// sensitivity table or an exploration does per point).
SpeedRow timeProject(const ProjectAccuracyInputs& in, int threads, bool warm)
{
    SpeedRow row;
    row.threads = threads;
    row.warm = warm;
    row.loadBefore = loadAverage();
    emptyCache();
    if (warm)
        (void)openSession(in, threads);  // fills the cache
    std::vector<Timing> open, layers, plain;
    for (int run = 0; run < kRuns; ++run) {
        if (!warm)
            emptyCache();
        std::shared_ptr<const AccuracySession> session;
        open.push_back(timed([&] { session = openSession(in, threads); }));
        layers.push_back(timed([&] { row.dropPp = orThrow(session->measure(in.plan, true)).dropPp; }));
        plain.push_back(timed([&] { (void)orThrow(session->measure(in.plan, false)); }));
        row.floatTop1 = session->floatMetric();
    }
    const auto medianOf = [](const std::vector<Timing>& ts) {
        std::vector<double> wall, cpu;
        for (const Timing& t : ts) {
            wall.push_back(t.wallS);
            cpu.push_back(t.cpuS);
        }
        return Timing{median(wall), median(cpu)};
    };
    row.open = medianOf(open);
    row.measureLayers = medianOf(layers);
    row.measurePlain = medianOf(plain);
    row.loadAfter = loadAverage();
    return row;
}

// ---- 2. the prediction experiment ----------------------------------------------------------

/// A setting for every layer with weights: -1 float, else an index into the ladder.
using Combination = std::vector<int>;

nlohmann::ordered_json floatOperands()
{
    return {{"weights", {{"bits", 32}, {"format", "fp32"}}}, {"activations", {{"bits", 32}, {"format", "fp32"}}}};
}

/// Every layer float but those the combination sets, each by its ladder step's rule, exactly
/// as measureSensitivity sets one layer alone (so the table's rows match the same tokens).
CompressionPlan combinationPlan(const std::vector<std::size_t>& layers, const Combination& c, const std::vector<SensitivityStep>& ladder,
                                const std::string& sensitivityPath)
{
    nlohmann::ordered_json rules = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < layers.size(); ++i) {
        if (c[i] < 0)
            continue;
        nlohmann::ordered_json rule = ladder[static_cast<std::size_t>(c[i])].rule;
        rule["index"] = nlohmann::ordered_json::array({layers[i], layers[i]});
        rules.push_back(std::move(rule));
    }
    nlohmann::ordered_json block = {{"default", floatOperands()}, {"layers", rules}};
    if (!sensitivityPath.empty())
        block["sensitivity"] = sensitivityPath;
    return orThrow(CompressionPlan::fromJson(block, "accuracybench.json"));
}

double measuredDrop(const std::vector<SensitivityRow>& rows, const std::string& layer, const std::string& setting)
{
    const auto row = std::find_if(rows.begin(), rows.end(), [&](const SensitivityRow& r) { return r.layer == layer && r.setting == setting; });
    if (row == rows.end())
        throw std::runtime_error("no sensitivity row for " + layer + " at " + setting);
    return row->dropPp;
}

/// The product rule by hand, from the rows: to check analyzeCompression's table path against.
double tablePrediction(const std::vector<SensitivityRow>& rows, const Network& net, const std::vector<std::size_t>& layers,
                       const Combination& c, const std::vector<SensitivityStep>& ladder)
{
    double retained = 1.0;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        if (c[i] < 0)
            continue;
        const double drop = measuredDrop(rows, net.layers()[layers[i]].name, ladder[static_cast<std::size_t>(c[i])].tokens);
        // As analyzeCompression: a negative measured drop (a few digits of noise) counts as 0.
        retained *= 1.0 - std::clamp(drop, 0.0, 100.0) / 100.0;
    }
    return 100.0 * (1.0 - retained);
}

struct Prediction {
    Combination combination;
    double measuredPp = 0, tablePp = 0, handPp = 0, proxyPp = 0;
};

std::vector<Combination> drawCombinations(std::size_t layers, std::size_t steps)
{
    std::mt19937 rng(kSeed);
    std::vector<Combination> all(kCombinations, Combination(layers));
    // rng() % n rather than uniform_int_distribution, whose output differs between standard
    // libraries: the same seed then draws the same combinations everywhere (the bias is ~1e-9).
    for (Combination& c : all)
        for (int& setting : c)
            setting = static_cast<int>(rng() % (steps + 1)) - 1;
    return all;
}

struct AbsoluteError {
    double mean = 0, worst = 0;
};

AbsoluteError absoluteError(const std::vector<Prediction>& ps, double Prediction::*predicted)
{
    AbsoluteError e;
    for (const Prediction& p : ps) {
        const double error = std::abs(p.*predicted - p.measuredPp);
        e.mean += error / static_cast<double>(ps.size());
        e.worst = std::max(e.worst, error);
    }
    return e;
}

std::string settingName(int step, const std::vector<SensitivityStep>& ladder)
{
    return step < 0 ? "fp32" : ladder[static_cast<std::size_t>(step)].tokens;
}

/// Measures every combination on the session and predicts it from the table at `csvPath` and by the proxy.
std::vector<Prediction> predict(const AccuracySession& session, const Network& net, const std::vector<std::size_t>& layers,
                                const std::vector<SensitivityStep>& ladder, const std::vector<SensitivityRow>& rows,
                                const std::string& csvPath)
{
    std::vector<Prediction> predictions;
    for (const Combination& c : drawCombinations(layers.size(), ladder.size())) {
        Prediction p;
        p.combination = c;
        p.measuredPp = orThrow(session.measure(combinationPlan(layers, c, ladder, {}))).dropPp;
        p.tablePp = orThrow(analyzeCompression(net, combinationPlan(layers, c, ladder, csvPath))).accuracyDrop;
        p.handPp = tablePrediction(rows, net, layers, c, ladder);
        p.proxyPp = orThrow(analyzeCompression(net, combinationPlan(layers, c, ladder, {}))).accuracyDrop;
        predictions.push_back(std::move(p));
    }
    return predictions;
}

void printPredictions(const std::vector<Prediction>& ps, const Network& net, const std::vector<std::size_t>& layers,
                      const std::vector<SensitivityStep>& ladder)
{
    std::cout << "| # |";
    for (std::size_t li : layers)
        std::cout << " " << net.layers()[li].name << " |";
    std::cout << " measured pp | table pp | proxy pp |\n|---|";
    for (std::size_t i = 0; i < layers.size(); ++i)
        std::cout << "---|";
    std::cout << "---:|---:|---:|\n";
    for (std::size_t k = 0; k < ps.size(); ++k) {
        std::cout << "| " << k + 1 << " |";
        for (int step : ps[k].combination)
            std::cout << " " << settingName(step, ladder) << " |";
        std::cout << " " << fixed(ps[k].measuredPp, 2) << " | " << fixed(ps[k].tablePp, 2) << " | " << fixed(ps[k].proxyPp, 2) << " |\n";
    }
}

void printSummary(const std::vector<Prediction>& ps, std::int64_t samples)
{
    const AbsoluteError table = absoluteError(ps, &Prediction::tablePp);
    const AbsoluteError proxy = absoluteError(ps, &Prediction::proxyPp);
    double handDiff = 0;
    std::size_t distinct = 0;
    for (std::size_t k = 0; k < ps.size(); ++k) {
        handDiff = std::max(handDiff, std::abs(ps[k].tablePp - ps[k].handPp));
        bool seen = false;
        for (std::size_t j = 0; j < k; ++j)
            seen = seen || ps[j].combination == ps[k].combination;
        distinct += seen ? 0 : 1;
    }
    std::cout << "\n| prediction | mean abs. error (pp) | worst abs. error (pp) |\n|---|---:|---:|\n"
              << "| measured sensitivity table, product rule | " << fixed(table.mean, 2) << " | " << fixed(table.worst, 2) << " |\n"
              << "| proxy (no table) | " << fixed(proxy.mean, 2) << " | " << fixed(proxy.worst, 2) << " |\n\n"
              << ps.size() << " combinations (" << distinct << " distinct) measured, each on " << samples
              << " test digits (one digit = " << fixed(100.0 / static_cast<double>(samples), 2) << " pp). "
              << "The table prediction is analyzeCompression's accuracyDrop with the plan's \"sensitivity\" set to the "
                 "measured CSV; the same product worked out here from the rows (each layer's drop clamped to [0, 100] as "
                 "analyzeCompression does, so a negative measured drop counts as 0) differs from it by at most "
              << fixed(handDiff, 6) << " pp: fp32 layers have no row and fall to the proxy there, which gives them ~0.\n";
}

// ---- the report ----------------------------------------------------------------------------

void printSensitivityTable(const std::vector<SensitivityRow>& rows, const Network& net, const std::vector<std::size_t>& layers,
                           const std::vector<SensitivityStep>& ladder)
{
    std::cout << "### The measured table (top-1 drop, pp)\n\n| setting |";
    for (std::size_t li : layers)
        std::cout << " " << net.layers()[li].name << " |";
    std::cout << "\n|---|";
    for (std::size_t i = 0; i < layers.size(); ++i)
        std::cout << "---:|";
    std::cout << "\n";
    for (const SensitivityStep& step : ladder) {
        std::cout << "| " << step.tokens << " |";
        for (std::size_t li : layers)
            std::cout << " " << fixed(measuredDrop(rows, net.layers()[li].name, step.tokens), 2) << " |";
        std::cout << "\n";
    }
}

void printSpeed(const std::vector<SpeedRow>& rows, std::int64_t samples, std::int64_t calibration)
{
    std::cout << "## Speed\n\nThe project's plan (mnist_pruned.json's compression) on " << samples << " test digits, calibrated on "
              << calibration << " training digits; wall seconds, median of " << kRuns
              << " runs, with the process's CPU seconds over all threads (load: 1-minute average before / after). "
              << "Cold: no float cache (the float network runs when the session opens); warm: the float network's results "
                 "read back from the cache. Compress + measure is open + measure with the per-layer SQNR, what `cdx accuracy` "
                 "runs; the last column is a measurement without the per-layer SQNR (a sensitivity table's or an exploration's).\n\n"
              << "| threads | float cache | open (s) | measure with layers (s) | compress + measure (s) | measure, no layers (s) | float top-1 (%) | drop (pp) | load |\n"
              << "|---:|---|---:|---:|---:|---:|---:|---:|---|\n";
    const auto seconds = [](double wallS, double cpuS) { return fixed(wallS, 2) + " (CPU " + fixed(cpuS, 2) + ")"; };
    for (const SpeedRow& r : rows)
        std::cout << "| " << r.threads << " | " << (r.warm ? "warm" : "cold") << " | " << seconds(r.open.wallS, r.open.cpuS) << " | "
                  << seconds(r.measureLayers.wallS, r.measureLayers.cpuS) << " | **"
                  << seconds(r.open.wallS + r.measureLayers.wallS, r.open.cpuS + r.measureLayers.cpuS) << "** | "
                  << seconds(r.measurePlain.wallS, r.measurePlain.cpuS) << " | " << fixed(r.floatTop1, 2) << " | " << fixed(r.dropPp, 2)
                  << " | " << r.loadBefore << " / " << r.loadAfter << " |\n";
    std::cout << "\nWith 2 threads, CPU near 2 x wall means both ran at once; CPU near wall means the process had one core's "
                 "worth (a busy machine, or work that does not split).\n";
}

int run(bool speedOnly)
{
    // Before loading anything: the float cache goes to the bench's own folder.
    ::setenv("CDX_ACCURACY_CACHE", benchCacheFolder().c_str(), 1);
    const Project project = orThrow(loadProjectFile(kProject));
    const ProjectAccuracyInputs in = orThrow(projectAccuracyInputs(project));
    const Network& net = *in.network;

    std::cout << "# Measured accuracy: MNIST (projects/mnist_pruned.json)\n\n"
              << std::thread::hardware_concurrency() << " hardware threads; the load is the 1-minute average of /proc/loadavg.\n\n";

    std::cerr << "cdx_accuracy_bench: timing the project's plan\n";
    std::vector<SpeedRow> speed;
    for (int threads : {1, 2})
        for (bool warm : {false, true})
            speed.push_back(timeProject(in, threads, warm));
    if (speedOnly) {
        printSpeed(speed, in.spec.samples, in.spec.calibration);
        emptyCache();
        return 0;
    }

    std::cerr << "cdx_accuracy_bench: measuring the sensitivity table\n";
    const std::vector<SensitivityStep> ladder = defaultSensitivityLadder();
    std::vector<std::size_t> layers;
    for (std::size_t i = 0; i < net.layers().size(); ++i)
        if (hasWeightOperand(net.layers()[i]))
            layers.push_back(i);
    const std::string loadBefore = loadAverage();
    std::shared_ptr<const AccuracySession> session;
    std::vector<SensitivityRow> rows;
    const double openS = secondsOf([&] { session = openSession(in, 2); });
    const double tableS = secondsOf([&] { rows = orThrow(measureSensitivity(*session, net, ladder)); });

    printSpeed(speed, session->samples(), in.spec.calibration);
    std::cout << "\nSensitivity table, 2 threads, one run: " << layers.size() << " layers with weights x " << ladder.size() << " steps = "
              << rows.size() << " measurements in " << fixed(tableS, 2) << " s (" << fixed(tableS / static_cast<double>(rows.size()), 3)
              << " s each), plus " << fixed(openS, 2) << " s to open the session (float cache warm): " << fixed(openS + tableS, 2)
              << " s in all (load " << loadBefore << " / " << loadAverage() << ").\n\n";

    const std::filesystem::path csvPath = std::filesystem::temp_directory_path() / "cdx_accuracy_bench_sensitivity.csv";
    if (!(std::ofstream(csvPath) << sensitivityCsv(rows, "cdx_accuracy_bench: each MNIST layer alone, " +
                                                             std::to_string(session->samples()) + " digits")))
        throw std::runtime_error("cannot write " + csvPath.string());

    printSensitivityTable(rows, net, layers, ladder);

    std::cerr << "cdx_accuracy_bench: measuring " << kCombinations << " combinations\n";
    std::vector<Prediction> predictions;
    const std::string experimentLoad = loadAverage();
    const double experimentS = secondsOf([&] { predictions = predict(*session, net, layers, ladder, rows, csvPath.string()); });

    std::cout << "\n## Prediction experiment\n\n"
              << kCombinations << " random combinations (std::mt19937 seed " << kSeed << "): each of the " << layers.size()
              << " layers with weights independently fp32 or one of the " << ladder.size()
              << " ladder steps; activations fp32. Measured: top-1 drop on " << session->samples()
              << " test digits; table: the product rule over the measured table above; proxy: analyzeCompression without a table. "
              << "Measuring took " << fixed(experimentS, 1) << " s on 2 threads (load " << experimentLoad << " / " << loadAverage() << ").\n\n";
    printPredictions(predictions, net, layers, ladder);
    printSummary(predictions, session->samples());
    emptyCache();
    return 0;
}

}  // namespace

int main(int argc, char** argv)
{
    try {
        return run(argc > 1 && std::string(argv[1]) == "--speed");
    } catch (const std::exception& e) {
        std::cerr << "cdx_accuracy_bench: " << e.what() << "\n";
        return 1;
    }
}
