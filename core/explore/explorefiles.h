#pragma once

#include "core/explore/designspace.h"
#include "core/explore/searchstrategy.h"
#include "core/util/result.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace cdx {

/// The files of an exploration run directory (README, "Design-space exploration"):
///   points.csv    every evaluated point, one row each, appended and flushed as the run goes:
///                 key, feasible, reason, one column per axis (its value as JSON), one per metric;
///   front.json    the feasible Pareto front ("cdx-front"), the same for a run and for the merge of its shards;
///   summary.json  counts, time and rate of the run ("cdx-explore-summary");
///   run.json      what the run explores (the space's signature, the shard, the strategy), to resume or merge.
namespace explorefiles {

inline constexpr const char* kPoints = "points.csv";
inline constexpr const char* kFront = "front.json";
inline constexpr const char* kSummary = "summary.json";
inline constexpr const char* kRun = "run.json";

std::string pointsHeader(const DesignSpace& space);
/// One CSV row with its newline; numbers with 17 significant digits, so reading them back is exact.
std::string pointRow(const DesignSpace& space, const Evaluation& e);

/// The points of a points.csv written for `space`. A last line without its newline (the run
/// was killed while writing) is dropped and counted in `partialLines`. Errors name the file and line.
Result<std::vector<Evaluation>> readPoints(const DesignSpace& space, const std::string& path, std::size_t* partialLines = nullptr);

/// The "cdx-front" document: objectives, the front's points (settings, metrics, objectives) in
/// genome order, the hypervolume (objectives normalised to [0, 1] over every feasible point,
/// reference 1.1 or the space's own reference) and the knee point.
nlohmann::ordered_json frontJson(const DesignSpace& space, const std::vector<Evaluation>& points, const std::vector<std::size_t>& front);

/// The counts of summary.json: points, feasible, infeasible (with the most common reasons),
/// front size, hypervolume and knee (from `frontDoc`, the frontJson of the same points). The
/// caller adds what the run itself did (time, rate).
nlohmann::ordered_json summaryJson(const DesignSpace& space, const std::vector<Evaluation>& points, const nlohmann::ordered_json& frontDoc);

/// Writes front.json (`frontDoc`) and summary.json into `dir`, each atomically.
std::optional<Error> writeResults(const std::string& dir, const nlohmann::ordered_json& frontDoc, const nlohmann::ordered_json& summary);

/// run.json: {"format": "cdx-explore-run", "signature", "project", "shard": "K/N", "strategy"}.
nlohmann::ordered_json runJson(const DesignSpace& space, const std::string& projectPath, Shard shard);

/// Appends rows to points.csv with one write() per batch, so a killed run leaves whole lines.
class PointsWriter {
public:
    PointsWriter() = default;
    PointsWriter(const PointsWriter&) = delete;
    PointsWriter& operator=(const PointsWriter&) = delete;
    ~PointsWriter();
    /// Opens (creating it with its header, or appending to it) `path`.
    std::optional<Error> open(const std::string& path, const std::string& header);
    /// Appends the text with write(): once it returns, the rows survive the process being killed.
    std::optional<Error> append(const std::string& text);

private:
    int fd_ = -1;
    std::string path_;
};

}  // namespace explorefiles

}  // namespace cdx
