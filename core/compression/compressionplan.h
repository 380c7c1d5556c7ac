#pragma once

#include "core/compression/numberformat.h"
#include "core/network/network.h"
#include "core/util/result.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace cdx {

/// How one operand of a layer is represented.
struct OperandPrecision {
    int bits = 8;
    NumberFormat format = NumberFormat::Int;
};

/// The resolved compression setting of one layer: what the rules of the plan give it.
struct LayerCompression {
    OperandPrecision weights;
    OperandPrecision activations;
    int accumulatorBits = 0;         ///< 0: the template's choice (wide enough for the sum)
    double activationDensity = 1.0;  ///< measured share of nonzero activations
    /// Settings given that this build does not apply to the estimates yet (pruning, storage
    /// formats, fast algorithms), as written; each is reported in the warnings.
    nlohmann::ordered_json unapplied = nlohmann::ordered_json::object();
    std::vector<std::string> rules;  ///< the rules that set something, in order ("default", "layers/0")
};

/// A setting as written in a project (every field optional), and which layers a rule covers.
struct CompressionSetting {
    std::optional<int> weightBits;  ///< only "bits" given: the format stays
    std::optional<NumberFormat> weightFormat;
    std::optional<int> activationBits;
    std::optional<NumberFormat> activationFormat;
    std::optional<double> activationDensity;
    std::optional<int> accumulatorBits;
    nlohmann::ordered_json unapplied = nlohmann::ordered_json::object();
};

struct CompressionRule {
    std::string path;                 ///< "/compression/layers/2", for messages
    std::string nameGlob;             ///< "match": a glob over layer names (* and ?)
    std::optional<LayerKind> kind;    ///< "kind"
    std::optional<std::pair<Dim, Dim>> indexRange;  ///< "index": [first, last], inclusive
    CompressionSetting setting;

    bool matches(const Layer& layer, Dim index) const;
};

/// The compression block of a project: a default setting and ordered per-layer rules; later
/// rules override earlier ones field by field.
struct CompressionPlan {
    CompressionSetting defaults;
    std::vector<CompressionRule> rules;

    /// The setting of layer `index` of a network.
    LayerCompression forLayer(const Layer& layer, Dim index) const;
    /// Rules that match no layer of `net` (worth a warning).
    std::vector<std::string> unmatchedRules(const Network& net) const;

    /// Reads a project's "compression" block; errors name `file` and the JSON path.
    static Result<CompressionPlan> fromJson(const nlohmann::ordered_json& block, const std::string& file);
};

/// Glob matching with * (any run) and ? (one character).
bool globMatch(std::string_view pattern, std::string_view text);

}  // namespace cdx
