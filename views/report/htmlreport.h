#pragma once

// The HTML report of a design point (cdx report, and File > Export > Report in the studio):
// one self-contained page with the totals, the breakdown charts as SVG data URIs, the layer
// table, the explored front and every warning.

#include "core/explore/searchstrategy.h"
#include "core/util/result.h"
#include "estimators/results/networkresult.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cdx {

class ChartView;
class DesignSpace;

/// Explored design points: a run read back or a search just done.
struct ExploredPoints {
    std::shared_ptr<const DesignSpace> space;
    std::vector<Evaluation> points;
    std::vector<std::size_t> front;  ///< indices into points: the feasible non-dominated ones
    std::string origin;              ///< "the run in runs/lenet", "explored now (grid of 432 points)"
};

struct ReportInput {
    const NetworkResult& result;
    std::string source;                       ///< the project or result file, for the header
    const ExploredPoints* explored = nullptr; ///< null: the page says the space was not explored
    bool hasExploreBlock = false;             ///< whether the project has a design space at all
};

/// The per-result charts by kind: "breakdown", "latency", "area", "roofline"; null otherwise.
std::unique_ptr<ChartView> resultChart(const std::string& kind);

/// The page. Needs a QApplication (the charts are drawn by Qt Charts).
Result<std::string> htmlReport(const ReportInput& input);
/// Writes the page to `path` atomically; an unwritable path is bad input naming it.
std::optional<Error> writeHtmlReport(const ReportInput& input, const std::string& path);

}  // namespace cdx
