#include "estimators/templates/dataflowpipelinetemplate.h"

#include "estimators/engine/problemshapes.h"
#include "estimators/pe/pelimits.h"
#include "estimators/templates/templatecommon.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>

namespace cdx {

namespace {

std::vector<Dim> divisors(Dim n)
{
    std::vector<Dim> out;
    for (Dim d = 1; d * d <= n; ++d)
        if (n % d == 0) {
            out.push_back(d);
            if (d != n / d)
                out.push_back(n / d);
        }
    std::sort(out.begin(), out.end());
    return out;
}

/// One module of the pipeline at one folding.
struct StageCost {
    Dim cycles = 0;  ///< per inference
    FpgaResources resources;
    double areaUm2 = 0;
    double energyPj = 0;  ///< per inference, dynamic
    std::vector<std::pair<std::string, double>> breakdown;
    std::string folding;
};

/// A stage: its workload and the foldings it may take, least parallel first.
struct Stage {
    Workload workload;  // a copy: the design outlives the caller's list
    std::vector<std::pair<Dim, Dim>> foldings;  ///< (SIMD, PE), or (lanes, 1) for vector stages
    std::size_t choice = 0;
    StageCost cost;
};

struct PipelineConfig {
    Datapath dp;
    std::string multipliers = "auto";
    Dim fifoDepth = 32;
    double logicPjPerLut = 0;
};

class StageModel {
public:
    StageModel(const Platform& platform, PipelineConfig config) : platform_(platform), c_(std::move(config))
    {
        if (platform.isFpga()) {
            const FpgaFamilyPower& power = platform.fpgaLibrary().familyPower(*platform.device());
            c_.logicPjPerLut = (power.lutFj + power.netFj) * 1e-3;
        }
    }

    std::vector<std::pair<Dim, Dim>> foldings(const Workload& w) const
    {
        std::vector<std::pair<Dim, Dim>> out;
        if (w.unit == WorkUnit::Array) {
            const auto b = [&](int d) { return w.problem.bounds[static_cast<std::size_t>(d)]; };
            const Dim rs = b(kDimR) * b(kDimS);
            const Dim simdOf = rs > 1 && b(kDimC) > 1 ? b(kDimC) : b(kDimC) * rs;  // FINN: SIMD divides the channels of a convolution
            const auto simd = divisors(simdOf);
            for (Dim s : simd)
                out.emplace_back(s, 1);
            for (Dim pe : divisors(b(kDimM) * b(kDimG)))
                if (pe > 1)
                    out.emplace_back(simd.back(), pe);
        } else if (w.unit == WorkUnit::Vector) {
            const Dim channels = std::max<Dim>(1, w.outputElements / std::max<Dim>(1, w.repeat));
            for (Dim lanes = 1; lanes <= channels; lanes *= 2) {
                out.emplace_back(lanes, 1);
                if (lanes > (Dim{1} << 20))
                    break;
            }
        }
        if (out.empty())
            out.emplace_back(1, 1);
        return out;
    }

    StageCost cost(const Workload& w, Dim simd, Dim pe) const
    {
        StageCost s;
        const int wb = std::max(1, w.compression.weights.bits), ab = std::max(1, w.compression.activations.bits);
        const int acc = c_.dp.accumulatorBits;
        const Dim repeat = std::max<Dim>(w.repeat, 1);
        if (w.unit == WorkUnit::None)
            return s;
        if (w.unit == WorkUnit::Vector) {
            s.cycles = ceilDiv(w.vectorOps, simd);
            s.resources.lut = 100 + 2.0 * ab * static_cast<double>(simd);
            s.resources.ff = s.resources.lut;
            const ComponentCost op = platform_.vectorOp(ab);
            s.areaUm2 = op.areaUm2 * static_cast<double>(simd);
            s.breakdown.emplace_back("vector", static_cast<double>(w.vectorOps) * op.readPj);
            addFifo(s, simd * ab);
            s.folding = "lanes " + std::to_string(simd);
            finish(s);
            return s;
        }
        const auto b = [&](int d) { return w.problem.bounds[static_cast<std::size_t>(d)]; };
        const Dim mw = b(kDimC) * b(kDimR) * b(kDimS);        // dot-product length
        const Dim mh = b(kDimM) * b(kDimG);                    // neurons (filters) over the groups
        const Dim pixels = b(kDimN) * b(kDimP) * b(kDimQ);
        const Dim mults = simd * pe;
        s.cycles = ceilDiv(mw, simd) * ceilDiv(mh, pe) * pixels * repeat;
        // Multipliers: DSP slices for wide operands (or when asked), LUTs for narrow ones.
        const bool fpga = platform_.isFpga();
        bool inLuts = c_.multipliers == "lut" || isFloatingPoint(w.compression.weights.format);
        if (c_.multipliers == "auto")
            inLuts = inLuts || (wb <= 4 && ab <= 4) || wb + ab <= 8;
        const ComponentCost mac = platform_.mac(w.compression.weights.format, wb, ab, acc, inLuts);
        if (fpga) {
            const Dim addTree = lutsPerAdderTree(wb, ab, simd);
            const double perPe = (inLuts ? static_cast<double>(simd) * static_cast<double>(lutsPerMultiply(wb, ab)) : 0) + static_cast<double>(addTree) + acc;
            s.resources.lut = 300 + 1.1 * static_cast<double>(pe) * perPe;
            s.resources.ff = 0.9 * s.resources.lut;
            if (!inLuts) {
                const DspKind& dsp = platform_.fpgaLibrary().dspKinds.at(platform_.device()->dspKind);
                s.resources.dsp = static_cast<double>(dspsForMultiplies(dsp, wb, ab, mults, true));
            }
        } else {
            s.areaUm2 = mac.areaUm2 * static_cast<double>(mults);
        }
        s.breakdown.emplace_back("mac", static_cast<double>(w.macs) * mac.readPj);
        // All weights on chip: PE x SIMD weights per cycle, (MW/SIMD)(MH/PE) words deep.
        if (!w.weightsAreActivations) {
            const Dim depth = ceilDiv(mw, simd) * ceilDiv(mh, pe);
            const Dim width = mults * wb;
            const bool small = depth * width <= 16384;  // FINN puts small weight memories in LUTs
            const ComponentCost mem = platform_.memory(small ? MemoryStyle::RegisterFile : MemoryStyle::Sram, depth, static_cast<int>(std::min<Dim>(width, 1 << 20)), 1);
            s.resources += mem.fpga;
            s.areaUm2 += mem.areaUm2;
            s.breakdown.emplace_back("weight memory", static_cast<double>(s.cycles) * mem.readPj);
        }
        // Sliding-window generator of a convolution: k rows of the input, all channels.
        if (b(kDimR) * b(kDimS) > 1) {
            const Dim win = b(kDimQ) * 2 + b(kDimS);
            const Dim depth = ceilDiv(b(kDimR) * win * b(kDimC) * b(kDimG), simd);
            const ComponentCost mem = platform_.memory(depth * simd * ab <= 16384 ? MemoryStyle::RegisterFile : MemoryStyle::Sram, depth,
                                                       static_cast<int>(simd * ab), 1);
            s.resources += mem.fpga;
            s.areaUm2 += mem.areaUm2;
            s.breakdown.emplace_back("sliding window", static_cast<double>(w.inputElements) / static_cast<double>(simd) * (mem.readPj + mem.writePj));
        }
        addFifo(s, pe * ab);
        s.breakdown.emplace_back("logic", s.resources.lut * c_.logicPjPerLut * static_cast<double>(s.cycles));
        s.folding = "SIMD " + std::to_string(simd) + ", PE " + std::to_string(pe);
        finish(s);
        return s;
    }

private:
    void addFifo(StageCost& s, Dim widthBits) const
    {
        const ComponentCost fifo = platform_.memory(MemoryStyle::RegisterFile, c_.fifoDepth, static_cast<int>(std::min<Dim>(widthBits, 1 << 20)), 1);
        s.resources += fifo.fpga;
        s.areaUm2 += fifo.areaUm2;
    }

    static void finish(StageCost& s)
    {
        for (const auto& [name, pj] : s.breakdown)
            s.energyPj += pj;
    }

    const Platform& platform_;
    PipelineConfig c_;
};

class DataflowPipelineDesign : public HardwareDesign {
public:
    DataflowPipelineDesign(std::map<std::string, Stage> stages, double clockHz, bool fpga, double staticW, std::string summary,
                           std::string key, std::vector<std::string> warnings)
        : stages_(std::move(stages)), clockHz_(clockHz), fpga_(fpga), staticW_(staticW), summary_(std::move(summary)), key_(std::move(key)),
          warnings_(std::move(warnings))
    {
        for (const auto& [name, stage] : stages_)
            if (stage.workload.unit == WorkUnit::Array)
                peak_ += static_cast<double>(stage.foldings[stage.choice].first * stage.foldings[stage.choice].second);
    }

    std::string describe() const override { return summary_; }
    double peakMacsPerCycle() const override { return peak_; }
    double clockHz() const override { return clockHz_; }
    bool pipelined() const override { return true; }
    double staticPowerW() const override { return staticW_; }
    std::vector<std::string> warnings() const override { return warnings_; }
    std::string cacheKey() const override { return key_; }
    /// A stage's matrix-vector unit (FINN's MVAU): PE rows, each a SIMD-wide dot product with an
    /// adder tree, at the layer's own precision.
    std::optional<PeSpec> processingElement(const Workload& w) const override
    {
        const auto it = stages_.find(w.name);
        if (it == stages_.end() || w.unit != WorkUnit::Array)
            return std::nullopt;
        const auto [simd, pe] = it->second.foldings[it->second.choice];
        Datapath dp;
        dp.weightBits = w.compression.weights.bits;
        dp.activationBits = w.compression.activations.bits;
        dp.accumulatorBits = w.compression.accumulatorBits > 0 ? w.compression.accumulatorBits : std::min(kPeLimits.accumulatorBits, dp.weightBits + dp.activationBits + 16);
        return peOnDatapath(w, dp, PeMode::DenseSpatial, static_cast<int>(simd), static_cast<double>(pe),
                            "dataflow_pipeline: this layer's stage folds to SIMD " + std::to_string(simd) + " x PE " + std::to_string(pe) +
                                " (each PE a SIMD-wide dot product)");
    }

    std::vector<std::pair<std::string, FpgaResources>> fpgaResources() const override
    {
        if (!fpga_)
            return {};
        std::vector<std::pair<std::string, FpgaResources>> items;
        for (const auto& [name, stage] : stages_)
            if (stage.workload.unit != WorkUnit::None)
                items.emplace_back(name, stage.cost.resources);
        return items;
    }

    std::vector<AreaItem> area() const override
    {
        if (fpga_)
            return {};
        std::vector<AreaItem> items;
        for (const auto& [name, stage] : stages_)
            if (stage.cost.areaUm2 > 0)
                items.push_back({name, stage.cost.areaUm2 * 1e-6});
        return items;
    }

    Result<LayerResult> evaluate(const Workload& w, const EvaluateOptions&) const override
    {
        LayerResult r = layerResultFor(w);
        const auto it = stages_.find(w.name);
        addLoweringNote(r, w);
        if (it == stages_.end() || w.unit == WorkUnit::None) {
            r.unit = "none";
            return r;
        }
        const Stage& stage = it->second;
        r.unit = w.unit == WorkUnit::Array ? "array" : "vector";
        r.cycles = stage.cost.cycles;
        r.latencyS = static_cast<double>(r.cycles) / clockHz_;
        r.energyPj = stage.cost.energyPj;
        r.energyBreakdownPj = stage.cost.breakdown;
        r.bound = "stage (" + stage.cost.folding + ")";
        if (w.unit == WorkUnit::Array) {
            const auto [simd, pe] = stage.foldings[stage.choice];
            r.utilization = static_cast<double>(w.macs) / (static_cast<double>(simd * pe) * static_cast<double>(std::max<Dim>(r.cycles, 1)));
        }
        r.mapping = stage.cost.folding;
        return r;
    }

private:
    std::map<std::string, Stage> stages_;
    double clockHz_ = 0;
    bool fpga_ = false;
    double staticW_ = 0;
    double peak_ = 0;
    std::string summary_;
    std::string key_;
    std::vector<std::string> warnings_;
};

}  // namespace

DataflowPipelineTemplate::DataflowPipelineTemplate()
{
    info_.name = "dataflow_pipeline";
    info_.datapath = DatapathKind::PerLayer;
    info_.summary = "one streaming module per layer with FIFOs, all weights on chip, per-layer PE x SIMD unrolling folded automatically (HALF DNNU, FINN)";
    info_.model = "analytical: FINN's folding (cycles = MW/SIMD x MH/PE x pixels per stage) and FINN-R resources; throughput set by the slowest stage";
    // Batch norm and any monotonic activation become the thresholds of the layer's matrix-vector unit
    // (FINN, Umuroglu et al., FPGA 2017).
    info_.outputStage = OutputStage{.scale = true, .clamp = true, .piecewise = true, .lookup = true, .residual = false, .pool = false};
    info_.nonMacLayers = "their own streaming modules (pooling, element-wise, activation) with lanes folded like the MAC layers";
    info_.params = {
        {"target_fps", ParamType::Real, 0, 1e9, 0, {}, "inferences/s", "fold to this throughput; 0 = as fast as the device's resources allow (needed on an ASIC)"},
        {"multipliers", ParamType::Choice, 0, 0, "auto", {"auto", "lut", "dsp"}, "", "auto: operands of 4 bits or fewer (or 8 bits together) in LUTs, others in DSP slices"},
        {"fifo_depth", ParamType::Integer, 2, 1 << 20, 32, {}, "words", "depth of the FIFO after each module"},
        {"max_steps", ParamType::Integer, 1, 1 << 24, 100000, {}, "", "bound on the folding search's steps"},
    };
    for (auto& p : commonParams(0, 0))
        if (p.name != "dram_bandwidth_gbs" && p.name != "vector_lanes")
            info_.params.push_back(p);
    PresetSpec dnnu;
    dnnu.name = "dnnu";
    dnnu.description = "the SustainML/HALF DNN unit: FP8 (1-5-2) weights and activations, multipliers in LUTs, one module per layer on a Zynq UltraScale+ ZU3EG at 200 MHz";
    dnnu.params = {{"multipliers", "lut"}, {"accumulator_bits", 16}};
    dnnu.platform = {{"kind", "fpga"}, {"device", "zu3eg"}, {"clock_mhz", 200}, {"dram", "ddr4"}};
    dnnu.source = "the SustainML framework (sustainml.eu) (HALF DNNU: streaming modules, FIFOs, on-chip weights, filter- and dot-product unrolling); the device and clock are assumptions";
    PresetSpec finn;
    finn.name = "finn_pynq";
    finn.description = "a FINN dataflow build on the PYNQ-Z1 (XC7Z020) at 100 MHz";
    finn.params = {{"multipliers", "auto"}};
    finn.platform = {{"kind", "fpga"}, {"device", "xc7z020"}, {"clock_mhz", 100}, {"dram", "ddr3"}};
    finn.source = "FINN's PYNQ-Z1 builds (FINN-R, Blott et al., ACM TRETS 2018: resource rules, device totals, timing-closure caps)";
    info_.presets = {dnnu, finn};
}

Result<std::unique_ptr<HardwareDesign>> DataflowPipelineTemplate::build(const DesignInputs& in) const
{
    const TemplateParams& p = in.params;
    PipelineConfig config;
    config.dp = resolveDatapath(in);
    config.multipliers = p.choice("multipliers");
    config.fifoDepth = p.integer("fifo_depth");
    const double fps = p.number("target_fps");
    const bool fpga = in.platform.isFpga();
    if (!fpga && fps <= 0)
        return Error{ExitCode::BadInput, {}, "/hardware/params/target_fps",
                     "a dataflow pipeline on an ASIC needs a throughput target (target_fps > 0): there are no device resources to fold to"};
    const StageModel model(in.platform, config);

    std::map<std::string, Stage> stages;
    std::size_t signature = 0;
    for (const Workload& w : in.network) {
        Stage stage;
        stage.workload = w;
        stage.foldings = model.foldings(w);
        stage.cost = model.cost(w, stage.foldings[0].first, stage.foldings[0].second);
        signature = signature * 1000003u ^ std::hash<std::string>{}(w.name + w.describe() + std::to_string(w.compression.weights.bits) + "/" +
                                                                   std::to_string(w.compression.activations.bits));
        stages[w.name] = std::move(stage);
    }
    // Fold: give the slowest stage more parallelism until the target is met or a resource
    // would pass its cap (FINN's timing-closure fractions of the device).
    FpgaResources used;
    for (const auto& [name, stage] : stages)
        used += stage.cost.resources;
    FpgaResources budget;
    if (fpga) {
        const FpgaDevice& d = *in.platform.device();
        const FpgaUtilisationCaps& caps = in.platform.fpgaLibrary().caps;
        budget = {caps.lut * static_cast<double>(d.lut), caps.ff * static_cast<double>(d.ff), caps.dsp * static_cast<double>(d.dsp),
                  caps.bram * static_cast<double>(d.bram18) / 2.0, caps.uram * static_cast<double>(d.uram)};
    }
    const Dim targetCycles = fps > 0 ? static_cast<Dim>(std::floor(in.platform.clockHz() / fps)) : 0;
    const Dim maxSteps = p.integer("max_steps");
    std::string stopReason = "the folding search's max_steps (" + std::to_string(maxSteps) + ") ran out";
    bool stepsRanOut = true;
    for (Dim step = 0; step < maxSteps; ++step) {
        Stage* slowest = nullptr;
        for (auto& [name, stage] : stages)
            if (!slowest || stage.cost.cycles > slowest->cost.cycles)
                slowest = &stage;
        if (!slowest || slowest->cost.cycles <= std::max<Dim>(targetCycles, 1)) {
            stepsRanOut = false;
            break;
        }
        if (slowest->choice + 1 >= slowest->foldings.size()) {
            stopReason = "the slowest stage, " + slowest->workload.name + ", is fully unrolled";
            stepsRanOut = false;
            break;
        }
        const auto [simd, pe] = slowest->foldings[slowest->choice + 1];
        StageCost next = model.cost(slowest->workload, simd, pe);
        FpgaResources trial = used;
        trial.lut += next.resources.lut - slowest->cost.resources.lut;
        trial.ff += next.resources.ff - slowest->cost.resources.ff;
        trial.dsp += next.resources.dsp - slowest->cost.resources.dsp;
        trial.bram36 += next.resources.bram36 - slowest->cost.resources.bram36;
        trial.uram += next.resources.uram - slowest->cost.resources.uram;
        if (fpga && (trial.lut > budget.lut || trial.ff > budget.ff || trial.dsp > budget.dsp || trial.bram36 > budget.bram36 || trial.uram > budget.uram)) {
            stopReason = "unrolling " + slowest->workload.name + " further would pass the device's resource caps";
            stepsRanOut = false;
            break;
        }
        used = trial;
        slowest->choice += 1;
        slowest->cost = std::move(next);
    }
    Dim slowestCycles = 0;
    double ffs = 0;
    for (const auto& [name, stage] : stages) {
        slowestCycles = std::max(slowestCycles, stage.cost.cycles);
        ffs += stage.cost.resources.ff;
    }
    // What the folding reached goes in the summary; only a fold that fell short of its target,
    // or a search that ran out of steps, is a warning.
    const std::string reached = "slowest stage " + std::to_string(slowestCycles) + " cycles: " +
                                std::to_string(static_cast<long long>(slowestCycles > 0 ? in.platform.clockHz() / static_cast<double>(slowestCycles) : 0)) +
                                " inferences/s";
    std::vector<std::string> warnings;
    const bool targetMissed = fps > 0 && slowestCycles > std::max<Dim>(targetCycles, 1);
    if (targetMissed)
        warnings.push_back("folding: the target of " + std::to_string(static_cast<long long>(fps)) + " inferences/s is not met: " + stopReason +
                           "; " + reached);
    else if (stepsRanOut)
        warnings.push_back("folding: " + stopReason + "; " + reached);
    const double staticW = in.platform.staticPowerW() + in.platform.clockTreePowerW(ffs);
    std::string summary = std::to_string(stages.size()) + " streaming modules, weights on chip, folded " +
                          (fps > 0 ? "to " + std::to_string(static_cast<long long>(fps)) + " inferences/s" : std::string("to the device")) + " (" +
                          reached + "), " + config.dp.describe();
    const std::string key = designCacheKey(info_.name, in, config.dp) + "|net " + std::to_string(signature);
    return std::unique_ptr<HardwareDesign>(std::make_unique<DataflowPipelineDesign>(std::move(stages), in.platform.clockHz(), fpga, staticW,
                                                                                    std::move(summary), key, std::move(warnings)));
}

}  // namespace cdx
