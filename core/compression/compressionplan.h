#pragma once

#include "core/compression/fastalgorithm.h"
#include "core/compression/pruningspec.h"
#include "core/compression/quantspec.h"
#include "core/compression/storagespec.h"
#include "core/network/network.h"
#include "core/util/result.h"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cdx {

/// How one operand of a layer is represented (the templates' name for it).
using OperandPrecision = QuantSpec;

/// The resolved compression setting of one layer: what the rules of the plan give it.
struct LayerCompression {
    QuantSpec weights;
    QuantSpec activations;
    int accumulatorBits = 0;         ///< 0: the template's choice (wide enough for the sum)
    /// "accumulator": {"bits": "auto"}: the width comes from a measured run's accumulator range
    /// (CompressionPlan::accumulatorProfile) plus `accumulatorMarginBits`; without a profile
    /// accumulatorBits stays 0, the template's choice.
    bool accumulatorAuto = false;
    int accumulatorMarginBits = 1;
    double activationDensity = 1.0;  ///< measured share of nonzero activations
    PruningSpec pruning;
    StorageSpec storage;
    FastAlgorithm fastAlgorithm = FastAlgorithm::None;
    std::vector<std::string> rules;  ///< the rules that set something, in order ("default", "/compression/layers/0")
    std::string pruningRule;         ///< the rule that set the pruning ("" when none did)
    std::string storageRule;
    std::string fastAlgorithmRule;

    /// The setting as a project would write it (the resolved values, every field).
    nlohmann::ordered_json toJson() const;
    /// One line: "w8 int, a8 int, unstructured 0.1, csc i4".
    std::string describe() const;
    /// Every field that changes an analysis, compactly (a cache key; not for people).
    std::string key() const;
};

/// A setting as written in a project (every field optional), and which layers a rule covers.
struct CompressionSetting {
    struct Operand {
        std::optional<int> bits;  ///< only "bits" given: the format stays
        std::optional<NumberFormat> format;
        std::optional<bool> symmetric;
        std::optional<std::optional<int>> fracBits;  ///< "radix": bits after the point, or "auto"
        std::optional<FpBias> biasMode;
        std::optional<int> bias;
        std::optional<QuantGranularity> granularity;  ///< "granularity"; weights unset: channel for int, tensor otherwise
    };
    Operand weights;
    Operand activations;
    std::optional<double> activationDensity;
    std::optional<int> accumulatorBits;
    std::optional<bool> accumulatorAuto;        ///< "bits": "auto"
    std::optional<int> accumulatorMarginBits;   ///< "margin_bits" (with "auto" only)
    std::optional<PruningSpec> pruning;  ///< replaces the whole pruning setting
    std::optional<StorageSpec> storage;
    std::optional<FastAlgorithm> fastAlgorithm;
};

struct CompressionRule {
    std::string path;                 ///< "/compression/layers/2", for messages
    /// "match": globs over layer names (* any run of characters, ? one character; no classes
    /// or braces), a string or a list; a layer matches when any of them does.
    std::vector<std::string> nameGlobs;
    std::optional<LayerKind> kind;    ///< "kind"
    std::optional<std::pair<Dim, Dim>> indexRange;  ///< "index": [first, last], inclusive
    CompressionSetting setting;

    bool matches(const Layer& layer, Dim index) const;
};

/// The compression block of a project: a default setting and ordered per-layer rules; later
/// rules override earlier ones field by field (a pruning, storage or fast-algorithm object as a
/// whole). Optionally a per-layer accuracy sensitivity table (CSV).
struct CompressionPlan {
    CompressionSetting defaults;
    std::vector<CompressionRule> rules;
    std::string sensitivityPath;  ///< "sensitivity": a CSV, relative to the project file as written
    std::string file;             ///< the project file, for messages
    /// Set by a measured run, never read from JSON: per layer name, the signed bits that hold the
    /// largest accumulator value the run saw. A layer whose setting says "auto" takes these plus
    /// its margin; the shared datapath (forLayer of no layer) takes the widest.
    std::map<std::string, int> accumulatorProfile;

    /// The setting of layer `index` of a network.
    LayerCompression forLayer(const Layer& layer, Dim index) const;
    /// Rules that match no layer of `net` (worth a warning).
    std::vector<std::string> unmatchedRules(const Network& net) const;
    /// Checks every layer's resolved setting against the layer's shape: a block size or a
    /// number of blocks that does not divide the weight matrix, a group count that does not
    /// divide the channels. The error names the rule and the layer. Warnings: rules matching no
    /// layer, pruning set on layers without weights only, fast algorithms that do not apply.
    Result<std::vector<std::string>> check(const Network& net) const;
    /// The same with every layer's setting resolved already (forLayer of each, in order).
    Result<std::vector<std::string>> check(const Network& net, const std::vector<LayerCompression>& settings) const;
    /// forLayer of every layer of `net`, in order.
    std::vector<LayerCompression> resolve(const Network& net) const;

    /// Reads a project's "compression" block; errors name `file` and the JSON path.
    static Result<CompressionPlan> fromJson(const nlohmann::ordered_json& block, const std::string& file);
};

/// Glob matching with * (any run) and ? (one character).
bool globMatch(std::string_view pattern, std::string_view text);

}  // namespace cdx
