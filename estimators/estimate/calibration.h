#pragma once

#include "core/util/result.h"
#include "estimators/tech/physicalmodel.h"

#include <optional>
#include <string>
#include <vector>

namespace cdx {

/// One published chip of a calibration file (tests/data/silicon/chips.json): its figures, and
/// the project that expresses it (none when no template can, with the reason).
struct PublishedChip {
    std::string chip;
    std::string citation;
    std::string project;          ///< relative to the calibration file's repository root
    std::optional<double> vdd;    ///< the supply the published power was measured at
    double areaMm2 = 0;           ///< 0 unless published and confirmed
    double powerW = 0;            ///< 0 unless published and confirmed
    std::string reason;           ///< why no template expresses it
};

/// Reads a calibration file: a JSON list of chips with "chip", "citation", "project",
/// "area_mm2" / "area_confirmed", "power_mw" / "power_confirmed", "vdd", "expressible_reason".
/// Errors name the file and the entry.
Result<std::vector<PublishedChip>> readPublishedChips(const std::string& path);

/// The chips with a project and a confirmed figure, estimated with the physical model off
/// (the components alone), at the published supply: the points the factors are fitted on.
/// `root`: the folder the projects' paths are relative to.
Result<std::vector<CalibrationChip>> calibrationChips(const std::vector<PublishedChip>& chips, const std::string& root);

/// A chip's published figures, predicted by the factors fitted on every chip and by those
/// fitted without it (leave-one-out).
struct ChipPrediction {
    std::string chip;
    double publishedAreaMm2 = 0, publishedPowerW = 0;
    double componentsAreaMm2 = 0, componentsPowerW = 0;
    PhysicalPrediction fitted;      ///< with the factors fitted on all chips
    PhysicalPrediction leftOut;     ///< with the factors fitted on the others
};

std::vector<ChipPrediction> leaveOneOut(const std::vector<CalibrationChip>& chips, const PhysicalFactors& fixed);

}  // namespace cdx
