#pragma once

#include "core/util/result.h"
#include "estimators/templates/loopnestdesign.h"

#include <string>
#include <vector>

namespace cdx {

/// One file of a Timeloop case.
struct TimeloopFile {
    std::string name;  ///< inside the case's folder
    std::string text;
};

/// A mapped workload as the inputs of Timeloop v3 (the v0.4 schema its front end dumps):
/// `arch.yaml`, `problem.yaml`, `cdx.map.yaml`, the energy and area tables `cdx.ERT.yaml` and
/// `cdx.ART.yaml` holding our costs (so Timeloop needs no Accelergy run), and all of them
/// merged in `parsed-processed-input.yaml`, which `cdx timeloop FOLDER` reads back.
/// Fails when the mapping cannot be written in Timeloop's terms (a dimension spread over both
/// X and Y of one fan-out). Sparse acceleration (Sparseloop's SAFs) is not written: the
/// problem's densities are, and `notes` says so.
Result<std::vector<TimeloopFile>> timeloopCaseFiles(const MappedWorkload& mapped, const std::string& problemName,
                                                     std::vector<std::string>& notes);

}  // namespace cdx
