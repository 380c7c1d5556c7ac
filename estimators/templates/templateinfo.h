#pragma once

#include "core/network/networkfusion.h"
#include "core/network/shape.h"
#include "core/util/result.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace cdx {

enum class ParamType { Integer, Real, Choice, Boolean };

const char* paramTypeName(ParamType type);

/// One parameter of a template: its type, range or choices, default and meaning.
struct ParamSpec {
    std::string name;
    ParamType type = ParamType::Integer;
    double min = 0;
    double max = 0;
    nlohmann::json defaultValue;
    std::vector<std::string> choices;
    std::string unit;
    std::string description;
};

/// A named configuration of a template: parameter values, and the platform (and datapath
/// precision) it was built for, with where the numbers come from.
struct PresetSpec {
    std::string name;
    std::string description;
    nlohmann::ordered_json params = nlohmann::ordered_json::object();
    nlohmann::ordered_json platform = nlohmann::ordered_json::object();
    std::string source;
};

/// The platform a project runs on: its preset's platform with the project's own block merged
/// over it (JSON merge patch), or the project's block alone when it names another kind (an FPGA
/// project on an ASIC preset). The estimator and the studio's hardware form both use this rule.
nlohmann::ordered_json effectivePlatform(const PresetSpec* preset, const nlohmann::ordered_json& own);

/// The compression a template turns into fewer cycles by its construction (besides channel,
/// group and block-diagonal pruning, which every template gets as smaller or split layers).
struct CompressionSupport {
    bool elementSparsity = false;  ///< skips pruned (zero) weights: unstructured, N:M, top-k, block
    bool circulant = false;        ///< computes block-circulant layers by FFT
    bool fastAlgorithms = false;   ///< runs Winograd or fast FIR as the plan chooses
};

/// How a template's datapath meets a layer's precision.
enum class DatapathKind {
    Fixed,     ///< one width for every layer: a narrower layer costs what the datapath's width costs
    Scalable,  ///< precision-scalable (bit-serial): time and energy follow each layer's bits
    PerLayer,  ///< built per layer (a streaming module each): each at its own width
};

struct TemplateInfo {
    std::string name;
    std::string summary;        ///< one line
    std::string model;          ///< "loop-nest engine and mapper" or the analytical model it uses
    std::string nonMacLayers;   ///< where element-wise, pooling and normalisation layers run
    std::vector<ParamSpec> params;
    std::vector<PresetSpec> presets;
    CompressionSupport exploits;  ///< the loop-nest templates add element sparsity with sparse_weights = skip
    DatapathKind datapath = DatapathKind::Fixed;
    /// The operators its output stage applies to a MAC layer's results (fused into that layer);
    /// the others run as layers of their own on the vector unit or the host.
    OutputStage outputStage;

    const ParamSpec* param(const std::string& wanted) const;
    const PresetSpec* preset(const std::string& wanted) const;
};

/// Resolved parameter values: defaults, then a preset's, then the project's.
class TemplateParams {
public:
    double number(const std::string& name) const;
    Dim integer(const std::string& name) const;
    const std::string& choice(const std::string& name) const;
    bool flag(const std::string& name) const;
    const nlohmann::ordered_json& values() const { return values_; }

    /// Validates `overrides` (unknown names with a suggestion, types, ranges, choices; errors
    /// name `file` and "/hardware/params/NAME") over the preset's values over the defaults.
    static Result<TemplateParams> resolve(const TemplateInfo& info, const PresetSpec* preset,
                                          const nlohmann::ordered_json& overrides, const std::string& file);

private:
    nlohmann::ordered_json values_ = nlohmann::ordered_json::object();
};

}  // namespace cdx
