#pragma once

#include <map>
#include <optional>
#include <string>

namespace cdx::test {

/// The numbers of a Timeloop stats.txt: per level (by name), per data space (by name), the
/// printed fields as text-to-number, plus the level-wide fields and the summary.
struct TimeloopStats {
    struct Level {
        std::map<std::string, double> fields;                             ///< "Cycles", "Leakage energy (total)", ...
        std::map<std::string, std::map<std::string, double>> dataSpaces;  ///< "Weights" -> "Scalar reads (per-instance)" -> 48
    };
    std::map<std::string, Level> levels;
    std::map<std::string, double> summary;   ///< "Cycles", "Utilization", "Computes"
    std::map<std::string, double> fjPerCompute;  ///< level name or "Total" -> fJ
};

std::optional<TimeloopStats> readTimeloopStats(const std::string& path);

}  // namespace cdx::test
