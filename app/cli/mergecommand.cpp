// `cdx merge DIR... --out DIR`: combines the runs of one design space (the shards of a search)
// into one set of points and one Pareto front, the same files a single run writes.
#include "app/cli/command.h"
#include "app/cli/textformat.h"

#include "core/explore/designspace.h"
#include "core/explore/explorefiles.h"
#include "core/explore/explorer.h"
#include "core/project/project.h"
#include "core/util/fileio.h"
#include "core/util/jsonwriter.h"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <unordered_set>

namespace cdx::cli {

namespace {

struct MergeCliOptions {
    std::vector<std::string> dirs;
    std::string out;
    std::string project;
    bool json = false;
};

struct RunInfo {
    std::string signature;
    std::string project;
    std::string shard;
};

Result<RunInfo> readRunInfo(const std::string& dir)
{
    const std::string path = dir + "/" + explorefiles::kRun;
    auto text = readTextFile(path);
    if (!text)
        return text.error();
    try {
        const nlohmann::json run = nlohmann::json::parse(text.value());
        if (!run.is_object() || run.value("format", "") != "cdx-explore-run")
            return Error{ExitCode::BadInput, path, "/format", "not the run.json of a cdx explore run"};
        return RunInfo{run.value("signature", ""), run.value("project", ""), run.value("shard", "")};
    } catch (const nlohmann::json::exception& e) {
        return Error{ExitCode::BadInput, path, "", std::string("not JSON: ") + e.what()};
    }
}

int merge(const MergeCliOptions& options)
{
    std::vector<RunInfo> runs;
    for (const std::string& dir : options.dirs) {
        auto info = readRunInfo(dir);
        if (!info)
            return reportError(info.error());
        if (!runs.empty() && info->signature != runs.front().signature)
            return reportError(Error{ExitCode::BadInput, dir + "/" + explorefiles::kRun, "/signature",
                                     "explores another project or design space than " + options.dirs.front()});
        runs.push_back(info.value());
    }
    const std::string projectPath = options.project.empty() ? runs.front().project : options.project;
    auto project = loadProjectFile(projectPath);
    if (!project)
        return reportError(project.error());
    auto network = loadProjectNetwork(project.value());
    if (!network)
        return reportError(network.error());
    auto space = DesignSpace::fromProject(project.value(), network.value());
    if (!space)
        return reportError(space.error());
    if (space->signature() != runs.front().signature)
        return reportError(Error{ExitCode::BadInput, projectPath, "/explore",
                                 "the project changed since the runs were made (its signature is " + space->signature() + ", the runs' " +
                                     runs.front().signature + ")"});

    std::vector<Evaluation> points;
    std::unordered_set<std::string> seen;
    std::size_t duplicates = 0;
    for (const std::string& dir : options.dirs) {
        auto read = explorefiles::readPoints(space.value(), dir + "/" + explorefiles::kPoints);
        if (!read)
            return reportError(read.error());
        for (Evaluation& e : read.value()) {
            if (seen.insert(e.key).second)
                points.push_back(std::move(e));
            else
                ++duplicates;
        }
    }
    std::sort(points.begin(), points.end(), [](const Evaluation& a, const Evaluation& b) { return a.genome < b.genome; });
    const std::vector<std::size_t> front = feasibleFront(points);

    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(options.out, ec);
    if (ec)
        return reportError(Error{ExitCode::BadInput, options.out, "", "cannot create the output directory: " + ec.message()});
    std::string csv = explorefiles::pointsHeader(space.value());
    for (const Evaluation& e : points)
        csv += explorefiles::pointRow(space.value(), e);
    if (auto error = writeFileAtomically(options.out + "/" + explorefiles::kPoints, csv))
        return reportError(*error);
    nlohmann::ordered_json run = explorefiles::runJson(space.value(), runs.front().project, Shard{});
    run["shard"] = "merged";
    if (auto error = writeFileAtomically(options.out + "/" + explorefiles::kRun, formatJson(run)))
        return reportError(*error);
    const nlohmann::ordered_json frontDoc = explorefiles::frontJson(space.value(), points, front);
    nlohmann::ordered_json summary = explorefiles::summaryJson(space.value(), points, frontDoc);
    summary["project"] = runs.front().project;
    auto& merged = summary["merged"] = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < runs.size(); ++i)
        merged.push_back({{"dir", options.dirs[i]}, {"shard", runs[i].shard}});
    summary["duplicates"] = duplicates;
    if (auto error = explorefiles::writeResults(options.out, frontDoc, summary))
        return reportError(*error);
    if (options.json) {
        std::cout << formatJson(summary, 2);
    } else {
        std::cout << "merged " << runs.size() << " runs: " << groupDigits(static_cast<std::int64_t>(points.size())) << " points"
                  << (duplicates ? " (" + std::to_string(duplicates) + " seen twice)" : "") << ", "
                  << summary["feasible"].get<std::size_t>() << " feasible, front " << front.size() << ", hypervolume "
                  << fixed(summary["hypervolume"].get<double>(), 4) << "\n"
                  << "wrote " << options.out << "/{" << explorefiles::kPoints << "," << explorefiles::kFront << "," << explorefiles::kSummary
                  << "," << explorefiles::kRun << "}\n";
    }
    return 0;
}

}  // namespace

Command addMergeCommand(CLI::App& app)
{
    auto options = std::make_shared<MergeCliOptions>();
    auto* parser = app.add_subcommand("merge", "Combines the runs (shards) of one design space into one set of points and one Pareto front");
    parser->add_option("DIRS", options->dirs, "Output directories of cdx explore")->required();
    parser->add_option("--out", options->out, "Directory for the merged points.csv, front.json, summary.json and run.json")->required();
    parser->add_option("--project", options->project, "The project, if it moved since the runs (default: the path in run.json)");
    parser->add_flag("--json", options->json, "The summary as JSON on stdout");
    return {parser, [options] { return merge(*options); }};
}

}  // namespace cdx::cli
