#include "estimators/templates/sparsemvtemplate.h"

#include "core/compression/storagecost.h"
#include "estimators/engine/problemshapes.h"
#include "estimators/templates/templatecommon.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>

namespace cdx {

namespace {

/// Bits to address `count` things (at least 1).
int bitsFor(Dim count)
{
    int bits = 1;
    while (bits < 62 && (Dim{1} << bits) < count)
        ++bits;
    return bits;
}

// Assumptions of the model (not from the published designs):
constexpr Dim kMvPipelineCycles = 8;     // pointer read, index decode, weight read, multiply, accumulate: drained once per matrix
constexpr Dim kEwPipelineCycles = 12;    // adders, table lookups and point-wise multipliers of the element-wise unit
constexpr double kPeControlLuts = 300;   // FINN-R's fixed cost of a compute unit: pointer and column control of a PE

/// What the engine needs to know about one layer, gathered from all its workloads at build.
struct LayerPlan {
    double storedDensity = 1;  ///< stored entries (padding zeros included) over dense weights
    double bitsPerWeight = 0;  ///< all stored weight bits (values, indices, pointers) per dense weight
    double effectiveShare = 1; ///< performed over the lowered problem's MACs (its kept weights)
    bool circulant = false;    ///< circulant blocks: walked expanded, as dense
    bool balancedGroups = false;  ///< top-k and n:m: every group keeps the same count, no per-column spread
    bool onChip = true;
    Dim denseWeights = 0;
    Dim storedBits = 0;
    // Recurrent layers: the cells the element-wise unit updates per input vector and step.
    Dim cells = 0;
    Dim steps = 1;
    Dim vectors = 1;
    int functionsPerCell = 0;  ///< sigmoid and tanh lookups
    int productsPerCell = 0;   ///< point-wise multiplies (peepholes included)
};

struct SparseMvConfig {
    Dim pes = 64;
    Dim channels = 1;
    Dim queueDepth = 8;
    Dim ewLanes = 1;
    Dim tableEntries = 2048;
    Datapath dp;
    int indexBits = 4;
    bool columnPointers = false;  ///< csc storage: a start and end pointer per column and PE
    bool multipliersInLuts = false;
    double weightMemoryBits = 0;
    double dramBytesPerCycle = 0;  ///< 0: unlimited
    // Sizes the per-PE memories are built for (the largest over the network).
    Dim maxRowsPerPe = 1;
    Dim maxColumns = 1;
    Dim totalColumns = 1;
    Dim maxCells = 0;
    int functionsPerCell = 0;
    int productsPerCell = 0;
};

/// Gathers each layer's plan from its workloads and sizes the design.
std::map<std::string, LayerPlan> planLayers(const std::vector<Workload>& network, SparseMvConfig& c)
{
    std::map<std::string, LayerPlan> plans;
    for (const Workload& w : network) {
        LayerPlan& plan = plans[w.layer];
        const WorkloadEffect& e = w.effect;
        plan.storedBits = e.weightBits;
        const PruningKind kind = w.compression.pruning.kind;
        plan.balancedGroups = kind == PruningKind::TopK || kind == PruningKind::NM || kind == PruningKind::None;
        if (w.unit != WorkUnit::Array || w.weightsAreActivations)
            continue;
        // Performed over the lowered problem's MACs: its kept weights (the values stored, per
        // dense weight, spread over the MACs structural pruning left). A circulant matrix has no
        // zeros to skip: the engine walks every product of its expanded blocks (it has no FFT).
        const double lowered = static_cast<double>(w.macs), dense = static_cast<double>(w.denseMacs) * e.inputChannelKeep;
        plan.effectiveShare = kind == PruningKind::Circulant || lowered <= 0 ? 1.0 : std::clamp(e.weightDensity * std::max(dense, lowered) / lowered, 0.0, 1.0);
        plan.circulant = kind == PruningKind::Circulant;
        const auto b = [&](int d) { return w.problem.bounds[static_cast<std::size_t>(d)]; };
        plan.denseWeights += w.weightElements;
        c.maxRowsPerPe = std::max(c.maxRowsPerPe, ceilDiv(b(kDimM) * b(kDimG), c.pes));
        const Dim columns = b(kDimC) * b(kDimR) * b(kDimS) * b(kDimG);
        c.maxColumns = std::max(c.maxColumns, columns);
        c.totalColumns += columns;
        if (w.kind == LayerKind::Lstm || w.kind == LayerKind::Gru || w.kind == LayerKind::Rnn) {
            const Dim gates = w.kind == LayerKind::Lstm ? 4 : w.kind == LayerKind::Gru ? 3 : 1;
            if (w.name.size() >= 6 && w.name.compare(w.name.size() - 6, 6, ".gates") == 0) {
                plan.cells = std::max(plan.cells, b(kDimM) * b(kDimG) / gates);
                plan.steps = std::max<Dim>(w.repeat, 1);
                plan.vectors = b(kDimN);
                plan.functionsPerCell = w.kind == LayerKind::Lstm ? 5 : w.kind == LayerKind::Gru ? 4 : 1;  // LSTM: 3 sigmoid, 2 tanh
                plan.productsPerCell = w.kind == LayerKind::Lstm ? 3 : w.kind == LayerKind::Gru ? 3 : 0;
            }
        }
    }
    for (auto& [name, plan] : plans) {
        // Peephole products (the cell's MACs) are multiplies of the element-wise unit too.
        for (const Workload& w : network)
            if (w.layer == name && w.unit == WorkUnit::Vector && plan.cells > 0 && w.macs > 0)
                plan.productsPerCell += static_cast<int>(w.macs / std::max<Dim>(1, plan.cells * plan.steps * plan.vectors));
        if (plan.denseWeights > 0 && plan.storedBits > 0) {
            plan.bitsPerWeight = static_cast<double>(plan.storedBits) / static_cast<double>(plan.denseWeights);
            for (const Workload& w : network)
                if (w.layer == name && w.effect.weightValueBits > 0) {
                    const double entries = static_cast<double>(w.effect.weightBits - w.effect.weightMetadataBits) / w.effect.weightValueBits;
                    plan.storedDensity = plan.circulant ? 1.0 : std::clamp(entries / static_cast<double>(plan.denseWeights), 1e-9, 1.0);
                    break;
                }
        } else {
            plan.bitsPerWeight = c.dp.weightBits;
        }
        c.maxCells = std::max(c.maxCells, plan.cells);
        c.functionsPerCell = std::max(c.functionsPerCell, plan.functionsPerCell);
        c.productsPerCell = std::max(c.productsPerCell, plan.productsPerCell);
    }
    return plans;
}

/// Weights on chip, layer by layer in network order, while they fit; the rest stream.
double placeWeights(const std::vector<Workload>& network, std::map<std::string, LayerPlan>& plans, double capacityBits)
{
    double used = 0;
    std::vector<std::string> order;
    for (const Workload& w : network)
        if (std::find(order.begin(), order.end(), w.layer) == order.end())
            order.push_back(w.layer);
    for (const std::string& name : order) {
        LayerPlan& plan = plans[name];
        const double bits = plan.bitsPerWeight * static_cast<double>(plan.denseWeights);
        plan.onChip = used + bits <= capacityBits;
        if (plan.onChip)
            used += bits;
    }
    return used;
}

/// The building blocks, costed once on the platform.
struct Components {
    ComponentCost mac, weightMemory, pointerMemory, accumulators, queue, inputBuffer, table, cellState, multiplier, adder, dram;
};

class SparseMvDesign : public HardwareDesign {
public:
    SparseMvDesign(SparseMvConfig config, std::map<std::string, LayerPlan> plans, const Platform& platform, std::string summary, std::string key,
                   std::vector<std::string> warnings)
        : c_(std::move(config)), plans_(std::move(plans)), clockHz_(platform.clockHz()), fpga_(platform.isFpga()), summary_(std::move(summary)),
          key_(std::move(key)), warnings_(std::move(warnings))
    {
        costComponents(platform);
        buildInventory(platform);
        for (const auto& [name, r] : fpgaItems_)
            luts_ += r.lut;
        double ffs = 0;
        for (const auto& [name, r] : fpgaItems_)
            ffs += r.ff;
        staticW_ = platform.staticPowerW() + platform.clockTreePowerW(ffs);
    }

    std::string describe() const override { return summary_; }
    double peakMacsPerCycle() const override { return static_cast<double>(c_.pes * c_.channels); }
    double clockHz() const override { return clockHz_; }
    double staticPowerW() const override { return staticW_; }
    std::vector<std::string> warnings() const override { return warnings_; }
    std::string cacheKey() const override { return key_; }
    std::optional<PeSpec> processingElement(const Workload& w) const override
    {
        return peOnDatapath(w, c_.dp, PeMode::Sparse, 1, static_cast<double>(c_.pes * c_.channels),
                            "sparse_mv: a PE takes one non-zero weight (value and column index) per cycle and channel from its "
                            "interleaved rows, reading the activation of that column (ESE); pes x channels of them");
    }
    std::vector<std::pair<std::string, FpgaResources>> fpgaResources() const override { return fpga_ ? fpgaItems_ : decltype(fpgaItems_){}; }

    std::vector<AreaItem> area() const override
    {
        if (fpga_)
            return {};
        return areaItems_;
    }

    Result<LayerResult> evaluate(const Workload& w, const EvaluateOptions&) const override
    {
        LayerResult r = layerResultFor(w);
        addLoweringNote(r, w);
        const auto it = plans_.find(w.layer);
        const LayerPlan plan = it != plans_.end() ? it->second : LayerPlan{};
        if (w.unit == WorkUnit::None) {
            r.unit = "none";
            return r;
        }
        if (w.unit == WorkUnit::Vector)
            evaluateVector(w, plan, r);
        else
            evaluateMatrix(w, plan, r);
        r.latencyS = static_cast<double>(r.cycles) / clockHz_;
        r.energyBreakdownPj.emplace_back("logic", luts_ * logicPjPerLut_ * static_cast<double>(r.cycles));
        if (!fpga_)
            r.energyBreakdownPj.emplace_back("leakage", leakPjPerCycle_ * static_cast<double>(r.cycles));
        for (const auto& [name, pj] : r.energyBreakdownPj)
            r.energyPj += pj;
        return r;
    }

private:
    void costComponents(const Platform& p)
    {
        const Datapath& dp = c_.dp;
        const Dim pes = c_.pes;
        m_.mac = p.mac(dp.format, dp.weightBits, dp.activationBits, dp.accumulatorBits, c_.multipliersInLuts);
        const int entryBits = dp.weightBits + c_.indexBits;
        const Dim entriesPerPe = std::max<Dim>(1, static_cast<Dim>(c_.weightMemoryBits / static_cast<double>(entryBits)) / pes);
        m_.weightMemory = p.memory(MemoryStyle::Sram, entriesPerPe, entryBits, 1);
        // Column pointers in two banks (even and odd columns): a column's start and end in one cycle (EIE).
        m_.pointerMemory = p.memory(MemoryStyle::Sram, ceilDiv(c_.totalColumns, 2), bitsFor(entriesPerPe + 1), 1);
        // Accumulators of all channels side by side, double-buffered: the next matrix fills one
        // half while the element-wise unit drains the other.
        m_.accumulators = p.memory(MemoryStyle::Sram, 2 * c_.maxRowsPerPe, static_cast<int>(c_.channels) * dp.accumulatorBits, 1);
        m_.queue = p.memory(MemoryStyle::RegisterFile, c_.queueDepth, static_cast<int>(c_.channels) * dp.activationBits + bitsFor(c_.maxColumns), 1);
        m_.inputBuffer = p.memory(MemoryStyle::Sram, 2 * c_.maxColumns, dp.activationBits, 1);
        m_.table = p.memory(MemoryStyle::Sram, c_.tableEntries, dp.activationBits, 1);
        m_.cellState = p.memory(MemoryStyle::Sram, std::max<Dim>(1, c_.maxCells), dp.activationBits, 1);
        m_.multiplier = p.mac(NumberFormat::Fixed, dp.activationBits, dp.activationBits, 2 * dp.activationBits, false);
        m_.adder = p.vectorOp(dp.accumulatorBits);
        m_.dram = p.dramAccess(1);
        if (p.isFpga()) {
            const FpgaFamilyPower& power = p.fpgaLibrary().familyPower(*p.device());
            logicPjPerLut_ = (power.lutFj + power.netFj) * 1e-3;
        }
    }

    void add(const std::string& name, const ComponentCost& cost, double count)
    {
        const FpgaResources r = cost.fpga.scaled(count);
        fpgaItems_.emplace_back(name, r);
        areaItems_.push_back(areaItem(name, cost, count));
        leakPjPerCycle_ += cost.leakPj * count;
    }

    void buildInventory(const Platform& p)
    {
        const Datapath& dp = c_.dp;
        const auto pes = static_cast<double>(c_.pes), channels = static_cast<double>(c_.channels);
        if (fpga_ && !c_.multipliersInLuts) {
            const DspKind& dsp = p.fpgaLibrary().dspKinds.at(p.device()->dspKind);
            // The channels of a PE multiply the same weight: packed DSPs share that operand.
            ComponentCost macs = m_.mac;
            macs.fpga.dsp = static_cast<double>(dspsForMultiplies(dsp, dp.weightBits, dp.activationBits, c_.channels, true));
            add("MACs", macs, pes);
        } else {
            add("MACs", m_.mac, pes * channels);
        }
        add("weight memory", m_.weightMemory, pes);
        if (c_.columnPointers)
            add("pointer memory", m_.pointerMemory, 2 * pes);
        add("accumulators", m_.accumulators, pes);
        add("activation queues", m_.queue, pes);
        add("input buffers", m_.inputBuffer, channels);
        ComponentCost control;
        // Per PE: the relative-index decoder (an adder over the row address) and the column control.
        control.fpga.lut = kPeControlLuts + 2.0 * bitsFor(c_.maxRowsPerPe);
        control.fpga.ff = control.fpga.lut;
        control.areaUm2 = p.isFpga() ? 0 : p.vectorOp(bitsFor(c_.maxRowsPerPe)).areaUm2 * 4;
        add("PE control", control, pes);
        if (c_.maxCells > 0) {
            const double lanes = channels * static_cast<double>(c_.ewLanes);
            add("sigmoid and tanh tables", m_.table, lanes * c_.functionsPerCell);
            add("element-wise multipliers", m_.multiplier, lanes * c_.productsPerCell);
            add("element-wise adders", m_.adder, lanes * (c_.functionsPerCell + 2));  // bias per gate, the cell update, the output
            add("cell state", m_.cellState, channels);
        }
        ComponentCost top;
        top.fpga = fpgaControl();
        if (fpga_)
            add("control, DMA and host interface", top, 1);
    }

    /// Cycles of one pass over a matrix (all channels at once) and the entries it walks.
    struct Pass {
        double computeCycles = 0;
        double dramCycles = 0;
        double entries = 0;   ///< all PEs, padding zeros included
        double columns = 0;   ///< columns walked (nonzero activations)
        double streamedBits = 0;
    };

    Pass matrixPass(const Workload& w, const LayerPlan& plan, Dim channelsInPass) const
    {
        const auto b = [&](int d) { return w.problem.bounds[static_cast<std::size_t>(d)]; };
        const double rowsPerColumn = static_cast<double>(b(kDimM));  // a column of group g meets the M rows of that group
        const double columns = static_cast<double>(b(kDimC) * b(kDimR) * b(kDimS) * b(kDimG));
        const double pes = static_cast<double>(c_.pes);
        const double pd = plan.storedDensity;
        // A column is skipped only when its activation is zero in every channel.
        const double ad = std::clamp(w.effect.activationDensity, 0.0, 1.0);
        const double activeShare = 1.0 - std::pow(1.0 - ad, static_cast<double>(channelsInPass));
        const double r = rowsPerColumn / pes;  // rows of the column on each PE
        const double mean = r * pd;
        const double imbalance = std::max(1.0, w.effect.imbalance);
        // A PE with no entry in the column still reads its pointers (a cycle).
        const double empty = plan.balancedGroups ? std::max(0.0, 1.0 - mean) : std::pow(1.0 - pd, r);
        // Per-column spread of entries over the PEs (binomial); the queues smooth it over their
        // depth, the broadcast waits for the busiest PE of a window.
        const double sigma = plan.balancedGroups ? 0.0 : std::sqrt(r * pd * (1.0 - pd));
        const double stall = expectedMaxOfNormals(static_cast<double>(c_.pes)) * sigma / std::sqrt(static_cast<double>(c_.queueDepth));
        Pass pass;
        pass.columns = columns * activeShare;
        pass.entries = pass.columns * mean * pes;
        pass.computeCycles = std::ceil(pass.columns * (mean * imbalance + empty + stall)) + static_cast<double>(kMvPipelineCycles);
        if (!plan.onChip) {
            pass.streamedBits = static_cast<double>(w.weightElements) * plan.bitsPerWeight;
            pass.dramCycles = c_.dramBytesPerCycle > 0 ? std::ceil(pass.streamedBits / (8.0 * c_.dramBytesPerCycle)) : 0;
        }
        return pass;
    }

    void evaluateMatrix(const Workload& w, const LayerPlan& plan, LayerResult& r) const
    {
        r.unit = "array";
        const auto b = [&](int d) { return w.problem.bounds[static_cast<std::size_t>(d)]; };
        const Dim vectors = b(kDimN) * b(kDimP) * b(kDimQ);
        const Dim passesPerStep = ceilDiv(vectors, c_.channels);
        const Dim channelsInPass = std::min(vectors, c_.channels);
        const double passes = static_cast<double>(passesPerStep * std::max<Dim>(w.repeat, 1));
        const Pass pass = matrixPass(w, plan, channelsInPass);
        const double cycles = std::max(pass.computeCycles, pass.dramCycles);
        r.cycles = static_cast<Dim>(cycles * passes);
        r.bound = pass.dramCycles > pass.computeCycles ? "DRAM (weights stream)" : "PEs (entries of the busiest PE)";
        // Performed: the kept weights times the nonzero activations (zero ones are never queued).
        const double activationDensity = std::clamp(w.effect.activationDensity, 0.0, 1.0);
        r.effectiveMacs = static_cast<Dim>(std::llround(static_cast<double>(w.macs) * plan.effectiveShare * activationDensity));
        r.utilization = static_cast<double>(r.effectiveMacs) / (peakMacsPerCycle() * static_cast<double>(std::max<Dim>(r.cycles, 1)));
        const double ch = static_cast<double>(channelsInPass), pes = static_cast<double>(c_.pes);
        const double outputs = static_cast<double>(b(kDimM) * b(kDimG)) * ch;
        auto& e = r.energyBreakdownPj;
        e.emplace_back("mac", pass.entries * ch * m_.mac.readPj * passes);
        e.emplace_back("weight memory", (plan.onChip ? pass.entries * m_.weightMemory.readPj : pass.entries * m_.weightMemory.readPj * 2) * passes);
        if (c_.columnPointers)
            e.emplace_back("pointer memory", pass.columns * pes * 2 * m_.pointerMemory.readPj * passes);
        e.emplace_back("accumulators", (pass.entries * (m_.accumulators.readPj + m_.accumulators.writePj) + pes * c_.maxRowsPerPe * m_.accumulators.readPj) * passes);
        e.emplace_back("activation queues", pass.columns * pes * (m_.queue.readPj + m_.queue.writePj) * passes);
        e.emplace_back("input buffers", (pass.columns * ch * m_.inputBuffer.readPj + outputs * m_.inputBuffer.writePj) * passes);
        e.emplace_back("DRAM", pass.streamedBits * m_.dram.readPj * passes);
        r.accesses.push_back({"weight memory", "Weights", static_cast<Dim>(pass.entries * passes), 0, 0});
        r.accesses.push_back({"accumulators", "Outputs", static_cast<Dim>(pass.entries * passes), 0, static_cast<Dim>(pass.entries * passes)});
        r.accesses.push_back({"input buffers", "Inputs", static_cast<Dim>(pass.columns * ch * passes), 0, 0});
        if (pass.streamedBits > 0)
            r.accesses.push_back({"DRAM", "Weights", static_cast<Dim>(pass.streamedBits / c_.dp.weightBits * passes), 0, 0});
        r.mapping = "rows interleaved over " + std::to_string(c_.pes) + " PEs, " + std::to_string(channelsInPass) + " channels per pass, " +
                    std::to_string(static_cast<long long>(passes)) + " passes; stored density " + std::to_string(plan.storedDensity) +
                    (plan.onChip ? ", weights on chip" : ", weights streamed from DRAM");
    }

    /// A recurrent cell: the element-wise unit updates `ew_lanes` cells per cycle per channel,
    /// between the step's matrices (it needs every gate of a cell, complete only when the PEs
    /// meet). Other element-wise layers run in the PEs' output stages, one element per lane.
    void evaluateVector(const Workload& w, const LayerPlan& plan, LayerResult& r) const
    {
        r.unit = "vector";
        auto& e = r.energyBreakdownPj;
        if (plan.cells > 0) {
            const Dim passes = plan.steps * ceilDiv(plan.vectors, c_.channels);
            r.cycles = passes * (ceilDiv(plan.cells, c_.ewLanes) + kEwPipelineCycles);
            r.bound = "element-wise unit";
            const double cells = static_cast<double>(plan.cells * plan.steps * plan.vectors);
            e.emplace_back("element-wise tables", cells * plan.functionsPerCell * m_.table.readPj);
            e.emplace_back("element-wise multipliers", cells * plan.productsPerCell * m_.multiplier.readPj);
            e.emplace_back("element-wise adders", static_cast<double>(w.vectorOps) * m_.adder.readPj);
            e.emplace_back("cell state", cells * (m_.cellState.readPj + m_.cellState.writePj));
            return;
        }
        r.cycles = ceilDiv(w.vectorOps, c_.pes * c_.channels);
        r.bound = "PE output stages";
        e.emplace_back("vector", static_cast<double>(w.vectorOps) * m_.adder.readPj);
    }

    SparseMvConfig c_;
    std::map<std::string, LayerPlan> plans_;
    double clockHz_ = 0;
    bool fpga_ = false;
    std::string summary_;
    std::string key_;
    std::vector<std::string> warnings_;
    Components m_;
    std::vector<std::pair<std::string, FpgaResources>> fpgaItems_;
    std::vector<AreaItem> areaItems_;
    double luts_ = 0, logicPjPerLut_ = 0, leakPjPerCycle_ = 0, staticW_ = 0;
};

}  // namespace

SparseMvTemplate::SparseMvTemplate()
{
    info_.name = "sparse_mv";
    info_.exploits.elementSparsity = true;
    info_.summary = "sparse matrix-vector PEs with interleaved rows, compressed sparse columns, activation queues, channels sharing each weight "
                    "fetch and an element-wise unit for recurrent cells (EIE, ESE / Descartes, E-LSTM)";
    info_.model = "analytical: per matrix the busiest PE's entries (padding zeros, measured imbalance, empty-column pointer reads, "
                  "queue-smoothed per-column spread), weights streamed from DRAM when they do not fit on chip";
    // The PEs' output stages with sigmoid and tanh tables (ESE, Han et al., FPGA 2017).
    info_.outputStage = OutputStage{.scale = true, .clamp = true, .piecewise = true, .lookup = true, .residual = false, .pool = false};
    info_.nonMacLayers = "recurrent cells on the element-wise unit (sigmoid and tanh tables, point-wise multipliers) between the step's "
                         "matrices; other element-wise layers in the PEs' output stages";
    info_.params = {
        {"pes", ParamType::Integer, 1, 4096, 64, {}, "PEs", "processing elements; row r of every matrix is on PE r mod pes"},
        {"channels", ParamType::Integer, 1, 1024, 1, {}, "inputs", "input vectors (utterances, batch) processed at once: MACs per PE sharing each weight fetch"},
        {"activation_queue_depth", ParamType::Integer, 1, 1024, 8, {}, "entries", "activation queue per PE: smooths the per-column spread of work"},
        {"weight_memory_kib", ParamType::Real, 0, 1 << 24, 0, {}, "KiB",
         "on-chip weight memory over all PEs; 0 = sized to the network's compressed weights (FPGA: at most the block memory the other memories leave)"},
        {"ew_lanes", ParamType::Integer, 1, 4096, 1, {}, "cells/cycle", "cells the element-wise unit updates per cycle per channel"},
        {"table_entries", ParamType::Integer, 16, 1 << 20, 2048, {}, "entries", "entries of each sigmoid and tanh lookup table"},
        {"multipliers", ParamType::Choice, 0, 0, "auto", {"auto", "lut", "dsp"}, "",
         "FPGA: auto puts shift (log2, binary, ternary) and narrow (4-bit, or 8 bits together) multiplies in LUTs, others in DSP slices"},
    };
    for (auto& p : commonParams(0, 0))
        if (p.name != "vector_lanes" && p.name != "word_bits")
            info_.params.push_back(p);
    PresetSpec eie;
    eie.name = "eie";
    eie.description = "EIE: 64 PEs at 800 MHz in 45 nm, 16-bit activations, 4-bit codebook weights and 4-bit relative indices, 8 MiB of weight SRAM";
    eie.params = {{"pes", 64}, {"channels", 1}, {"activation_queue_depth", 8}, {"weight_memory_kib", 8192}, {"weight_bits", 4}, {"activation_bits", 16},
                  {"accumulator_bits", 24}};
    eie.platform = {{"kind", "asic"}, {"node_nm", 45}, {"vdd", 1.0}, {"clock_mhz", 800}, {"dram", "lpddr4"}};
    eie.source = "Han et al., EIE (ISCA 2016), as the issue gives it (45 nm, 64 PEs, 800 MHz); the 128 KiB of sparse-matrix SRAM per PE and the "
                 "24-bit accumulators are assumptions";
    PresetSpec descartes;
    descartes.name = "descartes";
    descartes.description = "ESE / Descartes on the Kintex XCKU060 at 200 MHz: 32 PEs, 32 channels (utterances) sharing each weight fetch";
    descartes.params = {{"pes", 32}, {"channels", 32}, {"activation_queue_depth", 8}, {"weight_memory_kib", 0}, {"ew_lanes", 1}, {"dram_bandwidth_gbs", 25.6}};
    descartes.platform = {{"kind", "fpga"}, {"device", "xcku060"}, {"clock_mhz", 200}, {"dram", "ddr3"}};
    descartes.source = "Guo et al., IEEE Micro 2017, and Z. Wang, Nanjing University (32 PEs, 200 MHz, 32 channels, CSC, lookup-table sigmoid and tanh); the queue depth (EIE's 8), one cell "
                       "per cycle per channel and two DDR3-1600 banks (25.6 GB/s) are assumptions";
    PresetSpec elstm;
    elstm.name = "elstm";
    elstm.description = "E-LSTM on the Arria 10 SX660 at 200 MHz: batch 8 x 128 PEs, multiply-free log2 weights in LUTs";
    elstm.params = {{"pes", 128}, {"channels", 8}, {"activation_queue_depth", 8}, {"weight_memory_kib", 0}, {"ew_lanes", 1}, {"multipliers", "lut"},
                    {"dram_bandwidth_gbs", 19.2}};
    elstm.platform = {{"kind", "fpga"}, {"device", "arria10_sx660"}, {"clock_mhz", 200}, {"dram", "ddr4"}};
    elstm.source = "Z. Wang (Nanjing University, VLSI DNN implementation) (batch 8 x 128 PEs, 200 MHz, 24 DSP: the multiplies are shifts); one cell per cycle per channel and one DDR4-2400 "
                   "bank (19.2 GB/s) are assumptions";
    info_.presets = {eie, descartes, elstm};
}

namespace {

bool multipliersInLuts(const std::string& choice, const Datapath& dp)
{
    if (choice != "auto")
        return choice == "lut";
    const bool shift = dp.format == NumberFormat::Log2 || dp.format == NumberFormat::Binary || dp.format == NumberFormat::Ternary;
    return shift || isFloatingPoint(dp.format) || (dp.weightBits <= 4 && dp.activationBits <= 4) || dp.weightBits + dp.activationBits <= 8;
}

/// Block RAM (in BRAM36) the per-PE weight memories take for `capacityBits` in all.
double weightMemoryBlocks(const Platform& platform, const SparseMvConfig& c, double capacityBits)
{
    const int entryBits = c.dp.weightBits + c.indexBits;
    const Dim entriesPerPe = std::max<Dim>(1, static_cast<Dim>(capacityBits / static_cast<double>(entryBits)) / c.pes);
    return platform.memory(MemoryStyle::Sram, entriesPerPe, entryBits, 1).fpga.bram36 * static_cast<double>(c.pes);
}

/// On-chip weight capacity: the parameter, else the network's compressed weights; on an FPGA
/// at most what the block memory left by the other memories holds (under the timing-closure cap).
double weightCapacityBits(const DesignInputs& in, const std::map<std::string, LayerPlan>& plans, const SparseMvConfig& c, double otherBlocks)
{
    const double kib = in.params.number("weight_memory_kib");
    if (kib > 0)
        return kib * 8192.0;
    double total = 0;
    for (const auto& [name, plan] : plans)
        total += plan.bitsPerWeight * static_cast<double>(plan.denseWeights);
    total = std::max(total, 1.0);
    if (!in.platform.isFpga())
        return total;
    const FpgaDevice& d = *in.platform.device();
    const double budget = in.platform.fpgaLibrary().caps.bram * static_cast<double>(d.bram18 + d.m20k) / 2.0 - otherBlocks;
    while (total > 1 && weightMemoryBlocks(in.platform, c, total) > budget)
        total *= 0.95;
    return total;
}

}  // namespace

Result<std::unique_ptr<HardwareDesign>> SparseMvTemplate::build(const DesignInputs& in) const
{
    const TemplateParams& p = in.params;
    SparseMvConfig c;
    c.dp = resolveDatapath(in);
    c.pes = p.integer("pes");
    c.channels = p.integer("channels");
    c.queueDepth = p.integer("activation_queue_depth");
    c.ewLanes = p.integer("ew_lanes");
    c.tableEntries = p.integer("table_entries");
    c.multipliersInLuts = multipliersInLuts(p.choice("multipliers"), c.dp);
    c.indexBits = 0;
    std::size_t signature = 0;
    std::vector<std::string> warnings;
    for (const Workload& w : in.network) {
        if (w.unit == WorkUnit::Array && w.compression.pruning.kind != PruningKind::None) {
            c.indexBits = std::max(c.indexBits, w.compression.storage.indexBits);
            const StorageFormat format = w.compression.storage.format == StorageFormat::Auto ? naturalFormat(w.compression.pruning.kind) : w.compression.storage.format;
            c.columnPointers = c.columnPointers || format == StorageFormat::Csc;
        }
        signature = signature * 1000003u ^ std::hash<std::string>{}(w.name + w.describe() + w.compression.key());
        if (w.unit == WorkUnit::Array && w.compression.pruning.kind == PruningKind::LoadBalanced && w.effect.pes != c.pes && w.name.find(".gates") != std::string::npos)
            warnings.push_back(w.layer + ": the pruning balances " + std::to_string(w.effect.pes) + " PEs, the design has " + std::to_string(c.pes) +
                               "; the imbalance is the plan's");
    }
    auto plans = planLayers(in.network, c);
    double otherBlocks = 0;
    if (in.platform.isFpga()) {
        c.weightMemoryBits = 1;
        const SparseMvDesign probe(c, plans, in.platform, {}, {}, {});
        for (const auto& [name, r] : probe.fpgaResources())
            otherBlocks += name == "weight memory" ? 0.0 : r.bram36;
    }
    c.weightMemoryBits = weightCapacityBits(in, plans, c, otherBlocks);
    const double onChipBits = placeWeights(in.network, plans, c.weightMemoryBits);
    const double bytesPerSecond = in.platform.dramBandwidth(p.number("dram_bandwidth_gbs"));
    c.dramBytesPerCycle = bytesPerSecond > 0 ? bytesPerSecond / in.platform.clockHz() : 0;
    std::size_t streamed = 0;
    for (const auto& [name, plan] : plans)
        if (!plan.onChip && plan.denseWeights > 0)
            ++streamed;
    if (streamed > 0)
        warnings.push_back(std::to_string(streamed) + " layers' weights do not fit the " + kibText(static_cast<double>(c.weightMemoryBits)) +
                           " KiB weight memory and stream from DRAM every pass");
    if (std::any_of(in.network.begin(), in.network.end(), [](const Workload& w) { return w.unit == WorkUnit::Array && w.problem.bounds[kDimR] * w.problem.bounds[kDimS] > 1; }))
        warnings.push_back("convolutions run as matrix-vector products, one output pixel per input vector");
    const std::string summary = std::to_string(c.pes) + " PEs x " + std::to_string(c.channels) + " channels, " +
                                kibText(onChipBits) + " KiB weights on chip, queues of " +
                                std::to_string(c.queueDepth) + ", " + c.dp.describe();
    const std::string key = designCacheKey(info_.name, in, c.dp) + "|net " + std::to_string(signature);
    return std::unique_ptr<HardwareDesign>(
        std::make_unique<SparseMvDesign>(std::move(c), std::move(plans), in.platform, summary, key, std::move(warnings)));
}

}  // namespace cdx
