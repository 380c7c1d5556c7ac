#pragma once

#include "core/util/result.h"
#include "estimators/engine/architecture.h"
#include "estimators/engine/enginestats.h"
#include "estimators/engine/nestanalysis.h"
#include "estimators/engine/mapping.h"
#include "estimators/engine/problem.h"
#include "estimators/mapper/mappingconstraints.h"

#include <map>
#include <string>
#include <vector>

namespace cdx {

/// What the architecture description says about a component, beyond what the engine uses:
/// the attributes Accelergy turns into energies, which our own technology model reads instead.
struct TimeloopComponent {
    std::string name;        ///< as in the engine's architecture ("shared_glb")
    std::string className;   ///< "smartbuffer_SRAM", "DRAM", "intmac", "storage", ...
    std::string subclass;    ///< "aladdin_register", ...
    std::string technology;  ///< "45nm"; empty if unset
    std::string dramType;    ///< "LPDDR4" for DRAM
    std::string file;        ///< where it is described: parsed-processed-input.yaml
    std::string path;        ///< and the key path there: /architecture/subtree/0/local/3 ("shared_glb")
    double depth = 0;        ///< entries (blocks) per instance
    double widthBits = 0;    ///< bits per entry
    double wordBits = 0;     ///< datawidth
    double multiplierWidth = 0;
    double adderWidth = 0;
    bool compute = false;
};

/// A Timeloop case: problem, architecture, the mapping to evaluate, and the energy and area
/// tables (ERT, ART) Accelergy made for it, as read from a Timeloop output folder.
struct TimeloopCase {
    std::string folder;
    std::string inputFile;    ///< parsed-processed-input.yaml
    std::string mappingFile;  ///< the file the mapping came from
    std::string ertFile;      ///< empty if the folder has none
    Problem problem;
    Architecture architecture;
    Mapping mapping;
    MappingConstraints constraints;  ///< the mapper's: architecture_constraints and mapspace_constraints
    std::vector<TimeloopComponent> components;  ///< outermost first, as in the file
    std::vector<std::string> warnings;

    const TimeloopComponent* component(const std::string& name) const;
};

/// Reads a folder holding Timeloop's `parsed-processed-input.yaml`, its `*.ERT.yaml` and
/// `*.ART.yaml`, and, for mapper runs, the final mapping in `*.map.yaml`. Errors name the
/// file, the key and the level.
Result<TimeloopCase> loadTimeloopCase(const std::string& folder);

/// Evaluates the case's mapping. A mapping that does not fit the architecture (a tile larger
/// than its level, a fan-out wider than the hardware) is bad input: the error names the
/// mapping's file, its key and the level.
Result<EngineStats> evaluateTimeloopCase(const TimeloopCase& c, const EngineOptions& options);

}  // namespace cdx
