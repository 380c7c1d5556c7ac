// The writers of `cdx export --to timeloop|scalesim|hls`.
#include "app/cli/exportformats.h"

#include "core/util/jsonwriter.h"
#include "estimators/engine/problemshapes.h"
#include "estimators/templates/acceleratortemplate.h"
#include "estimators/templates/loopnestdesign.h"
#include "estimators/timeloop/timeloopexport.h"

#include <cctype>
#include <optional>
#include <tuple>
#include <cmath>
#include <set>
#include <sstream>

namespace cdx::cli {

std::string exportIdentifier(std::string name)
{
    for (char& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
            c = '_';
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front())))
        name.insert(0, "l_");
    return name;
}

namespace {

/// Distinct folder names: "conv1", "conv1_2", ...
std::string uniqueName(const std::string& wanted, std::set<std::string>& taken)
{
    std::string name = wanted;
    for (int n = 2; taken.count(name) != 0; ++n)
        name = wanted + "_" + std::to_string(n);
    taken.insert(name);
    return name;
}

std::string caseReadme(const std::string& workload, const std::string& layer)
{
    std::string text = "Timeloop v3 inputs for workload " + workload + " (layer " + layer + "), written by cdx export --to timeloop.\n\n";
    text.append(
        "  timeloop-model arch.yaml problem.yaml cdx.map.yaml cdx.ERT.yaml cdx.ART.yaml\n"
        "      evaluates the mapping cdx's mapper chose, with cdx's energies and areas (no Accelergy run);\n"
        "  timeloop-model parsed-processed-input.yaml cdx.ERT.yaml cdx.ART.yaml\n"
        "      is the same, from the merged file;\n"
        "  cdx timeloop .   reads the folder back with cdx's engine.\n");
    return text;
}

/// The templates the loop-nest engine and mapper model (their designs are LoopNestDesigns):
/// "eyeriss, simple_ws, ... or nvdla", in the registry's order.
std::string loopNestTemplates()
{
    std::vector<std::string> names;
    for (const auto* t : acceleratorTemplates())
        if (t->info().model.rfind("loop-nest", 0) == 0)
            names.push_back(t->info().name);
    std::string list;
    for (std::size_t i = 0; i < names.size(); ++i)
        list += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
    return list;
}

}  // namespace

Result<ExportOutput> exportTimeloop(const Project& project, const EstimateInternals& internals)
{
    const auto* design = dynamic_cast<const LoopNestDesign*>(internals.design.get());
    if (design == nullptr)
        return Error{ExitCode::BadInput, project.filePath, "/hardware/template",
                     "the design is not a loop nest Timeloop can describe; --to timeloop needs one of the templates " + loopNestTemplates() +
                         ", not " + project.hardware.value("template", std::string("?"))};
    ExportOutput out;
    nlohmann::ordered_json cases = nlohmann::ordered_json::array();
    std::set<std::string> taken;
    for (const Workload& w : internals.workloads) {
        if (w.unit != WorkUnit::Array)
            continue;
        auto mapped = design->map(w, internals.evaluate);
        if (!mapped) {
            Error e = mapped.error();
            e.file = project.filePath;
            return e;
        }
        nlohmann::ordered_json entry{{"workload", w.name}, {"layer", w.layer}};
        auto files = timeloopCaseFiles(mapped.value(), w.name, out.notes);
        if (!files) {
            out.notes.push_back(w.name + ": not exported: " + files.error().location + ": " + files.error().message);
            entry["skipped"] = files.error().message;
            cases.push_back(entry);
            continue;
        }
        const std::string folder = uniqueName(exportIdentifier(w.name), taken);
        for (auto& f : files.value())
            out.files.emplace_back(folder + "/" + f.name, std::move(f.text));
        out.files.emplace_back(folder + "/README.txt", caseReadme(w.name, w.layer));
        entry["folder"] = folder;
        entry["repeat"] = w.repeat;
        entry["cycles"] = mapped->stats.cycles;
        entry["energy_pj"] = mapped->stats.energyPj;
        entry["activations_resident"] = mapped->activationsResident;
        entry["activations_off_chip"] = {{"inputs", mapped->inputsOffChip}, {"outputs", mapped->outputsOffChip}};
        cases.push_back(entry);
    }
    nlohmann::ordered_json index{{"format", "cdx-timeloop-export"}, {"version", 1}, {"project", project.filePath},
                                 {"note", "one Timeloop case per array workload; cycles and energy_pj are cdx's for one repetition"},
                                 {"cases", cases},    {"notes", out.notes}};
    out.files.emplace_back("cases.json", formatJson(index, 4));
    return out;
}

namespace {

double param(const EstimateInternals& internals, const char* name, double fallback)
{
    const auto it = internals.params.find(name);
    return it != internals.params.end() && it->is_number() ? it->get<double>() : fallback;
}

/// The input axis that output dimension `dim` slides along: its extent (sum of coefficient x
/// (bound - 1), plus 1) and the coefficient of `dim` (the stride). {1, 1} when there is none.
std::pair<Dim, Dim> inputAxis(const Problem& p, const char* dim)
{
    const int d = p.dimIndex(dim);
    for (const auto& axis : p.dataSpaces[kInputs].projection) {
        Dim extent = 1, stride = 0;
        for (const ProjectionTerm& t : axis) {
            extent += t.coefficient * (p.bounds[static_cast<std::size_t>(t.dim)] - 1);
            if (t.dim == d)
                stride = t.coefficient;
        }
        if (d >= 0 && stride > 0)
            return {extent, stride};
    }
    return {1, 1};
}

Dim bound(const Problem& p, const char* dim)
{
    const int d = p.dimIndex(dim);
    return d < 0 ? 1 : p.bounds[static_cast<std::size_t>(d)];
}

}  // namespace

Result<ExportOutput> exportScaleSim(const Project& project, const NetworkResult& result, const EstimateInternals& internals)
{
    if (result.templateName != "systolic")
        return Error{ExitCode::BadInput, project.filePath, "/hardware/template",
                     "SCALE-Sim models systolic arrays: --to scalesim needs the systolic template, not " + result.templateName};
    ExportOutput out;
    const std::string dataflow = internals.params.value("dataflow", std::string("ws"));
    const double wordBytes = std::max(1.0, param(internals, "activation_bits", 8) / 8);
    const double scratchpad = param(internals, "scratchpad_kib", 128), weightBuffer = param(internals, "weight_buffer_kib", 0);
    // SCALE-Sim's three SRAMs: inputs in the scratchpad, weights in the weight buffer (or the
    // scratchpad, halved between them), outputs in the accumulator memory.
    const double ifmap = weightBuffer > 0 ? scratchpad : scratchpad / 2, filter = weightBuffer > 0 ? weightBuffer : scratchpad / 2;
    const double bandwidthWords = result.dramBytesPerS > 0 && result.clockHz > 0 ? result.dramBytesPerS / result.clockHz / wordBytes : 10;
    std::ostringstream cfg;
    cfg << "# Generated by cdx export --to scalesim from " << project.filePath << "\n"
        << "# " << result.design << "\n"
        << "[general]\nrun_name = " << exportIdentifier(project.name.empty() ? "cdx" : project.name) << "\n\n"
        << "[architecture_presets]\n"
        << "ArrayHeight : " << static_cast<long long>(param(internals, "rows", 16)) << "\n"
        << "ArrayWidth : " << static_cast<long long>(param(internals, "cols", 16)) << "\n"
        << "IfmapSramSzkB : " << static_cast<long long>(std::ceil(ifmap)) << "\n"
        << "FilterSramSzkB : " << static_cast<long long>(std::ceil(filter)) << "\n"
        << "OfmapSramSzkB : " << static_cast<long long>(std::ceil(param(internals, "accumulator_kib", 128))) << "\n"
        << "IfmapOffset : 0\nFilterOffset : 10000000\nOfmapOffset : 20000000\n"
        << "Dataflow : " << dataflow << "\n"
        << "Bandwidth : " << std::max<long long>(1, static_cast<long long>(std::floor(bandwidthWords))) << "\n"
        << "MemoryBanks : 1\n\n"
        << "[run_presets]\nInterfaceBandwidth : USER\n";
    out.files.emplace_back("scalesim.cfg", cfg.str());

    std::ostringstream topology;
    topology << "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n";
    for (const Workload& w : internals.workloads) {
        if (w.unit != WorkUnit::Array)
            continue;
        const Problem& p = w.problem;
        const bool conv = p.dimIndex("R") >= 0 && p.dimIndex("P") >= 0 && p.dataSpaceCount() == 3;
        Dim h = 1, wd = 1, r = 1, s = 1, stride = 1;
        if (conv) {
            std::tie(h, stride) = inputAxis(p, "P");
            wd = inputAxis(p, "Q").first;
            r = bound(p, "R");
            s = bound(p, "S");
        }
        const Dim channels = bound(p, "C"), filters = bound(p, "M");
        const Dim copies = bound(p, "N") * bound(p, "G") * std::max<Dim>(1, w.repeat);
        if (!conv && p.dimIndex("C") < 0)
            out.notes.push_back(w.name + ": " + p.name + " is neither a convolution nor a matrix product; written as 1x1 with its bounds");
        if (copies > 1)
            out.notes.push_back(w.name + ": SCALE-Sim runs one of its " + std::to_string(copies) +
                                " images, groups or time steps; multiply its cycles by that");
        topology << exportIdentifier(w.name) << ", " << h << ", " << wd << ", " << r << ", " << s << ", " << channels << ", " << filters << ", "
                 << stride << ",\n";
    }
    out.files.emplace_back("topology.csv", topology.str());
    return out;
}

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

}  // namespace cdx::cli
