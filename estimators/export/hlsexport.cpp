// The hls4ml writer of `cdx export --to hls` and the studio's File > Export.
#include "estimators/export/exportwriters.h"

#include "core/util/jsonwriter.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <sstream>

namespace cdx {

namespace {

/// An hls4ml (ap_types) precision: the type, and its fraction bits when it is fixed point.
struct HlsType {
    std::string name;
    std::optional<int> frac;  ///< unset: floating point
};

/// The signed integer bits (sign included) an ap_fixed needs to hold +-maxAbs: the smallest I
/// with 2^(I-1) > maxAbs, at least 1.
int integerBitsFor(double maxAbs)
{
    if (!(maxAbs > 0) || !std::isfinite(maxAbs))
        return 1;
    return std::max(1, static_cast<int>(std::floor(std::log2(maxAbs))) + 2);
}

/// The default integer bits when neither the plan (a fixed radix) nor the weights give a range:
/// half the bits, at least 1 (hls4ml's own default, ap_fixed<16,6>, is of the same order).
int defaultIntegerBits(int bits) { return std::max(1, bits / 2); }

/// The ap_types precision of one operand. `maxAbs`: the largest magnitude the operand takes
/// (from the layer's ONNX weights), when known. int codes times the quantiser's scale are real
/// values: written as ap_fixed<bits, I> with I covering the range, so hls4ml does not round them.
HlsType hlsType(const QuantSpec& q, std::optional<double> maxAbs, std::vector<std::string>& notes, const std::string& where)
{
    auto fixed = [&](int integer) {
        if (integer > q.bits) {
            notes.push_back(where + ": the range needs " + std::to_string(integer) + " integer bits, more than the " + std::to_string(q.bits) +
                            " bits; written with all bits integer (values saturate)");
            integer = q.bits;
        }
        return HlsType{"ap_fixed<" + std::to_string(q.bits) + "," + std::to_string(integer) + ">", q.bits - integer};
    };
    auto fromRange = [&]() {
        if (maxAbs)
            return fixed(integerBitsFor(*maxAbs));
        notes.push_back(where + ": range unknown (no weight values); written with half the bits integer");
        return fixed(defaultIntegerBits(q.bits));
    };
    switch (q.format) {
    case NumberFormat::Int:
        return fromRange();
    case NumberFormat::Fixed:
        if (q.fracBits)
            return fixed(q.bits - *q.fracBits);
        return fromRange();
    case NumberFormat::Fp16:
        return {"half", std::nullopt};
    case NumberFormat::Fp32:
        return {"float", std::nullopt};
    default: {
        HlsType t = maxAbs ? fixed(integerBitsFor(*maxAbs)) : fixed(defaultIntegerBits(q.bits));
        notes.push_back(where + ": " + std::string(numberFormatName(q.format)) + " has no ap_types equivalent; written as " + t.name);
        return t;
    }
    }
}

/// The largest magnitude and the nonzero share of a layer's weight values, when the network came with them.
struct WeightStats {
    double maxAbs = 0;
    double density = 1;
};

std::optional<WeightStats> weightStats(const Layer& layer)
{
    WeightStats s;
    std::size_t n = 0, nonzero = 0;
    for (const WeightTensor& t : layer.weightData) {
        if ((t.role != "weight" && t.role != "recurrence") || !t.values)
            continue;
        for (float v : *t.values) {
            s.maxAbs = std::max(s.maxAbs, static_cast<double>(std::fabs(v)));
            nonzero += v != 0.0f;
        }
        n += t.values->size();
    }
    if (n == 0)
        return std::nullopt;
    s.density = static_cast<double>(nonzero) / static_cast<double>(n);
    return s;
}

/// The activation type: the plan's radix when it gives one, else the default integer bits (cdx
/// does not know activation ranges without a measured run).
HlsType activationType(const QuantSpec& q, std::vector<std::string>& notes, const std::string& where)
{
    if (q.format == NumberFormat::Int || (q.format == NumberFormat::Fixed && !q.fracBits)) {
        const int integer = defaultIntegerBits(q.bits);
        return {"ap_fixed<" + std::to_string(q.bits) + "," + std::to_string(integer) + ">", q.bits - integer};
    }
    return hlsType(q, std::nullopt, notes, where);
}

}  // namespace

Result<ExportOutput> exportHls(const Project& project, const Network& net, const std::vector<LayerCompression>& settings,
                               const EstimateInternals& internals)
{
    ExportOutput out;
    nlohmann::ordered_json layers = nlohmann::ordered_json::object();
    std::ostringstream pruned;  // the README's table of pruned layers
    int widestW = 1, widestA = 1;
    bool anyPruned = false, unknownActivations = false;
    for (std::size_t i = 0; i < net.layers().size() && i < settings.size(); ++i) {
        const Layer& layer = net.layers()[i];
        const LayerCompression& c = settings[i];
        // The layer's multipliers: its PEs' lanes x instances, summed over its workloads.
        double multipliers = 0;
        Dim weights = 0;
        for (const Workload& w : internals.workloads)
            if (w.layer == layer.name && w.unit == WorkUnit::Array) {
                weights += w.weightElements;
                if (auto pe = internals.design->processingElement(w))
                    multipliers = std::max(multipliers, pe->lanes * pe->instances);
            }
        widestA = std::max(widestA, c.activations.bits);
        unknownActivations |= c.activations.format == NumberFormat::Int || (c.activations.format == NumberFormat::Fixed && !c.activations.fracBits);
        const HlsType result = activationType(c.activations, out.notes, layer.name + " activations");
        if (weights == 0) {
            // No multiplies (activation, pooling, element-wise, normalisation): the plan's activation precision.
            layers[layer.name] = {{"Precision", {{"result", result.name}}}};
            continue;
        }
        const auto stats = weightStats(layer);
        const HlsType weight = hlsType(c.weights, stats ? std::optional<double>(stats->maxAbs) : std::nullopt, out.notes, layer.name + " weights");
        // Pruned: hls4ml drops the multiplications by zero weights under the Latency strategy
        // (its multiplier limit subtracts the zeros it finds in the weights), so the reuse factor
        // counts the weights the pruning keeps.
        const bool isPruned = c.pruning.kind != PruningKind::None;
        const double density = isPruned ? c.pruning.nominalDensity() : 1.0;
        const double kept = std::max(1.0, std::ceil(static_cast<double>(weights) * density));
        const auto reuse = static_cast<long long>(std::max(1.0, std::ceil(kept / std::max(1.0, multipliers))));
        widestW = std::max(widestW, c.weights.bits);
        const int acc = c.accumulatorBits > 0 ? c.accumulatorBits : c.weights.bits + c.activations.bits + 8;
        // The products' fraction bits are the weights' plus the activations'; the rest are integer bits.
        std::string accType = "ap_int<" + std::to_string(acc) + ">";
        if (weight.frac && result.frac)
            accType = "ap_fixed<" + std::to_string(acc) + "," + std::to_string(acc - *weight.frac - *result.frac) + ">";
        else
            accType = "float";
        nlohmann::ordered_json precision{{"weight", weight.name}, {"bias", accType}, {"accum", accType}, {"result", result.name}};
        nlohmann::ordered_json l{{"Precision", precision},
                                 {"ReuseFactor", reuse},
                                 {"Strategy", isPruned || reuse == 1 ? "Latency" : "Resource"},
                                 {"cdx_multipliers", multipliers},
                                 {"cdx_weights", weights}};
        if (stats)
            l["cdx_weight_max_abs"] = stats->maxAbs;
        if (isPruned) {
            anyPruned = true;
            l["cdx_pruning"] = c.pruning.describe();
            l["cdx_density"] = density;
            l["cdx_kept_weights"] = kept;
            const bool done = stats && stats->density <= density + 1e-6;
            pruned << "| " << layer.name << " | " << c.pruning.describe() << " | " << density << " | "
                   << (stats ? nlohmann::json(stats->density).dump() : std::string("unknown")) << " | " << (done ? "yes" : "no: prune first") << " |\n";
            if (!done) {
                char densityText[32];
                std::snprintf(densityText, sizeof densityText, "%.4g", density);
                out.notes.push_back(layer.name + ": pruned to density " + densityText + " (" + c.pruning.describe() +
                                    "); hls4ml has no pruning setting: zero these weights in the model before converting it");
            }
        }
        layers[layer.name] = l;
    }
    if (unknownActivations)
        out.notes.push_back("activation ranges are not known without a measured run: int activations are written with half the bits integer");
    nlohmann::ordered_json hls{{"Model", {{"Precision", "ap_fixed<" + std::to_string(std::max(widestW, widestA) + 8) + "," +
                                                         std::to_string(std::max(widestW, widestA)) + ">"}, {"ReuseFactor", 1}, {"Strategy", "Latency"}}},
                               {"LayerName", layers}};
    nlohmann::ordered_json j{{"format", "cdx-hls"},
                             {"version", 1},
                             {"project", project.filePath},
                             {"note", "hls4ml: pass \"hls4ml\" as hls_config to hls4ml.converters.convert_from_onnx_model. ReuseFactor = "
                                      "the layer's kept weights over the multipliers the design gives it. Weights are ap_fixed<bits, I>, I "
                                      "covering the largest weight magnitude (see README.md). A pruned layer (cdx_pruning, cdx_density) must "
                                      "have its weights zeroed before conversion: hls4ml removes multiplications by zero under the Latency "
                                      "strategy and has no pruning setting."},
                             {"hls4ml", hls},
                             {"notes", out.notes}};
    out.files.emplace_back("hls_config.json", formatJson(j, 4));
    std::ostringstream readme;
    readme << "# hls4ml configuration from cdx\n\n"
           << "Project: " << project.filePath << "\n\n"
           << "Pass `config[\"hls4ml\"]` of `hls_config.json` as `hls_config` to `hls4ml.converters.convert_from_onnx_model`.\n\n"
           << "## Pruning\n\n";
    if (anyPruned)
        readme << "hls4ml has no pruning setting. It removes the multiplications by zero weights (Latency strategy), so the\n"
               << "weights must be pruned in the model to these densities before conversion:\n\n"
               << "| layer | pruning | density (kept share) | density of the model's weights | pruned already |\n|---|---|---|---|---|\n"
               << pruned.str();
    else
        readme << "No layer is pruned.\n";
    readme << "\n## Notes\n\n";
    for (const auto& note : out.notes)
        readme << "- " << note << "\n";
    if (out.notes.empty())
        readme << "None.\n";
    out.files.emplace_back("README.md", readme.str());
    return out;
}

}  // namespace cdx
