// `cdx explore PROJECT.json --out DIR`: searches the project's design space, writing every
// point as it goes, the Pareto front and a summary; resumable and shardable.
#include "app/cli/command.h"
#include "app/cli/textformat.h"

#include "core/accuracy/exploreaccuracy.h"
#include "core/explore/designspace.h"
#include "core/explore/explorefiles.h"
#include "core/explore/explorer.h"
#include "core/project/project.h"
#include "core/util/fileio.h"
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

/// Reads run.json of an earlier run in `dir` and checks that it is the same search.
std::optional<Error> checkResumable(const std::string& dir, const DesignSpace& space, const Shard& shard)
{
    const std::string path = dir + "/" + explorefiles::kRun;
    auto text = readTextFile(path);
    if (!text)
        return Error{ExitCode::BadInput, path, "", "--resume needs the run.json of the run to continue: " + text.error().message};
    nlohmann::json run;
    try {
        run = nlohmann::json::parse(text.value());
    } catch (const nlohmann::json::exception& e) {
        return Error{ExitCode::BadInput, path, "", std::string("not JSON: ") + e.what()};
    }
    if (!run.is_object() || run.value("format", "") != "cdx-explore-run")
        return Error{ExitCode::BadInput, path, "/format", "not the run.json of a cdx explore run"};
    if (run.value("signature", "") != space.signature())
        return Error{ExitCode::BadInput, path, "/signature",
                     "the project or its design space changed since this run started (only the budget may change): start a new run in "
                     "another directory"};
    const std::string want = std::to_string(shard.index) + "/" + std::to_string(shard.count);
    if (run.value("shard", "") != want)
        return Error{ExitCode::BadInput, path, "/shard", "this directory holds shard " + run.value("shard", "?") + ", not " + want};
    return std::nullopt;
}

/// Runs every front point of a project with data and marks its measured accuracy in front.json.
std::optional<Error> measureFrontAccuracy(const Project& project, const DesignSpace& space, const ExploreOutcome& outcome,
                                          nlohmann::ordered_json& frontDoc)
{
    if (!ExploreAccuracy::applies(project) || outcome.front.empty())
        return std::nullopt;
    std::cerr << "cdx: explore: measuring the accuracy of the " << outcome.front.size() << " front points\n";
    auto measured = ExploreAccuracy::measureFront(project, space, outcome.points, outcome.front);
    if (!measured)
        return measured.error();
    auto& list = frontDoc["points"];
    for (std::size_t i = 0; i < measured->size() && i < list.size(); ++i) {
        const auto& m = measured.value()[i];
        list[i]["metrics"]["accuracy_drop_pp"] = m.measuredDropPp;
        list[i]["accuracy"] = {{"source", "measured"}, {"drop_pp", m.measuredDropPp}, {"estimated_drop_pp", m.estimatedDropPp}};
    }
    frontDoc["accuracy"] = {{"ranked_with", project.compression.value("sensitivity", std::string())}, {"front", "measured"}};
    return std::nullopt;
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
    const std::string dir = options.out;
    const std::string pointsPath = dir + "/" + explorefiles::kPoints;
    std::error_code ec;
    std::vector<Evaluation> recovered;
    if (fs::exists(pointsPath, ec)) {
        if (!options.resume)
            return reportError(Error{ExitCode::BadInput, dir, "",
                                     "holds the points of a run already: --resume continues it, or choose another --out"});
        if (auto error = checkResumable(dir, space.value(), *shard))
            return reportError(*error);
        std::size_t partial = 0;
        auto points = explorefiles::readPoints(space.value(), pointsPath, &partial);
        if (!points)
            return reportError(points.error());
        recovered = std::move(points.value());
        if (partial > 0)
            reportWarnings({pointsPath + ": dropped a partial last line (the run was killed while writing it); that point is estimated again"});
        std::cerr << "cdx: explore: resuming with " << recovered.size() << " points from " << pointsPath << "\n";
    } else {
        fs::create_directories(dir, ec);
        if (ec)
            return reportError(Error{ExitCode::BadInput, dir, "", "cannot create the output directory: " + ec.message()});
    }
    const std::string projectPath = fs::absolute(options.project, ec).lexically_normal().string();
    if (auto error = writeFileAtomically(dir + "/" + explorefiles::kRun, formatJson(explorefiles::runJson(space.value(), projectPath, *shard))))
        return reportError(*error);

    explorefiles::PointsWriter writer;
    if (auto error = writer.open(pointsPath, explorefiles::pointsHeader(space.value())))
        return reportError(*error);

    // With data to measure on, points are ranked with the layers' measured sensitivity.
    auto ranked = ExploreAccuracy::withMeasuredSensitivity(project.value(), network.value(), space.value(), dir + "/sensitivity.csv",
                                                           [tenth = -1](double share) mutable {
                                                               if (static_cast<int>(share * 10) != tenth) {
                                                                   tenth = static_cast<int>(share * 10);
                                                                   std::cerr << "cdx: explore: measuring the layers' sensitivity "
                                                                             << tenth * 10 << " %\n";
                                                               }
                                                               return !exploreInterrupted.load();
                                                           });
    if (!ranked)
        return reportError(ranked.error());
    if (ExploreAccuracy::applies(project.value()))
        std::cerr << "cdx: explore: accuracy from the measured sensitivity table " << ranked->compression.value("sensitivity", std::string()) << "\n";
    ProjectEvaluator evaluator(ranked.value(), network.value(), space.value());
    auto search = makeSearchStrategy(space.value(), *shard);

    ExploreOptions run;
    run.threads = options.threads;
    run.budgetSeconds = options.budgetS >= 0 ? options.budgetS : space->budgetSeconds();
    run.maxPoints = options.maxPoints >= 0 ? static_cast<std::uint64_t>(options.maxPoints) : space->budgetPoints();
    run.recovered = std::move(recovered);
    std::optional<Error> writeError;
    exploreInterrupted.store(false);
    run.cancel = &exploreInterrupted;  // SIGINT, SIGTERM or a failed write stop the run between batches
    run.onEvaluated = [&](const std::vector<const Evaluation*>& batch) {
        std::string rows;
        for (const Evaluation* e : batch)
            rows += explorefiles::pointRow(space.value(), *e);
        if (auto error = writer.append(rows)) {
            writeError = error;
            exploreInterrupted.store(true);
        }
    };
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

    std::cerr << "cdx: explore: " << search->describe() << " over " << space->axes().size() << " axes ("
              << (evaluator.composes() ? "points whose per-layer parts are known are composed from them"
                                       : "every point estimated in full: " + evaluator.whyNotComposed())
              << ")\n";
    auto previousInt = std::signal(SIGINT, onExploreSignal);
    auto previousTerm = std::signal(SIGTERM, onExploreSignal);
    ExploreOutcome outcome = cdx::explore(space.value(), *search, evaluator, std::move(run));
    std::signal(SIGINT, previousInt);
    std::signal(SIGTERM, previousTerm);
    if (writeError)
        return reportError(*writeError);
    // summary.json and the text say "interrupt" for a cancelled run: here only a signal cancels.
    const std::string stoppedBy = outcome.stoppedBy == StopReason::Cancelled ? "interrupt" : stopReasonName(outcome.stoppedBy);

    nlohmann::ordered_json frontDoc = explorefiles::frontJson(space.value(), outcome.points, outcome.front);
    if (auto error = measureFrontAccuracy(ranked.value(), space.value(), outcome, frontDoc))
        return reportError(*error);
    nlohmann::ordered_json summary = explorefiles::summaryJson(space.value(), outcome.points, frontDoc);
    summary["project"] = projectPath;
    summary["shard"] = options.shard;
    summary["strategy"] = search->describe();
    summary["planned"] = outcome.progress.planned;
    summary["estimated"] = outcome.progress.evaluated;
    summary["recovered"] = outcome.progress.recovered;
    summary["complete"] = outcome.complete;
    summary["stopped_by"] = stoppedBy;
    summary["seconds"] = outcome.progress.elapsedS;
    summary["points_per_s"] = outcome.progress.pointsPerS;
    summary["composed"] = evaluator.composes();
    summary["composed_points"] = evaluator.composedPoints();
    summary["full_estimates"] = evaluator.fullEstimates();
    if (auto error = explorefiles::writeResults(dir, frontDoc, summary))
        return reportError(*error);

    if (options.json) {
        std::cout << formatJson(summary, 2);
    } else {
        std::cout << "explored " << groupDigits(static_cast<std::int64_t>(outcome.points.size())) << " points ("
                  << groupDigits(static_cast<std::int64_t>(outcome.progress.evaluated)) << " estimated: "
                  << groupDigits(static_cast<std::int64_t>(evaluator.fullEstimates())) << " in full, "
                  << groupDigits(static_cast<std::int64_t>(evaluator.composedPoints())) << " composed from per-layer results; "
                  << groupDigits(static_cast<std::int64_t>(outcome.progress.recovered)) << " recovered) in "
                  << durationText(outcome.progress.elapsedS) << ", " << groupDigits(static_cast<std::int64_t>(outcome.progress.pointsPerS))
                  << " points/s\n"
                  << "feasible: " << summary["feasible"].get<std::size_t>() << ", front: " << outcome.front.size()
                  << ", hypervolume " << fixed(summary["hypervolume"].get<double>(), 4) << " (normalised)";
        if (!summary["knee"].is_null())
            std::cout << ", knee " << summary["knee"].get<std::string>();
        std::cout << "\n";
        if (!outcome.complete)
            std::cout << "stopped by the " << stoppedBy << ": --resume continues\n";
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
