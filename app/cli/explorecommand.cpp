// `cdx explore PROJECT.json --out DIR`: searches the project's design space, writing every
// point as it goes, the Pareto front and a summary; resumable and shardable. The run itself is
// core/explore's runExploreDirectory: this file parses options and prints.
#include "app/cli/command.h"
#include "app/cli/textformat.h"

#include "core/explore/designspace.h"
#include "core/explore/explorefiles.h"
#include "core/explore/explorer.h"
#include "core/explore/explorerun.h"
#include "core/project/project.h"
#include "core/util/jsonwriter.h"
#include "estimators/explore/projectevaluator.h"
#include "estimators/explore/spacecheck.h"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

namespace cdx::cli {

namespace {

struct ExploreCliOptions {
    std::string project;
    std::string out;
    std::string shard = "1/1";
    double budgetS = -1;
    std::int64_t maxPoints = -1;
    bool resume = false;
    int threads = 0;
    bool json = false;
};

std::atomic<bool> exploreInterrupted{false};

extern "C" void onExploreSignal(int)
{
    exploreInterrupted.store(true);
}

std::optional<Shard> parseShard(const std::string& text)
{
    const auto slash = text.find('/');
    if (slash == std::string::npos)
        return std::nullopt;
    try {
        std::size_t used = 0;
        Shard s;
        s.index = std::stoi(text.substr(0, slash), &used);
        if (used != slash)
            return std::nullopt;
        const std::string count = text.substr(slash + 1);
        s.count = std::stoi(count, &used);
        if (used != count.size() || s.count < 1 || s.index < 1 || s.index > s.count)
            return std::nullopt;
        return s;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::string durationText(double s)
{
    if (s < 120)
        return fixed(s, 1) + " s";
    if (s < 7200)
        return fixed(s / 60, 1) + " min";
    return fixed(s / 3600, 1) + " h";
}

int explore(const ExploreCliOptions& options)
{
    auto shard = parseShard(options.shard);
    if (!shard)
        return reportError(Error{ExitCode::BadInput, "", "--shard", "\"" + options.shard + "\" is not K/N with 1 <= K <= N"});
    auto project = loadProjectFile(options.project);
    if (!project)
        return reportError(project.error());
    auto network = loadProjectNetwork(project.value());
    if (!network)
        return reportError(network.error());
    if (project->explore.empty())
        return reportError(Error{ExitCode::BadInput, project->filePath, "/explore",
                                 "the project has no design space (an \"explore\" block with \"axes\"; see the README)"});
    auto space = DesignSpace::fromProject(project.value(), network.value());
    if (!space)
        return reportError(space.error());
    // A misspelt parameter or key fails every point: refuse it before the search.
    if (auto error = checkSpaceNames(project.value(), space.value()))
        return reportError(*error);

    namespace fs = std::filesystem;
    std::error_code ec;
    ExploreRunRequest request;
    request.project = &project.value();
    request.network = &network.value();
    request.space = &space.value();
    request.dir = options.out;
    request.projectPath = fs::absolute(options.project, ec).lexically_normal().string();
    request.shard = *shard;
    request.resume = options.resume;
    request.cancelledBy = "interrupt";  // here only a signal cancels
    ExploreOptions& run = request.options;
    run.threads = options.threads;
    run.budgetSeconds = options.budgetS >= 0 ? options.budgetS : space->budgetSeconds();
    run.maxPoints = options.maxPoints >= 0 ? static_cast<std::uint64_t>(options.maxPoints) : space->budgetPoints();
    exploreInterrupted.store(false);
    request.cancel = &exploreInterrupted;  // SIGINT and SIGTERM stop the run between batches
    const bool tty = ::isatty(STDERR_FILENO) != 0;
    run.progressIntervalS = tty ? 0.25 : 5.0;
    run.onProgress = [&](const ExploreProgress& p, const std::vector<const Evaluation*>& front) {
        if (p.finished && !tty)
            return;
        const std::uint64_t done = p.evaluated + p.recovered;
        std::string line = "cdx: explore: " + groupDigits(static_cast<std::int64_t>(done));
        if (p.planned > 0)
            line += " of " + groupDigits(static_cast<std::int64_t>(p.planned));
        line += " points, " + groupDigits(static_cast<std::int64_t>(p.pointsPerS)) + "/s, " + std::to_string(front.size()) + " on the front";
        if (p.planned > done && p.pointsPerS > 0)
            line += ", " + durationText(static_cast<double>(p.planned - done) / p.pointsPerS) + " left";
        if (tty)
            std::cerr << "\r" << line << "\033[K" << (p.finished ? "\n" : "") << std::flush;
        else
            std::cerr << line << "\n";
    };
    const auto makeEvaluator = [&](const Project& ranked) -> std::unique_ptr<RunEvaluator> {
        return std::make_unique<ProjectEvaluator>(ranked, network.value(), space.value());
    };
    const auto status = [](const std::string& line) { std::cerr << "cdx: explore: " << line << "\n"; };
    const auto warning = [](const std::string& line) { reportWarnings({line}); };

    auto previousInt = std::signal(SIGINT, onExploreSignal);
    auto previousTerm = std::signal(SIGTERM, onExploreSignal);
    auto done = runExploreDirectory(std::move(request), makeEvaluator, status, warning);
    std::signal(SIGINT, previousInt);
    std::signal(SIGTERM, previousTerm);
    if (!done)
        return reportError(done.error());
    const ExploreOutcome& outcome = done->outcome;
    const nlohmann::ordered_json& summary = done->summary;
    const std::string& dir = options.out;

    if (options.json) {
        std::cout << formatJson(summary, 2);
    } else {
        std::cout << "explored " << groupDigits(static_cast<std::int64_t>(outcome.points.size())) << " points ("
                  << groupDigits(static_cast<std::int64_t>(outcome.progress.evaluated)) << " estimated: "
                  << groupDigits(summary["full_estimates"].get<std::int64_t>()) << " in full, "
                  << groupDigits(summary["composed_points"].get<std::int64_t>()) << " composed from per-layer results; "
                  << groupDigits(static_cast<std::int64_t>(outcome.progress.recovered)) << " recovered) in "
                  << durationText(outcome.progress.elapsedS) << ", " << groupDigits(static_cast<std::int64_t>(outcome.progress.pointsPerS))
                  << " points/s\n"
                  << "feasible: " << summary["feasible"].get<std::size_t>() << ", front: " << outcome.front.size()
                  << ", hypervolume " << fixed(summary["hypervolume"].get<double>(), 4) << " (normalised)";
        if (!summary["knee"].is_null())
            std::cout << ", knee " << summary["knee"].get<std::string>();
        std::cout << "\n";
        if (!outcome.complete)
            std::cout << "stopped by the " << done->stoppedBy << ": --resume continues\n";
        std::cout << "wrote " << dir << "/{" << explorefiles::kPoints << "," << explorefiles::kFront << "," << explorefiles::kSummary << ","
                  << explorefiles::kRun << "}\n";
    }
    return 0;
}

}  // namespace

Command addExploreCommand(CLI::App& app)
{
    auto options = std::make_shared<ExploreCliOptions>();
    auto* parser = app.add_subcommand("explore", "Searches the project's design space (its \"explore\" block): every point, the Pareto front");
    parser->add_option("PROJECT", options->project, "A project .json with an \"explore\" block")->required();
    parser->add_option("--out", options->out, "Directory for points.csv, front.json, summary.json and run.json")->required();
    parser->add_option("--shard", options->shard, "Evaluate part K of N (grid and random: every N-th point; NSGA-II: island K)");
    parser->add_option("--budget-s", options->budgetS, "Stop after this many seconds (overrides the project's budget; 0: none)")
        ->check(CLI::Range(0.0, 1e9));
    parser->add_option("--max-points", options->maxPoints, "Stop after estimating this many points (overrides the project's; 0: none)")
        ->check(CLI::Range(std::int64_t{0}, std::int64_t{1} << 62));
    parser->add_flag("--resume", options->resume, "Continue the interrupted run in --out: its points are not estimated again");
    parser->add_option("--threads", options->threads, "Threads (default: every core)")->check(CLI::Range(1, 1024));
    parser->add_flag("--json", options->json, "The summary as JSON on stdout");
    return {parser, [options] { return explore(*options); }};
}

}  // namespace cdx::cli
