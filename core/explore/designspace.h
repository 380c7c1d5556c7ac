#pragma once

#include "core/explore/metric.h"
#include "core/network/network.h"
#include "core/project/project.h"
#include "core/util/result.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cdx {

/// One value index per axis: a design point of a DesignSpace.
using Genome = std::vector<int>;

/// One dimension of a design space: a JSON value of the project that takes each of `values`.
struct Axis {
    enum class Kind {
        Project,      ///< a JSON pointer into the project: hardware parameters, platform, tech
        Compression,  ///< a field of the compression setting of some layers (a rule appended to the plan)
    };
    std::string name;
    Kind kind = Kind::Project;
    std::string path;  ///< the explore block's path of the axis, for messages ("/explore/axes/2")
    /// The path of the key that says what the axis sets ("/explore/axes/2/param", ".../platform",
    /// ".../pointer" or ".../set"), for messages about that name.
    std::string keyPath;
    std::vector<nlohmann::ordered_json> values;

    // Kind::Project
    nlohmann::ordered_json::json_pointer pointer;

    // Kind::Compression
    bool targetsDefault = false;             ///< "layers": "default": the plan's default setting
    nlohmann::ordered_json selector;         ///< the rule's "match" / "kind" / "index" keys
    nlohmann::ordered_json base;             ///< fields set before the value ("base")
    std::vector<std::string> field;          ///< "set", split at the dots: {"weights", "bits"}
    std::vector<std::size_t> layers;         ///< network layers the rule matches (not for the default)

    /// Whether the value changes the built hardware rather than some layers' workloads: every
    /// project axis, and a compression axis on the plan's default (it sets the datapath).
    bool designAxis() const { return kind == Kind::Project || targetsDefault; }
    /// Kind::Compression: the compression setting the axis sets to `value` ("base" with the
    /// "set" field at the value).
    nlohmann::ordered_json setting(const nlohmann::ordered_json& value) const;
};

/// An objective: a metric, minimised or maximised.
struct Objective {
    Metric metric = Metric::EnergyPj;
    bool maximise = false;
};

/// A constraint: a metric bounded from above and/or below.
struct Constraint {
    Metric metric = Metric::LatencyS;
    std::optional<double> max;
    std::optional<double> min;
};

/// How to search ("search" in the explore block).
struct SearchSpec {
    enum class Strategy { Grid, Random, Nsga2 };
    Strategy strategy = Strategy::Grid;
    std::uint64_t seed = 1;
    std::uint64_t points = 1000;     ///< random: samples drawn
    int population = 40;             ///< NSGA-II
    int generations = 25;
    double crossover = 0.9;          ///< probability that a child mixes two parents
    double mutation = 0;             ///< per-gene probability; 0: 1 / number of axes
};

/// A project's "explore" block, resolved against its network: axes (template parameters,
/// platform, tech and per-layer or per-group compression), objectives, constraints, the search
/// and its budget. Applying a genome gives the design point's project.
class DesignSpace {
public:
    /// Reads `project.explore`; errors name the project file and the JSON path. Axes that name
    /// layers are matched against `network` ("each_layer" gives one axis per matched layer with weights).
    /// A compression axis whose "set" or "base" names a key no compression setting has is an
    /// error (every point would fail); the names of project axes need the templates, which
    /// checkSpaceNames (estimators/explore/spacecheck.h) checks.
    static Result<DesignSpace> fromProject(const Project& project, const Network& network);

    const std::vector<Axis>& axes() const { return axes_; }
    const std::vector<Objective>& objectives() const { return objectives_; }
    const std::vector<Constraint>& constraints() const { return constraints_; }
    const SearchSpec& search() const { return search_; }
    double budgetSeconds() const { return budgetSeconds_; }
    std::uint64_t budgetPoints() const { return budgetPoints_; }
    /// "reference" in the explore block: the hypervolume reference in objective units, or empty.
    const std::vector<double>& reference() const { return reference_; }

    /// Number of points, as a double (per-layer spaces exceed 2^64).
    double size() const;
    /// The number of points when it is at most 2^53 (the grid can enumerate it).
    std::optional<std::uint64_t> countablePoints() const;
    /// The grid's `index`-th point: mixed radix, the last axis fastest.
    Genome genomeAt(std::uint64_t index) const;
    /// The position of `genome` in the grid (inverse of genomeAt); only for countable spaces.
    std::uint64_t indexOf(const Genome& genome) const;

    /// "3.0.1": the genome's value indices, the point's identity in every output file.
    static std::string key(const Genome& genome);
    /// The inverse of key(); nullopt when it is not a genome of this space.
    std::optional<Genome> parseKey(const std::string& key) const;

    /// The project of the design point: each project axis's pointer set to its value, then one
    /// compression rule per compression axis, appended after the project's own (later rules win).
    Project apply(const Project& project, const Genome& genome) const;

    /// Identifies the space and the project it explores (a hash of both as written), so a
    /// resumed or merged run can check that it continues the same search.
    const std::string& signature() const { return signature_; }

private:
    std::vector<Axis> axes_;
    std::vector<Objective> objectives_;
    std::vector<Constraint> constraints_;
    SearchSpec search_;
    double budgetSeconds_ = 0;
    std::uint64_t budgetPoints_ = 0;
    std::vector<double> reference_;
    std::string signature_;
};

}  // namespace cdx
