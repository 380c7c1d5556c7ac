// runExploreDirectory: a design-space search run into a directory, resumable and shardable.
#include "core/explore/explorerun.h"

#include "core/accuracy/exploreaccuracy.h"
#include "core/explore/explorefiles.h"
#include "core/util/fileio.h"
#include "core/util/jsonwriter.h"

#include <atomic>
#include <filesystem>

namespace cdx {

namespace {

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

/// The points of the run to resume, or a new, empty run directory.
Result<std::vector<Evaluation>> prepareDirectory(const ExploreRunRequest& request, const std::function<void(const std::string&)>& status,
                                                 const std::function<void(const std::string&)>& warning)
{
    namespace fs = std::filesystem;
    const std::string pointsPath = request.dir + "/" + explorefiles::kPoints;
    std::error_code ec;
    if (!fs::exists(pointsPath, ec)) {
        fs::create_directories(request.dir, ec);
        if (ec)
            return Error{ExitCode::BadInput, request.dir, "", "cannot create the output directory: " + ec.message()};
        return std::vector<Evaluation>{};
    }
    if (!request.resume)
        return Error{ExitCode::BadInput, request.dir, "", "holds the points of a run already: --resume continues it, or choose another --out"};
    if (auto error = checkResumable(request.dir, *request.space, request.shard))
        return *error;
    std::size_t partial = 0;
    auto points = explorefiles::readPoints(*request.space, pointsPath, &partial);
    if (!points)
        return points.error();
    if (partial > 0)
        warning(pointsPath + ": dropped a partial last line (the run was killed while writing it); that point is estimated again");
    status("resuming with " + std::to_string(points->size()) + " points from " + pointsPath);
    return points;
}

/// Runs every front point of a project with data and marks its measured accuracy in front.json.
std::optional<Error> measureFrontAccuracy(const Project& project, const DesignSpace& space, const ExploreOutcome& outcome,
                                          nlohmann::ordered_json& frontDoc, const std::function<void(const std::string&)>& status)
{
    if (!ExploreAccuracy::applies(project) || outcome.front.empty())
        return std::nullopt;
    status("measuring the accuracy of the " + std::to_string(outcome.front.size()) + " front points");
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

}  // namespace

Result<ExploreRunResult> runExploreDirectory(ExploreRunRequest request, const RunEvaluatorFactory& makeEvaluator,
                                             const std::function<void(const std::string&)>& status,
                                             const std::function<void(const std::string&)>& warning)
{
    const DesignSpace& space = *request.space;
    auto recovered = prepareDirectory(request, status, warning);
    if (!recovered)
        return recovered.error();
    if (auto error = writeFileAtomically(request.dir + "/" + explorefiles::kRun,
                                         formatJson(explorefiles::runJson(space, request.projectPath, request.shard))))
        return *error;
    const std::string pointsPath = request.dir + "/" + explorefiles::kPoints;
    explorefiles::PointsWriter writer;
    if (auto error = writer.open(pointsPath, explorefiles::pointsHeader(space)))
        return *error;

    // The caller's cancel, or a failed write, stops the run between batches.
    std::atomic<bool> ownCancel{false};
    std::atomic<bool>& cancel = request.cancel != nullptr ? *request.cancel : ownCancel;

    // With data to measure on, points are ranked with the layers' measured sensitivity.
    auto ranked = ExploreAccuracy::withMeasuredSensitivity(*request.project, *request.network, space, request.dir + "/sensitivity.csv",
                                                           [&, tenth = -1](double share) mutable {
                                                               if (static_cast<int>(share * 10) != tenth) {
                                                                   tenth = static_cast<int>(share * 10);
                                                                   status("measuring the layers' sensitivity " + std::to_string(tenth * 10) + " %");
                                                               }
                                                               return !cancel.load();
                                                           });
    if (!ranked)
        return ranked.error();
    if (ExploreAccuracy::applies(*request.project))
        status("accuracy from the measured sensitivity table " + ranked->compression.value("sensitivity", std::string()));
    std::unique_ptr<RunEvaluator> evaluator = makeEvaluator(ranked.value());
    auto search = makeSearchStrategy(space, request.shard);

    ExploreOptions run = std::move(request.options);
    run.recovered = std::move(recovered.value());
    std::optional<Error> writeError;
    run.onEvaluated = [&](const std::vector<const Evaluation*>& batch) {
        std::string rows;
        for (const Evaluation* e : batch)
            rows += explorefiles::pointRow(space, *e);
        if (auto error = writer.append(rows)) {
            writeError = error;
            cancel.store(true);
        }
    };
    run.cancel = &cancel;

    status(search->describe() + " over " + std::to_string(space.axes().size()) + " axes (" + evaluator->describe() + ")");
    ExploreOutcome outcome = explore(space, *search, *evaluator, std::move(run));
    if (writeError)
        return *writeError;

    ExploreRunResult result;
    result.stoppedBy = outcome.stoppedBy == StopReason::Cancelled ? request.cancelledBy : stopReasonName(outcome.stoppedBy);
    nlohmann::ordered_json frontDoc = explorefiles::frontJson(space, outcome.points, outcome.front);
    if (auto error = measureFrontAccuracy(ranked.value(), space, outcome, frontDoc, status))
        return *error;
    nlohmann::ordered_json summary = explorefiles::summaryJson(space, outcome.points, frontDoc);
    summary["project"] = request.projectPath;
    summary["shard"] = std::to_string(request.shard.index) + "/" + std::to_string(request.shard.count);
    summary["strategy"] = search->describe();
    summary["planned"] = outcome.progress.planned;
    summary["estimated"] = outcome.progress.evaluated;
    summary["recovered"] = outcome.progress.recovered;
    summary["complete"] = outcome.complete;
    summary["stopped_by"] = result.stoppedBy;
    summary["seconds"] = outcome.progress.elapsedS;
    summary["points_per_s"] = outcome.progress.pointsPerS;
    const nlohmann::ordered_json counts = evaluator->counts();  // kept alive: items() refers to it
    for (const auto& [key, value] : counts.items())
        summary[key] = value;
    if (auto error = explorefiles::writeResults(request.dir, frontDoc, summary))
        return *error;
    result.outcome = std::move(outcome);
    result.summary = std::move(summary);
    return result;
}

}  // namespace cdx
