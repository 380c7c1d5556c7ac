#include "rtlsim/validator.h"

namespace cdx {

namespace {

nlohmann::ordered_json peJson(const PeSpec& pe)
{
    return {
        {"mode", peModeName(pe.mode)},
        {"lanes", pe.lanes},
        {"weight_bits", pe.weightBits},
        {"activation_bits", pe.activationBits},
        {"weight_signed", pe.weightSigned},
        {"activation_signed", pe.activationSigned},
        {"accumulator_bits", pe.accumulatorBits},
        {"serial_bits", pe.serialBits},
        {"output_bits", pe.outputBits},
        {"shift", pe.shift},
        {"round", pe.round},
        {"relu", pe.relu},
        {"instances", pe.instances},
        {"origin", pe.origin},
    };
}

nlohmann::ordered_json layerJson(const LayerValidation& v)
{
    nlohmann::ordered_json j{{"workload", v.workload}, {"layer", v.layer}, {"kind", v.kind}};
    if (!v.skipped.empty()) {
        j["status"] = "skipped";
        j["reason"] = v.skipped;
        return j;
    }
    j["status"] = v.passed ? "passed" : "failed";
    j["pe"] = peJson(v.pe);
    j["tile"] = {{"description", v.tile},     {"outputs", v.outputs},         {"reduction", v.reduction},
                 {"products", v.products},    {"real_weights", v.realWeights}, {"weights", v.weightsNote}};
    j["cycles"] = {{"rtl", v.rtlCycles},
                   {"predicted", v.predictedCycles},
                   {"error_pct", v.cycleErrorPct},
                   {"note", v.cycleNote},
                   {"layer_estimate", v.layerCycles},
                   {"busy_pes", v.busyPes},
                   {"layer_estimate_per_tile", v.layerTileCycles},
                   {"layer_estimate_per_tile_all_pes", v.layerTileCyclesAllPes},
                   {"layer_estimate_per_tile_without_stalls", v.layerTileComputeCycles},
                   {"layer_error_pct", v.layerErrorPct}};
    j["outputs"] = {{"mismatches", v.mismatches}, {"first_mismatch", v.firstMismatch}};
    j["activity"] = {{"toggles", v.toggles},
                     {"toggle_rate", v.toggleRate},
                     {"assumed_toggle_rate", v.assumedToggleRate},
                     {"counters_match_golden", v.countersMatch}};
    j["seconds"] = v.seconds;
    j["simulated_cycles"] = v.simulatedCycles;
    return j;
}

}  // namespace

nlohmann::ordered_json validationReportJson(const ValidationReport& report)
{
    nlohmann::ordered_json layers = nlohmann::ordered_json::array();
    for (const LayerValidation& v : report.layers)
        if (!v.workload.empty())
            layers.push_back(layerJson(v));
    return {
        {"project", report.project},
        {"file", report.file},
        {"template", report.templateName},
        {"design", report.design},
        {"passed", report.passed()},
        {"max_cycle_error_pct", report.maxCycleErrorPct},
        {"max_layer_error_pct", report.maxLayerErrorPct < 0 ? nlohmann::ordered_json() : nlohmann::ordered_json(report.maxLayerErrorPct)},
        {"validated", report.validated},
        {"failed", report.failed},
        {"skipped", report.skipped},
        {"cancelled", report.cancelled},
        {"seconds", report.seconds},
        {"simulated_cycles", report.simulatedCycles},
        {"layers", layers},
    };
}

}  // namespace cdx
