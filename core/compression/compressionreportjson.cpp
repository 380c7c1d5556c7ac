#include "core/compression/compressionreportjson.h"

#include <cmath>

namespace cdx {

namespace {

/// JSON has no infinity: an exact representation's SQNR is null.
nlohmann::ordered_json finite(double v)
{
    return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json quantJson(const QuantParams& p, const QuantStats& s)
{
    nlohmann::ordered_json j;
    j["representation"] = p.describe();
    j["lowest"] = p.lowest;
    j["highest"] = p.highest;
    if (p.format == NumberFormat::Fixed)
        j["frac_bits"] = p.fracBits;
    if (p.exponentBits > 0)
        j["exponent_bias"] = p.bias;
    j["sqnr_db"] = finite(s.sqnrDb);
    j["noise_to_signal"] = s.noiseToSignal;
    j["max_abs_error"] = s.maxAbsError;
    j["clipped_fraction"] = s.clippedFraction;
    j["measured"] = s.measured;
    if (!s.measured)
        j["model"] = s.model;
    return j;
}

nlohmann::ordered_json storageJson(const StorageCost& s)
{
    nlohmann::ordered_json j;
    j["format"] = std::string(storageFormatName(s.format));
    j["values"] = s.values;
    j["padding_zeros"] = s.paddingZeros;
    j["index_width_bits"] = s.indexWidth;
    j["value_bits"] = s.valueBits;
    j["index_bits"] = s.indexBits;
    j["pointer_bits"] = s.pointerBits;
    j["scale_bits"] = s.scaleBits;
    j["total_bits"] = s.totalBits();
    j["exact"] = s.exact;
    return j;
}

nlohmann::ordered_json effectJson(const WorkloadEffect& e)
{
    nlohmann::ordered_json j;
    j["macs"] = e.macs;
    j["effective_macs"] = e.effectiveMacs;
    j["weight_density"] = e.weightDensity;
    j["activation_density"] = e.activationDensity;
    j["weight_bits"] = e.weightBits;
    j["weight_metadata_bits"] = e.weightMetadataBits;
    j["pes"] = e.pes;
    j["imbalance"] = e.imbalance;
    j["structural_groups"] = e.structuralGroups;
    j["output_channel_keep"] = e.outputChannelKeep;
    j["input_channel_keep"] = e.inputChannelKeep;
    j["operand_bits"] = {{"weights", e.weightValueBits}, {"activations", e.activationBits}, {"accumulator", e.accumulatorBits}};
    if (e.essentialTermsPerWeight > 0)
        j["essential_terms_per_weight"] = e.essentialTermsPerWeight;
    return j;
}

}  // namespace

nlohmann::ordered_json layerCompressionJson(const LayerCompressionReport& l)
{
    nlohmann::ordered_json j;
    j["layer"] = l.layer;
    j["kind"] = std::string(layerKindName(l.kind));
    j["index"] = l.index;
    j["setting"] = l.setting.toJson();
    j["has_weights"] = l.hasWeights;
    if (l.hasWeights) {
        j["measured"] = l.measured;
        j["dense_weights"] = l.denseWeights;
        j["kept_weights"] = l.keptWeights;
        j["requested_density"] = l.requestedDensity;
        j["density"] = l.density;
        j["other_params"] = l.otherParams;
        j["stored_params"] = l.storedParams;
        j["storage"] = storageJson(l.storage);
        j["compression_ratio"] = l.compressionRatio;
        j["nominal_compression_ratio"] = l.nominalCompressionRatio;
        j["pruned_energy"] = l.prunedEnergy;
        if (l.setting.pruning.kind == PruningKind::Circulant)
            j["circulant_relative_error"] = l.circulantError;
        j["weights"] = quantJson(l.weightQuant, l.weightStats);
    }
    j["activations"] = quantJson(l.activationQuant, l.activationStats);
    if (l.fast.applicable)
        j["fast_algorithm"] = {{"multiplications", l.fast.multiplications},
                               {"additions", l.fast.additions},
                               {"direct_multiplications", l.fast.directMultiplications},
                               {"direct_additions", l.fast.directAdditions}};
    if (l.accumulatorBitsNeeded > 0)
        j["accumulator_bits_needed"] = l.accumulatorBitsNeeded;
    j["workload"] = effectJson(l.effect);
    if (l.hasWeights)
        j["accuracy"] = {{"drop_pp", l.accuracyDrop}, {"source", l.accuracySource}, {"noise_to_signal", l.noiseToSignal}};
    j["notes"] = l.notes;
    return j;
}

nlohmann::ordered_json compressionReportJson(const NetworkCompressionReport& r)
{
    nlohmann::ordered_json j;
    j["format"] = "cdx-compression";
    j["version"] = 1;
    j["network"] = r.network;
    nlohmann::ordered_json t;
    t["dense_params"] = r.denseParams;
    t["stored_params"] = r.storedParams;
    t["dense_bits"] = r.denseBits;
    t["stored_bits"] = r.storedBits;
    t["compression_ratio"] = r.compressionRatio;
    t["dense_weights"] = r.denseWeights;
    t["stored_weight_bits"] = r.storedWeightBits;
    t["weight_compression_ratio"] = r.weightCompressionRatio;
    t["nominal_weight_compression_ratio"] = r.nominalWeightCompressionRatio;
    t["macs"] = r.macs;
    t["effective_macs"] = r.effectiveMacs;
    t["accuracy"] = {{"drop_pp", r.accuracyDrop}, {"source", r.accuracySource}};
    j["totals"] = t;
    nlohmann::ordered_json layers = nlohmann::ordered_json::array();
    for (const auto& l : r.layers)
        layers.push_back(layerCompressionJson(l));
    j["layers"] = layers;
    j["warnings"] = r.warnings;
    return j;
}

}  // namespace cdx
