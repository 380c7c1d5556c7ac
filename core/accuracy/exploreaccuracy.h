#pragma once

#include "core/accuracy/projectaccuracy.h"
#include "core/explore/designspace.h"
#include "core/explore/searchstrategy.h"

#include <functional>
#include <string>
#include <vector>

namespace cdx {

/// Measured accuracy in a design-space search over a project with data ("accuracy" block):
///  - before the search, the layers' measured sensitivity table, which the search then ranks
///    points with (cheap: table lookups), unless the project names a table of its own;
///  - after it, every front point measured by running it, through the measurement cache (a
///    point is never run twice, across runs and --resume).
class ExploreAccuracy {
public:
    /// Whether the project has data to measure on (and an ONNX network to run).
    static bool applies(const Project& project);

    /// The sensitivity table of `project` in `csvPath`: read there when a run (one being resumed)
    /// wrote it, else measured and written: each layer alone at every setting the space's
    /// compression axes give it (explorationProbes), and the default ladder on the layers no
    /// axis reaches. Returns the project with compression.sensitivity set to it. A project that
    /// names a table keeps it (returned unchanged).
    static Result<Project> withMeasuredSensitivity(const Project& project, const Network& net, const DesignSpace& space,
                                                   const std::string& csvPath, const std::function<bool(double)>& progress = {});

    struct FrontMeasurement {
        std::string key;          ///< the point
        double estimatedDropPp = 0;
        double measuredDropPp = 0;
        bool cached = false;
    };
    /// Measures each point of `front` (indices into `points`) of `project` explored in `space`.
    static Result<std::vector<FrontMeasurement>> measureFront(const Project& project, const DesignSpace& space,
                                                               const std::vector<Evaluation>& points, const std::vector<std::size_t>& front,
                                                               const std::function<bool(double)>& progress = {});
};

}  // namespace cdx
