#include "estimators/estimate/estimator.h"
#include "estimators/estimate/estimatesetup.h"

#include "core/compression/compressionanalyzer.h"
#include "core/compression/compressionplan.h"
#include "core/util/checkedmath.h"
#include "core/util/jsonreader.h"
#include "estimators/estimate/hardwarespec.h"
#include "estimators/platform/platform.h"
#include "estimators/templates/acceleratortemplate.h"
#include "estimators/templates/templatecommon.h"
#include "estimators/workload/workload.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>

namespace cdx {

namespace {

/// Everything about a workload that its result depends on, besides the design: its numbers as
/// raw bytes (a key, never shown; formatting them as text cost more than the lookup).
std::string workloadKey(const Workload& w, const EvaluateOptions& options)
{
    std::string k;
    k.reserve(256);
    const auto add = [&k](std::int64_t v) { k.append(reinterpret_cast<const char*>(&v), sizeof v); };
    for (std::int64_t v : {static_cast<std::int64_t>(w.unit), static_cast<std::int64_t>(w.repeat), static_cast<std::int64_t>(w.vectorOps),
                           static_cast<std::int64_t>(w.inputElements), static_cast<std::int64_t>(w.outputElements),
                           static_cast<std::int64_t>(w.weightsAreActivations), static_cast<std::int64_t>(w.compression.weights.bits),
                           static_cast<std::int64_t>(w.compression.weights.format), static_cast<std::int64_t>(w.compression.activations.bits),
                           static_cast<std::int64_t>(w.compression.activations.format), static_cast<std::int64_t>(options.mapper.objective),
                           static_cast<std::int64_t>(options.mapper.maxEvaluations), static_cast<std::int64_t>(options.showMapping),
                           static_cast<std::int64_t>(w.denseMacs), static_cast<std::int64_t>(w.effect.effectiveMacs),
                           static_cast<std::int64_t>(w.effect.weightBits), static_cast<std::int64_t>(w.effect.pes),
                           static_cast<std::int64_t>(w.effect.structuralGroups), static_cast<std::int64_t>(w.residencyKnown),
                           static_cast<std::int64_t>(w.dramInputElements), static_cast<std::int64_t>(w.dramOutputElements)})
        add(v);
    for (double v : {w.effect.weightDensity, w.effect.activationDensity, w.effect.imbalance})
        add(std::bit_cast<std::int64_t>(v));
    if (w.unit == WorkUnit::Array) {
        for (int d = 0; d < w.problem.dims(); ++d)
            add(w.problem.bounds[static_cast<std::size_t>(d)]);
        for (const auto& space : w.problem.dataSpaces) {
            add(static_cast<std::int64_t>(space.projection.size()));
            for (const auto& axis : space.projection) {
                add(static_cast<std::int64_t>(axis.size()));
                for (const auto& term : axis) {
                    add(term.dim);
                    add(term.coefficient);
                }
            }
        }
    }
    return k;
}

void addTo(std::vector<std::pair<std::string, double>>& total, const std::string& name, double value)
{
    for (auto& [n, v] : total)
        if (n == name) {
            v += value;
            return;
        }
    total.emplace_back(name, value);
}


/// Whether the template's parameters make it skip zero weights (the loop-nest templates'
/// sparse_weights = skip): then element-level sparsity shortens its cycles.
bool skipsZeroWeights(const TemplateParams& params)
{
    return params.values().contains("sparse_weights") && params.choice("sparse_weights") == "skip";
}

/// Compression the template computes as if the layer were dense (in cycles: gating zero
/// weights saves energy only): what its construction does not exploit.
bool templateIgnores(const LayerCompressionReport& l, const CompressionSupport& support)
{
    const bool fastIgnored = l.fast.applicable && !support.fastAlgorithms;
    switch (l.setting.pruning.kind) {
    case PruningKind::None:
    case PruningKind::Channel:
    case PruningKind::Group:
    case PruningKind::BlockDiagonal: return fastIgnored;
    case PruningKind::Circulant: return !support.circulant;
    default: return fastIgnored || !support.elementSparsity;
    }
}

/// A network lowered for a template: the workloads, the layer each comes from, and how the
/// template's output stage groups the layers.
struct LoweredNetwork {
    std::vector<Workload> workloads;
    std::vector<int> layerOf;  ///< per workload: its layer's index
    NetworkFusion fusion;
};

/// Rewrites the workloads of a fused group: each fused layer becomes a workload without work
/// that names the layer it joined, and the MAC layer's last workload takes the fused operators'
/// element operations, the second operands they read and the group's final result size.
void applyFusion(const Network& net, const NetworkFusion& fusion, std::size_t layer, std::vector<Workload>& parts)
{
    const auto& layers = net.layers();
    const Layer& l = layers[layer];
    if (fusion.fused(layer)) {
        Workload w;
        w.name = l.name;
        w.layer = l.name;
        w.kind = l.kind;
        w.unit = WorkUnit::None;
        w.compression = parts.front().compression;
        w.fusedInto = layers[static_cast<std::size_t>(fusion.anchorOf[layer])].name;
        parts.assign(1, std::move(w));
        return;
    }
    const auto& members = fusion.members[layer];
    if (members.empty() || parts.empty())
        return;
    Workload& w = parts.back();
    for (const auto& m : members) {
        const Layer& f = layers[static_cast<std::size_t>(m.layer)];
        w.fused.emplace_back(f.name, m.kind == FusedOpKind::Fold ? "batch_norm (folded)" : operatorName(f));
        if (m.kind != FusedOpKind::Fold)
            w.fusedOps = checkedAdd(w.fusedOps, f.counts.ops);
        w.outputElements = f.counts.outputElements;
    }
    for (const auto& x : fusedOperands(net, fusion, layer))
        if (const Network::Tensor* t = net.findTensor(x))
            w.fusedOperandElements = checkedAdd(w.fusedOperandElements, elementCount(t->shape));
}

/// Analyses the plan on the network (compression report), groups the layers for the template's
/// output stage, lowers every layer with its setting and effect, and records each layer's resolved
/// setting, the accuracy and the plan's warnings.
Result<LoweredNetwork> lowerNetwork(const Network& net, const CompressionPlan& plan, const TemplateInfo& info, bool fuse,
                                    const CompressionSupport& support, CompressionAnalyzer& analyzer, NetworkResult& result)
{
    auto analysis = analyzer.analyze(net, plan);
    if (!analysis)
        return analysis.error();
    LoweredNetwork lowered;
    constexpr OutputStage kNone{.scale = false, .clamp = false, .piecewise = false, .lookup = false, .residual = false, .pool = false};
    lowered.fusion = fuseNetwork(net, fuse ? info.outputStage : kNone);
    std::vector<std::string> unexploited;
    for (std::size_t i = 0; i < net.layers().size(); ++i) {
        const LayerCompressionReport& report = analysis->layers[i];
        if (report.hasWeights && templateIgnores(report, support))
            unexploited.push_back(report.layer);
        std::vector<Workload> parts = lowerLayer(net.layers()[i], report.setting, report.effect);
        applyFusion(net, lowered.fusion, i, parts);
        for (auto& w : parts) {
            lowered.workloads.push_back(std::move(w));
            lowered.layerOf.push_back(static_cast<int>(i));
        }
    }
    result.compression = std::move(analysis->layers);
    result.accuracyDropPp = analysis->accuracyDrop;
    result.accuracySource = analysis->accuracySource;
    result.weightCompressionRatio = analysis->weightCompressionRatio;
    result.warnings = analysis->warnings;
    if (!unexploited.empty())
        result.warnings.push_back("compression: the " + info.name + " template computes " + std::to_string(unexploited.size()) +
                                  " layers (e.g. " + unexploited.front() +
                                  ") as dense: their element-level sparsity, circulant blocks or fast algorithm change storage and "
                                  "effective MACs (cdx compress) but not this design's cycles");
    return lowered;
}

/// Marks which activations each workload reads from and writes to DRAM, when the design keeps
/// them in an on-chip buffer of `capacity` elements between layers (activationResidency). Layers
/// lowered to several workloads (recurrent cells) keep the template's own accounting.
void applyResidency(const Network& net, const NetworkFusion& fusion, Dim capacity, LoweredNetwork& lowered)
{
    const ActivationResidency residency = activationResidency(net, fusion, capacity);
    const auto& layers = net.layers();
    std::vector<int> parts(layers.size(), 0);
    for (int l : lowered.layerOf)
        ++parts[static_cast<std::size_t>(l)];
    const auto offChip = [&](const std::string& tensor) -> Dim {
        const Network::Tensor* t = net.findTensor(tensor);
        return t == nullptr || residency.resident(tensor) ? 0 : elementCount(t->shape);
    };
    for (std::size_t k = 0; k < lowered.workloads.size(); ++k) {
        Workload& w = lowered.workloads[k];
        const auto i = static_cast<std::size_t>(lowered.layerOf[k]);
        if (w.unit == WorkUnit::None || parts[i] != 1)
            continue;
        const Layer& layer = layers[i];
        w.residencyKnown = true;
        for (const auto& x : layer.inputs)
            w.dramInputElements = checkedAdd(w.dramInputElements, offChip(x));
        // The group's result: the last fused layer's, else the layer's own.
        const auto& members = fusion.members[i];
        const Layer& last = members.empty() ? layer : layers[static_cast<std::size_t>(members.back().layer)];
        for (const auto& y : last.outputs)
            w.dramOutputElements = checkedAdd(w.dramOutputElements, offChip(y));
        for (const auto& x : fusedOperands(net, fusion, i))
            w.dramFusedOperandElements = checkedAdd(w.dramFusedOperandElements, offChip(x));
    }
}

/// The output-stage work of a MAC layer's fused operators, as a vector workload: their element
/// operations, reading the second operands beside the results (and from DRAM those not on chip).
Workload outputStageWork(const Workload& anchor)
{
    Workload w;
    w.name = anchor.name + ".output_stage";
    w.layer = anchor.layer;
    w.kind = LayerKind::Eltwise;
    w.unit = WorkUnit::Vector;
    w.compression = anchor.compression;
    w.vectorOps = anchor.fusedOps;
    w.inputElements = anchor.fusedOperandElements;
    w.residencyKnown = anchor.residencyKnown;
    w.dramInputElements = anchor.dramFusedOperandElements;
    return w;
}

/// One warning for the MAC layers whose plan asks for other widths than a fixed datapath has:
/// they run, and are costed, at the datapath's widths.
std::optional<std::string> fixedDatapathWarning(const std::string& templateName, const Datapath& dp, const std::vector<Workload>& workloads,
                                                std::optional<bool> packsWeights)
{
    std::vector<std::string> layers;
    std::set<std::string> seen;
    for (const auto& w : workloads) {
        if (w.unit != WorkUnit::Array || !seen.insert(w.layer).second)
            continue;
        const QuantSpec& weights = w.compression.weights;
        const QuantSpec& activations = w.compression.activations;
        std::string asked;
        if (weights.bits != dp.weightBits)
            asked += "w" + std::to_string(weights.bits);
        if (activations.bits != dp.activationBits)
            asked += std::string(asked.empty() ? "" : " ") + "a" + std::to_string(activations.bits);
        if (!asked.empty())
            layers.push_back(w.layer + " " + asked);
    }
    if (layers.empty())
        return std::nullopt;
    std::string named;
    for (std::size_t i = 0; i < layers.size() && i < 4; ++i)
        named += (i ? ", " : "") + layers[i];
    if (layers.size() > 4)
        named += " and " + std::to_string(layers.size() - 4) + " more";
    return "precision: the " + templateName + " datapath is fixed at " + std::to_string(dp.weightBits) + "-bit weights and " +
           std::to_string(dp.activationBits) + "-bit activations; " + std::to_string(layers.size()) +
           (layers.size() == 1 ? " layer asks" : " layers ask") + " for other widths (" + named +
           ") and " + (layers.size() == 1 ? "is" : "are") + " computed at the datapath's" +
           (packsWeights == true ? ", narrower weights stored packed (pack_weights)"
            : packsWeights == false ? "; pack_weights stores narrower weights packed" : "") +
           ": a precision-scalable template (bit_serial) or the weight_bits / activation_bits parameters follow them";
}

/// Adds the layers up (or takes the slowest stage of a pipeline), charges static power over
/// the latency and derives power, throughput, utilization and efficiency.
///
/// The summary figures, one definition for every template (README, "Whole-network estimates"):
///   peak            = 2 x peakMacsPerCycle x clock: the design's MACs per cycle when every
///                     multiplier is busy; a precision-scalable design (bit_serial) takes it at
///                     the plan's default weight width, the precision it runs.
///   executed ops    = 2 x effective MACs: the MACs the design performs (after the compression
///                     it exploits: skipped zeros, FFT or fast-algorithm multiplications); a
///                     precision-scalable design counts its work in MACs at the precision of
///                     its peak (bit_serial: add terms over the terms of one such MAC).
///                     effective_ops_per_s = executed ops / latency.
///   dense-equivalent ops = 2 x macs, the network's dense algorithmic MACs: ops_per_s, the
///                     figure that credits the skipped work (it may exceed the peak).
///   utilization     = effective MACs / (peakMacsPerCycle x cycles), for the network and for
///                     every layer of a design that runs the layers one after another (a
///                     pipeline's layer: over its own stage's MACs). Each template's cycles
///                     leave room for its effective MACs, so this never exceeds 1.
/// The physical model's overheads for an ASIC design (none on an FPGA, whose resources are the
/// device's, nor for a technology table without a "physical" section).
PhysicalDesign physicalDesignOf(const Platform& platform, const HardwareDesign& design)
{
    PhysicalDesign d;
    const AsicTechnology* asic = platform.asic();
    if (asic == nullptr)
        return d;
    d.components = design.area();
    d.macs = design.peakMacsPerCycle();
    d.areaScale = asic->areaScale();
    d.energyScale = asic->energyScale();
    d.clockHz = platform.clockHz();
    return d;
}

void addTotals(NetworkResult& result, const HardwareDesign& design, const PhysicalOverhead& physical)
{
    std::set<std::string> seenWarnings;
    Dim slowest = 0;
    for (const auto& l : result.layers) {
        result.macs += l.macs;
        result.effectiveMacs += l.effectiveMacs;
        result.cycles += l.cycles;
        slowest = std::max(slowest, l.cycles);
        result.energyPj += l.energyPj;
        for (const auto& [component, pj] : l.energyBreakdownPj)
            addTo(result.energyBreakdownPj, component, pj);
        for (const auto& w : l.warnings)
            if (seenWarnings.insert(w).second)
                result.warnings.push_back(w);
    }
    if (result.pipelined)
        result.cycles = slowest;
    result.latencyS = static_cast<double>(result.cycles) / result.clockHz;
    result.intervalS = result.latencyS;
    result.staticPowerW = design.staticPowerW();
    if (result.staticPowerW > 0) {
        const double staticPj = result.staticPowerW * result.latencyS * 1e12;
        result.energyPj += staticPj;
        addTo(result.energyBreakdownPj, "static", staticPj);
    }
    // The clock tree and the control run for the whole inference, whatever each layer does.
    result.corePowerBreakdownW.clear();
    result.physicalPowerW = physical.powerTotalW();
    for (const auto& [name, watts] : physical.powerW) {
        const double pj = watts * result.latencyS * 1e12;
        result.energyPj += pj;
        addTo(result.energyBreakdownPj, name, pj);
    }
    result.powerW = result.latencyS > 0 ? result.energyPj * 1e-12 / result.latencyS : 0;
    double dramPj = 0;
    for (const auto& [component, pj] : result.energyBreakdownPj)
        dramPj += component == "DRAM" ? pj : 0.0;
    result.corePowerW = result.latencyS > 0 ? (result.energyPj - dramPj) * 1e-12 / result.latencyS : 0;
    if (result.latencyS > 0) {
        result.corePowerBreakdownW.emplace_back("components", result.corePowerW - result.physicalPowerW - result.staticPowerW);
        if (result.staticPowerW > 0)
            result.corePowerBreakdownW.emplace_back("static", result.staticPowerW);
        for (const auto& item : physical.powerW)
            result.corePowerBreakdownW.push_back(item);
    }
    result.opsPerS = result.latencyS > 0 ? 2.0 * static_cast<double>(result.macs) / result.latencyS : 0;
    result.effectiveOpsPerS = result.latencyS > 0 ? 2.0 * static_cast<double>(result.effectiveMacs) / result.latencyS : 0;
    const double peakMacsPerCycle = design.peakMacsPerCycle();
    result.peakOpsPerS = 2.0 * peakMacsPerCycle * result.clockHz;
    // The last guard only: the summary test holds every shipped project and every template to
    // effective MACs <= peak MACs per cycle x cycles, network and layers, without it.
    const auto busyShare = [peakMacsPerCycle](Dim effectiveMacs, Dim cycles) {
        return cycles > 0 && peakMacsPerCycle > 0
                   ? std::min(1.0, static_cast<double>(effectiveMacs) / (peakMacsPerCycle * static_cast<double>(cycles)))
                   : 0.0;
    };
    result.utilization = busyShare(result.effectiveMacs, result.cycles);
    if (!result.pipelined)
        for (auto& l : result.layers)
            if (l.unit == "array")
                l.utilization = busyShare(l.effectiveMacs, l.cycles);
    result.topsPerW = result.energyPj > 0 ? 2.0 * static_cast<double>(result.macs) / result.energyPj : 0;
}

/// FPGA: the design's resources against the device; an error when they do not fit, a warning
/// above FINN's timing-closure caps. ASIC: the area breakdown.
std::optional<Error> addCost(NetworkResult& result, const Platform& platform, const HardwareDesign& design,
                             const PhysicalOverhead& physical, const std::string& file)
{
    if (!result.fpga) {
        result.areaBreakdown = design.area();
        for (const auto& item : physical.area)
            result.areaBreakdown.push_back(item);
        for (const auto& item : result.areaBreakdown)
            result.areaMm2 += item.mm2;
        return std::nullopt;
    }
    const FpgaDevice& device = *platform.device();
    FpgaUsage& usage = result.fpgaUsage;
    usage.device = device.name;
    usage.breakdown = design.fpgaResources();
    for (const auto& [name, r] : usage.breakdown)
        usage.used += r;
    usage.available = {static_cast<double>(device.lut), static_cast<double>(device.ff), static_cast<double>(device.dsp),
                       static_cast<double>(device.bram18 + device.m20k) / 2.0, static_cast<double>(device.uram)};  // Intel M20Ks in pairs
    const FpgaUtilisationCaps& caps = platform.fpgaLibrary().caps;
    struct Check {
        const char* what;
        double used, available, cap;
    };
    const Check checks[] = {
        {"LUTs", usage.used.lut, usage.available.lut, caps.lut},
        {"flip-flops", usage.used.ff, usage.available.ff, caps.ff},
        {"DSP slices", usage.used.dsp, usage.available.dsp, caps.dsp},
        {device.m20k > 0 ? "M20K pairs" : "BRAM36 blocks", usage.used.bram36, usage.available.bram36, caps.bram},
        {"URAM blocks", usage.used.uram, usage.available.uram, caps.uram},
    };
    for (const Check& c : checks) {
        char text[256];
        if (c.used > c.available + 1e-9) {
            std::snprintf(text, sizeof text, "the design does not fit the %s: it needs %.0f %s, the device has %.0f", device.name.c_str(), c.used,
                          c.what, c.available);
            return Error{ExitCode::BadInput, file, "/hardware", text};
        }
        if (c.used > c.cap * c.available + 1e-9) {
            std::snprintf(text, sizeof text, "%s: %.0f of %.0f %s (%.0f%%), above the %.0f%% that usually closes timing (FINN)",
                          device.name.c_str(), c.used, c.available, c.what, 100 * c.used / c.available, 100 * c.cap);
            result.warnings.push_back(text);
        }
    }
    return std::nullopt;
}

}  // namespace

Result<std::shared_ptr<const HardwareDesign>> Estimator::design(const AcceleratorTemplate& tmpl, const DesignInputs& inputs,
                                                                 const std::string& buildKey, const std::string& file)
{
    {
        std::lock_guard lock(mutex_);
        if (const auto it = designs_.find(buildKey); it != designs_.end())
            return it->second;
    }
    auto fresh = tmpl.build(inputs);
    if (!fresh) {
        Error error = fresh.error();
        if (error.file.empty())
            error.file = file;
        return error;
    }
    std::shared_ptr<const HardwareDesign> built(std::move(fresh).value());
    std::lock_guard lock(mutex_);
    if (designs_.size() >= 16)
        designs_.clear();
    designs_[buildKey] = built;
    return built;
}

std::optional<Error> Estimator::evaluateAll(const HardwareDesign& design, const std::vector<Workload>& workloads,
                                            const std::vector<std::string>& workloadKeys, const EvaluateOptions& evaluate,
                                            const std::string& file, NetworkResult& result)
{
    // Each distinct workload once; the cache keeps results across estimates, per design.
    const std::string designKey = design.cacheKey();
    // A layer-pipelined design has hardware per layer: identical shapes are not the same result.
    std::vector<std::string> named;
    if (design.pipelined()) {
        named.resize(workloads.size());
        for (std::size_t i = 0; i < workloads.size(); ++i)
            named[i] = workloadKeys[i] + "#" + workloads[i].name;
    }
    const std::vector<std::string>& keys = design.pipelined() ? named : workloadKeys;
    // The cached results are copied out under the lock that finds them: another estimate may
    // clear the cache (too many designs) before this one has mapped what it lacks.
    const std::size_t base = result.layers.size();
    result.layers.resize(base + workloads.size());
    std::vector<bool> cached(workloads.size(), false);
    std::unordered_map<std::string_view, std::size_t> pending;  ///< key -> index into todo
    std::vector<std::size_t> todo;
    {
        std::lock_guard lock(mutex_);
        if (cache_.size() >= keptDesigns_ && !cache_.contains(designKey))
            cache_.clear();  // a long session of edits or a search over hardware: old designs are rarely asked for again
        const Results& results = cache_[designKey];
        for (std::size_t i = 0; i < workloads.size(); ++i) {
            if (const auto it = results.find(keys[i]); it != results.end()) {
                result.layers[base + i] = it->second;
                cached[i] = true;
            } else if (pending.emplace(keys[i], todo.size()).second) {
                todo.push_back(i);
            }
        }
    }
    std::vector<std::optional<Result<LayerResult>>> fresh(todo.size());
    tbb::parallel_for(std::size_t{0}, todo.size(), [&](std::size_t k) { fresh[k] = design.evaluate(workloads[todo[k]], evaluate); });
    for (std::size_t k = 0; k < todo.size(); ++k)
        if (!fresh[k]->ok()) {
            Error error = fresh[k]->error();
            error.file = file;
            result.layers.resize(base);
            return error;
        }
    for (std::size_t i = 0; i < workloads.size(); ++i) {
        if (!cached[i])
            result.layers[base + i] = fresh[pending.at(keys[i])]->value();
        LayerResult& r = result.layers[base + i];
        r.name = workloads[i].name;
        r.layer = workloads[i].layer;
        r.kind = workloads[i].kind;
    }
    std::lock_guard lock(mutex_);
    Results& results = cache_[designKey];
    for (std::size_t k = 0; k < todo.size(); ++k)
        results.insert_or_assign(keys[todo[k]], std::move(*fresh[k]).value());
    return std::nullopt;
}

std::optional<Error> Estimator::addOutputStages(const HardwareDesign& design, const std::vector<Workload>& workloads,
                                                const EvaluateOptions& evaluate, const std::string& file, NetworkResult& result)
{
    const std::size_t base = result.layers.size() - workloads.size();
    std::vector<Workload> stages;
    std::vector<std::size_t> anchors;
    for (std::size_t i = 0; i < workloads.size(); ++i) {
        const Workload& w = workloads[i];
        LayerResult& r = result.layers[base + i];
        r.fused = w.fused;
        r.fusedInto = w.fusedInto;
        if (!w.fusedInto.empty()) {
            r.unit = "none";
            r.shape = "fused into " + w.fusedInto;
        }
        if (w.fusedOps > 0 || w.fusedOperandElements > 0) {
            stages.push_back(outputStageWork(w));
            anchors.push_back(base + i);
        }
    }
    // A layer pipeline builds a module per layer: the fused operators are part of the MAC
    // layer's module (FINN's thresholds), which its stage model already sizes.
    if (stages.empty() || design.pipelined())
        return std::nullopt;
    std::vector<std::string> keys(stages.size());
    for (std::size_t k = 0; k < stages.size(); ++k)
        keys[k] = workloadKey(stages[k], evaluate);
    NetworkResult scratch;
    if (auto error = evaluateAll(design, stages, keys, evaluate, file, scratch))
        return error;
    // The output stage works on the results as they leave the array, in step with it: its
    // cycles overlap the layer's, and only a slower stage sets them.
    for (std::size_t k = 0; k < stages.size(); ++k) {
        const LayerResult& st = scratch.layers[k];
        LayerResult& r = result.layers[anchors[k]];
        // A design whose other layers run on a host core applies the fused operators in its PEs'
        // output stage, which its PE model already holds.
        if (st.unit == "host")
            continue;
        for (const auto& [component, pj] : st.energyBreakdownPj)
            addTo(r.energyBreakdownPj, component == "vector" ? "output stage" : component, pj);
        r.energyPj += st.energyPj;
        r.outputStagePj = st.energyPj;
        if (st.cycles > r.cycles) {
            r.utilization *= static_cast<double>(r.cycles) / static_cast<double>(st.cycles);
            r.cycles = st.cycles;
            r.latencyS = st.latencyS;
            r.bound = "output stage";
        }
    }
    return std::nullopt;
}

Result<NetworkResult> Estimator::estimate(const Project& project, const Network& net, const EstimateOptions& options)
{
    return estimate(project, net, options, nullptr);
}

Result<NetworkResult> Estimator::estimate(const Project& project, const Network& net, const EstimateOptions& options,
                                          EstimateInternals& internals)
{
    return estimate(project, net, options, &internals);
}

/// The order of work: read the blocks (setUp), lower the network, build the design (or reuse
/// it), evaluate each workload (or take it from the cache), then add up totals, cost and warnings.
Result<NetworkResult> Estimator::estimate(const Project& project, const Network& net, const EstimateOptions& options,
                                          EstimateInternals* internals)
{
    const std::string& file = project.filePath;
    auto setup = setUp(project, options);
    if (!setup)
        return setup.error();
    const AcceleratorTemplate& tmpl = *setup->tmpl;
    const HardwareSpec& hardware = setup->hardware;
    const TemplateParams& params = setup->params;
    const Platform& platform = setup->platform;

    NetworkResult result;
    result.project = project.name;
    result.network = net.name();
    result.templateName = tmpl.info().name;
    result.preset = hardware.preset;
    result.platform = platform.describe();
    result.fpga = platform.isFpga();
    CompressionSupport support = tmpl.info().exploits;
    support.elementSparsity = support.elementSparsity || skipsZeroWeights(params);
    auto lowered = lowerNetwork(net, setup->plan, tmpl.info(), options.fuse, support, compression_, result);
    if (!lowered)
        return lowered.error();
    std::vector<Workload>& workloads = lowered->workloads;

    EvaluateOptions evaluate;
    evaluate.mapper.objective = options.objective.value_or(hardware.objective);
    evaluate.mapper.maxEvaluations = options.budget.value_or(hardware.budget);
    evaluate.showMapping = options.showMapping;
    std::vector<std::string> workloadKeys(workloads.size());
    std::size_t networkHash = 0;
    for (std::size_t i = 0; i < workloads.size(); ++i) {
        workloadKeys[i] = workloadKey(workloads[i], evaluate);
        networkHash = networkHash * 1000003u ^ std::hash<std::string>{}(workloads[i].name) ^ std::hash<std::string>{}(workloadKeys[i]);
    }
    // Reuse the built design when nothing it depends on changed.
    const LayerCompression defaults = setup->plan.forLayer(Layer{}, -1);
    const DesignInputs inputs{params, platform, defaults.weights, defaults.activations, defaults.accumulatorBits, workloads, hardware.preset};
    auto built = design(tmpl, inputs, setup->buildKey(defaults, networkHash), file);
    if (!built)
        return built.error();
    const HardwareDesign& hw = *built.value();
    result.design = hw.describe();
    result.pipelined = hw.pipelined();
    result.clockHz = hw.clockHz();
    if (tmpl.info().param("dram_bandwidth_gbs") != nullptr)
        result.dramBytesPerS = platform.dramBandwidth(params.number("dram_bandwidth_gbs"));

    // Activations the design keeps on chip between layers change what each workload moves
    // through DRAM (and so its key), not the design.
    if (const Dim capacity = hw.activationBufferElements(); capacity > 0) {
        applyResidency(net, lowered->fusion, capacity, lowered.value());
        for (std::size_t i = 0; i < workloads.size(); ++i)
            workloadKeys[i] = workloadKey(workloads[i], evaluate);
    }
    if (auto error = evaluateAll(hw, workloads, workloadKeys, evaluate, file, result))
        return *error;
    if (auto error = addOutputStages(hw, workloads, evaluate, file, result))
        return *error;
    for (std::size_t i = 0; i < workloads.size(); ++i) {
        const LayerResult& r = result.layers[i];
        if (r.outputStagePj > 0)
            addTo(result.nonMacEnergyPj, "output stage", r.outputStagePj);
        if (workloads[i].unit == WorkUnit::Vector && r.energyPj > 0)
            addTo(result.nonMacEnergyPj, operatorName(net.layers()[static_cast<std::size_t>(lowered->layerOf[i])]), r.energyPj);
    }
    const PhysicalDesign physicalDesign = physicalDesignOf(platform, hw);
    const PhysicalOverhead physical = platform.asic() ? physicalOverhead(physicalDesign, platform.techLibrary().physical) : PhysicalOverhead{};
    addTotals(result, hw, physical);
    if (auto error = addCost(result, platform, hw, physical, file))
        return *error;
    for (const auto& w : hw.warnings())
        result.warnings.push_back(w);
    if (tmpl.info().datapath == DatapathKind::Fixed)
        if (auto w = fixedDatapathWarning(tmpl.info().name, resolveDatapath(inputs), workloads,
                                          tmpl.info().param("pack_weights") ? std::optional<bool>(params.flag("pack_weights")) : std::nullopt))
            result.warnings.push_back(*w);
    for (const auto& w : net.warnings())
        result.warnings.push_back("network: " + w);
    if (internals != nullptr) {
        internals->design = built.value();
        internals->workloads = workloads;
        internals->evaluate = evaluate;
        internals->params = params.values();
        internals->physical = physicalDesign;
    }
    return result;
}

}  // namespace cdx
