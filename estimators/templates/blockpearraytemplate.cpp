#include "estimators/templates/blockpearraytemplate.h"

#include "estimators/templates/blockpearrayschedule.h"
#include "estimators/templates/templatecommon.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace cdx {

namespace {

using namespace blockpe;

// ---------------------------------------------------------------------------------------------
// The design
// ---------------------------------------------------------------------------------------------

class BlockPeArrayDesign : public HardwareDesign {
public:
    BlockPeArrayDesign(BlockPeConfig c, const Platform& platform, std::string key, const std::vector<Workload>& network)
        : c_(std::move(c)), t_(*platform.asic()), clockHz_(platform.clockHz()), key_(std::move(key))
    {
        const Datapath& dp = c_.dp;
        const Dim rowBits = (spatial() ? c_.blockCols : c_.blockRows) * dp.weightBits;
        macro_ = platform.memory(MemoryStyle::Sram, spatial() ? c_.blockRows : c_.blockCols, std::min<Dim>(c_.macroBits, rowBits) > 0 ? static_cast<int>(std::min<Dim>(c_.macroBits, rowBits)) : 1, 1);
        macros_ = ceilDiv(rowBits, c_.macroBits);
        outputSram_ = platform.memory(MemoryStyle::Sram, 2 * c_.blockRows, dp.activationBits, 1);
        dram_ = platform.dramAccess(64);
        hostCache_ = platform.memory(MemoryStyle::Sram, kHostCacheBytes * 8 / 64, 64, 1);
        sizeRoutingMemories(platform, network);
        key_ += "|routing memory " + std::to_string(schedule_.routingMemoryBits) + (schedule_.weightsResident ? " resident" : " streamed");
        staticW_ = leakageW() + hostPowerW();
        warnings_ = assumptions();
    }

    std::string describe() const override;
    double peakMacsPerCycle() const override { return static_cast<double>(c_.pes) * static_cast<double>(multipliers()); }
    double clockHz() const override { return clockHz_; }
    double staticPowerW() const override { return staticW_; }
    std::vector<std::string> warnings() const override { return warnings_; }
    std::string cacheKey() const override { return key_; }
    std::optional<PeSpec> processingElement(const Workload& w) const override
    {
        const bool sum = spatial();
        return peOnDatapath(w, c_.dp, sum ? PeMode::DenseSpatial : PeMode::DenseTemporal, static_cast<int>(multipliers()),
                            static_cast<double>(c_.pes),
                            sum ? "block_pe_array: a PE's block_cols multipliers feed an adder tree (spatial reduction)"
                                : "block_pe_array: a PE's block_rows multipliers each accumulate one output (temporal reduction)");
    }
    std::vector<AreaItem> area() const override;
    Result<LayerResult> evaluate(const Workload& w, const EvaluateOptions& options) const override;

private:
    /// A Rocket-class in-order RISC-V host (assumption: 100k gate equivalents of logic at 15%
    /// activity, 16 KiB instruction and 16 KiB data caches, 0.5 and 0.3 accesses per cycle).
    static constexpr double kHostGates = 100e3;
    static constexpr double kHostActivity = 0.15;
    static constexpr Dim kHostCacheBytes = 16 * 1024;
    /// Control of a PE: address counters, the schedule's phase counter, the state machine
    /// (assumption: 2k gate equivalents).
    static constexpr double kPeControlGates = 2000;

    bool spatial() const { return c_.reduction == Reduction::Spatial; }
    Dim multipliers() const { return spatial() ? c_.blockCols : c_.blockRows; }
    int selectBits() const { return blockpe::selectBits(c_.pes); }  // a source or idle
    double gatePj() const { return t_.muxEnergyPj(1, 2) / 3; }       // a NAND2: a third of a 2:1 mux bit
    double gateUm2() const { return t_.muxAreaUm2(1, 2) / 3; }

    double routingPjPerActivation(Dim activations) const;
    double routingPhasePj() const;
    void sizeRoutingMemories(const Platform& platform, const std::vector<Workload>& network);
    double treePj(Dim inputs) const;
    double treeUm2(Dim inputs) const;
    double quantiserPj() const;
    std::vector<std::pair<std::string, double>> unitEnergy(const TilePlan& p, bool partialSums) const;
    Result<LayerResult> evaluateArray(const Workload& w, LayerResult r) const;
    Result<LayerResult> evaluateVector(const Workload& w, LayerResult r) const;
    double leakageW() const;
    double hostPowerW() const;
    double peArrayUm2() const;
    std::vector<std::string> assumptions() const;

    BlockPeConfig c_;
    const AsicTechnology& t_;
    double clockHz_ = 0;
    std::string key_;
    std::vector<std::string> warnings_;
    ComponentCost macro_, outputSram_, dram_, hostCache_;
    Dim macros_ = 1;
    ComponentCost routingMemory_;     ///< select SRAM of a PE (mux) or the network's configuration SRAM
    NetworkSchedule schedule_;        ///< the network's plans added up: routing memory, widest pass, weights resident
    double staticW_ = 0;
};

/// The network's schedule, and the routing memory it needs: a select SRAM per PE (mux) or one
/// configuration SRAM.
void BlockPeArrayDesign::sizeRoutingMemories(const Platform& platform, const std::vector<Workload>& network)
{
    schedule_ = scheduleNetwork(c_, network);
    const double bits = std::max(schedule_.routingMemoryBits, 64.0);
    if (c_.routing == Routing::Mux)
        routingMemory_ = platform.memory(MemoryStyle::Sram, static_cast<Dim>(std::ceil(bits / c_.pes / selectBits())), selectBits(), 1);
    else
        routingMemory_ = platform.memory(MemoryStyle::Sram, static_cast<Dim>(std::ceil(bits / 64)), 64, 1);
}

/// Energy of moving one activation from a source PE to a destination PE: the wire across the
/// PE array and the network's multiplexers (the Clos and the crossbar also stage it in a
/// register, since they take all the pass's activations at once).
double BlockPeArrayDesign::routingPjPerActivation(Dim activations) const
{
    const int a = c_.dp.activationBits;
    const double wire = a * t_.wireEnergyPjPerBitMm() * std::sqrt(peArrayUm2() * 1e-6);
    switch (c_.routing) {
    case Routing::Mux: return wire + t_.muxEnergyPj(a, c_.pes);
    case Routing::Clos: {
        const int k = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(std::max<Dim>(activations, 2)))));
        const int groups = static_cast<int>(ceilDiv(std::max<Dim>(activations, 2), k));
        return wire + 2 * t_.muxEnergyPj(a, k) + t_.muxEnergyPj(a, groups) + 2 * t_.registerEnergyPj(a);
    }
    case Routing::Crossbar:
        return wire + t_.muxEnergyPj(a, static_cast<int>(std::min<Dim>(activations, 1 << 20))) + 2 * t_.registerEnergyPj(a);
    }
    return wire;
}

/// The mux network per phase: every PE reads its select, the phase counter its run length.
double BlockPeArrayDesign::routingPhasePj() const
{
    return c_.routing == Routing::Mux ? (c_.pes + 1) * routingMemory_.readPj : 0;
}

/// An adder tree over `inputs` products, each stage one bit wider (Naous (UC Berkeley, edge-inference generators): 9 stages from 8 to
/// 16 bits at 4-bit); never wider than the accumulator.
double BlockPeArrayDesign::treePj(Dim inputs) const
{
    double pj = 0;
    int width = c_.dp.weightBits + c_.dp.activationBits;
    for (Dim n = inputs; n > 1; n = ceilDiv(n, 2), ++width)
        pj += static_cast<double>(n / 2) * t_.addEnergyPj(NumberFormat::Int, std::min(width, c_.dp.accumulatorBits));
    return pj;
}

double BlockPeArrayDesign::treeUm2(Dim inputs) const
{
    double um2 = 0;
    int width = c_.dp.weightBits + c_.dp.activationBits;
    for (Dim n = inputs; n > 1; n = ceilDiv(n, 2), ++width)
        um2 += static_cast<double>(n / 2) * t_.addAreaUm2(NumberFormat::Int, std::min(width, c_.dp.accumulatorBits));
    return um2;
}

/// ReLU (a sign test selecting zero) and the quantiser (a rounding add and a saturating compare).
double BlockPeArrayDesign::quantiserPj() const
{
    const int acc = c_.dp.accumulatorBits;
    return t_.muxEnergyPj(acc, 2) + t_.addEnergyPj(NumberFormat::Int, acc) + t_.comparatorEnergyPj(acc);
}

/// Energy of one tile computing one vector on one PE, by component. Spatial: a weight row per
/// output, a multiplier per input, the adder tree, ReLU and quantiser, the output written;
/// inputs written one per cycle into the input latch and copied to the multipliers' latch.
/// Temporal: a weight column per input, a multiplier and an accumulator per output, the
/// partial-sum registers read and written every cycle, every output quantised at the end.
std::vector<std::pair<std::string, double>> BlockPeArrayDesign::unitEnergy(const TilePlan& p, bool partialSums) const
{
    const Datapath& dp = c_.dp;
    const auto rows = static_cast<double>(p.rows), cols = static_cast<double>(p.cols);
    const double products = rows * cols;
    const double mult = t_.multiplyEnergyPj(dp.format, dp.weightBits, dp.activationBits);
    const Dim readWidth = (spatial() ? p.cols : p.rows) * dp.weightBits;
    const double weightRead = static_cast<double>(ceilDiv(readWidth, c_.macroBits)) * macro_.readPj;
    const double outputs = partialSums ? 0 : rows;  // partial sums go to the host instead
    std::vector<std::pair<std::string, double>> e;
    e.emplace_back("weight SRAM", (spatial() ? rows : cols) * weightRead);
    e.emplace_back("multipliers", products * mult);
    if (spatial()) {
        e.emplace_back("adder tree", rows * treePj(p.cols));
        e.emplace_back("input latch", cols * t_.registerEnergyPj(dp.activationBits) + t_.registerEnergyPj(static_cast<int>(p.cols) * dp.activationBits));
        e.emplace_back("partial sums", 0.0);
    } else {
        e.emplace_back("adder tree", products * t_.addEnergyPj(NumberFormat::Int, dp.accumulatorBits));
        e.emplace_back("input latch", cols * t_.registerEnergyPj(dp.activationBits));
        e.emplace_back("partial sums", products * 2 * t_.registerEnergyPj(dp.accumulatorBits));
    }
    e.emplace_back("quantiser and ReLU", outputs * quantiserPj());
    e.emplace_back("output SRAM", outputs * outputSram_.writePj + cols * outputSram_.readPj);
    e.emplace_back("PE control", (spatial() ? rows : cols) * kPeControlGates * 0.1 * gatePj());  // assumption: 10% activity
    return e;
}

Result<LayerResult> BlockPeArrayDesign::evaluateArray(const Workload& w, LayerResult r) const
{
    r.unit = "array";
    const TilePlan p = planTiles(c_, w);
    const RoutingPlan route = planRouting(c_, w, p);
    const bool partialSums = p.colTiles > 1;
    const Dim compute = spatial() ? p.rows : p.cols;
    // The next vector's inputs are routed while the current one computes (double-buffered
    // input latch); the routing of the first vector is not counted.
    const Dim roundCycles = std::max(compute, route.schedule.cycles);
    const auto repeat = static_cast<double>(std::max<Dim>(w.repeat, 1));
    // Weights: resident in the PEs when the whole network fits them, else loaded per pass.
    const double weightBits = schedule_.weightsResident ? 0 : static_cast<double>(p.tiles * p.replicas * p.rows * p.cols) * c_.dp.weightBits;
    const Dim loadCycles = c_.dramBytesPerCycle > 0 ? static_cast<Dim>(std::ceil(weightBits / 8 / c_.dramBytesPerCycle)) : 0;
    // The host adds the partial sums of a split kernel (mapping II) and applies the activation.
    const double hostAdds = partialSums ? static_cast<double>(p.vectors * p.groups * p.rowTiles * p.rows * (p.colTiles - 1)) : 0;
    const auto hostCycles = static_cast<Dim>(std::ceil(hostAdds / c_.hostOpsPerCycle));
    const Dim peCycles = p.rounds * roundCycles + loadCycles;
    r.cycles = std::max(peCycles, hostCycles) * std::max<Dim>(w.repeat, 1);
    const Dim computeCycles = p.rounds * compute, routeCycles = p.rounds * route.schedule.cycles;
    const Dim slowest = std::max({computeCycles, routeCycles, loadCycles, hostCycles});
    r.bound = slowest == hostCycles ? "host core (partial sums)" : slowest == loadCycles ? "DRAM (weights)" : slowest == routeCycles && routeCycles > computeCycles ? "routing network" : "PEs";
    r.latencyS = static_cast<double>(r.cycles) / clockHz_;
    r.utilization = static_cast<double>(w.macs) / (peakMacsPerCycle() * static_cast<double>(std::max<Dim>(r.cycles, 1)));
    const double units = static_cast<double>(p.tiles * p.vectors);
    for (auto [name, pj] : unitEnergy(p, partialSums))
        r.energyBreakdownPj.emplace_back(name, pj * units * repeat);
    const double routed = units * static_cast<double>(p.cols);
    double routingPj = routed * routingPjPerActivation(route.activations) + static_cast<double>(p.rounds * route.schedule.phases) * routingPhasePj();
    if (c_.routing != Routing::Mux)  // the configuration of each pass read from its SRAM
        routingPj += route.memoryBits / 64 * routingMemory_.readPj;
    r.energyBreakdownPj.emplace_back("routing network", routingPj * repeat);
    r.energyBreakdownPj.emplace_back("DRAM", weightBits / 64 * dram_.readPj * repeat);
    r.energyBreakdownPj.emplace_back("host partial sums", hostAdds * (t_.addEnergyPj(NumberFormat::Int, c_.dp.accumulatorBits) + hostCache_.readPj) * repeat);
    for (const auto& [name, pj] : r.energyBreakdownPj)
        r.energyPj += pj;
    r.accesses.push_back({"weight SRAM", "Weights", static_cast<Dim>(units * static_cast<double>(compute) * repeat), static_cast<Dim>(weightBits / c_.dp.weightBits), 0});
    r.accesses.push_back({"output SRAM", "Outputs", static_cast<Dim>(routed * repeat), 0, static_cast<Dim>(units * static_cast<double>(p.rows) * repeat)});
    r.mapping = p.mapping + "; " + std::to_string(p.tiles) + " tiles of " + std::to_string(p.rows) + " x " + std::to_string(p.cols) + ", " +
                std::to_string(p.passes) + " passes, " + std::to_string(p.replicas) + " replicas, " + std::to_string(p.rounds) + " rounds of " +
                std::to_string(roundCycles) + " cycles; schedule " + std::to_string(route.schedule.cycles) + " cycles in " +
                std::to_string(route.schedule.phases) + " phases";
    if (p.colTiles > 1)
        r.warnings.push_back(w.name + ": the block (" + std::to_string(p.cols * p.colTiles) + " inputs) is wider than a PE; the host core adds the partial sums");
    return r;
}

/// ReLU and batch norm (folded) run in the PEs' output stage; every other non-MAC layer runs
/// on the host core (or on vector_lanes lanes), from its data cache.
Result<LayerResult> BlockPeArrayDesign::evaluateVector(const Workload& w, LayerResult r) const
{
    if (w.kind == LayerKind::Activation || w.kind == LayerKind::BatchNorm) {
        r.unit = "array";
        r.bound = "PE output stage";
        return r;
    }
    r.unit = "host";
    r.cycles = static_cast<Dim>(std::ceil(static_cast<double>(w.vectorOps) / c_.hostOpsPerCycle));
    r.bound = "host core";
    r.latencyS = static_cast<double>(r.cycles) / clockHz_;
    const double pj = static_cast<double>(w.inputElements + w.outputElements) * hostCache_.readPj;
    r.energyBreakdownPj.emplace_back("host data cache", pj);
    r.energyPj = pj;
    return r;
}

Result<LayerResult> BlockPeArrayDesign::evaluate(const Workload& w, const EvaluateOptions&) const
{
    LayerResult r = layerResultFor(w);
    addLoweringNote(r, w);
    if (w.unit == WorkUnit::None) {
        r.unit = "none";
        return r;
    }
    if (w.unit == WorkUnit::Vector)
        return evaluateVector(w, r);
    if (w.weightsAreActivations) {
        r.unit = "host";
        r.cycles = static_cast<Dim>(std::ceil(static_cast<double>(w.macs) / c_.hostOpsPerCycle));
        r.latencyS = static_cast<double>(r.cycles) / clockHz_;
        r.bound = "host core";
        r.warnings.push_back(w.name + ": a product of two activations has no weights to keep in the PEs; it runs on the host core");
        return r;
    }
    return evaluateArray(w, r);
}

/// SRAM leakage of every array (CACTI fit), logic leakage as the technology's fraction of the
/// busy PEs' dynamic energy per cycle.
double BlockPeArrayDesign::leakageW() const
{
    double pjPerCycle = static_cast<double>(c_.pes) * (static_cast<double>(macros_) * macro_.leakPj + outputSram_.leakPj);
    pjPerCycle += routingMemory_.leakPj * (c_.routing == Routing::Mux ? c_.pes : 1);
    TilePlan full;
    full.rows = c_.blockRows;
    full.cols = c_.blockCols;
    double dynamic = 0;
    for (const auto& [name, pj] : unitEnergy(full, false))
        if (name != "weight SRAM" && name != "output SRAM")
            dynamic += pj;
    pjPerCycle += t_.logicLeakageFraction() * dynamic / static_cast<double>(spatial() ? c_.blockRows : c_.blockCols) * c_.pes;
    return pjPerCycle * 1e-12 * clockHz_;
}

double BlockPeArrayDesign::hostPowerW() const
{
    if (!c_.hostCore)
        return 0;
    const double pjPerCycle = kHostGates * kHostActivity * gatePj() + (0.5 + 0.3) * hostCache_.readPj + 2 * hostCache_.leakPj;
    return pjPerCycle * 1e-12 * clockHz_;
}

double BlockPeArrayDesign::peArrayUm2() const
{
    const Datapath& dp = c_.dp;
    const double mults = static_cast<double>(multipliers()) * t_.multiplyAreaUm2(dp.format, dp.weightBits, dp.activationBits);
    double pe = static_cast<double>(macros_) * macro_.areaUm2 + mults + outputSram_.areaUm2 + kPeControlGates * gateUm2();
    if (spatial())
        pe += treeUm2(c_.blockCols) + t_.registerAreaUm2(static_cast<int>(2 * c_.blockCols) * dp.activationBits);
    else
        pe += static_cast<double>(c_.blockRows) * (t_.addAreaUm2(NumberFormat::Int, dp.accumulatorBits) + t_.registerAreaUm2(dp.accumulatorBits));
    return pe * c_.pes;
}

std::vector<AreaItem> BlockPeArrayDesign::area() const
{
    const Datapath& dp = c_.dp;
    const double pes = c_.pes;
    std::vector<AreaItem> items;
    items.push_back(areaItem("weight SRAM", macro_, pes * static_cast<double>(macros_)));
    items.push_back({"multipliers", pes * static_cast<double>(multipliers()) * t_.multiplyAreaUm2(dp.format, dp.weightBits, dp.activationBits) * 1e-6});
    if (spatial()) {
        items.push_back({"adder tree", pes * treeUm2(c_.blockCols) * 1e-6});
        const double latchBits = static_cast<double>(2 * c_.blockCols * dp.activationBits);
        items.push_back({"input latch", pes * t_.registerAreaUm2(static_cast<int>(latchBits)) * 1e-6, AreaKind::Registers, 0, pes * latchBits});
    } else {
        items.push_back({"adder tree", pes * static_cast<double>(c_.blockRows) * t_.addAreaUm2(NumberFormat::Int, dp.accumulatorBits) * 1e-6});
        items.push_back({"partial sums", pes * static_cast<double>(c_.blockRows) * t_.registerAreaUm2(dp.accumulatorBits) * 1e-6, AreaKind::Registers, 0,
                         pes * static_cast<double>(c_.blockRows * dp.accumulatorBits)});
    }
    items.push_back(areaItem("output SRAM", outputSram_, pes));
    items.push_back({"PE control", pes * kPeControlGates * gateUm2() * 1e-6});
    const int a = dp.activationBits;
    const double n = static_cast<double>(schedule_.routedPorts);
    const Dim k = std::max<Dim>(2, static_cast<Dim>(std::ceil(std::sqrt(n))));
    const Dim groups = ceilDiv(schedule_.routedPorts, k);
    double network = 0, networkRegisterUm2 = 0, networkRegisterBits = 0, memories = 1;
    switch (c_.routing) {
    case Routing::Mux:
        network = pes * t_.muxAreaUm2(a, c_.pes);
        memories = pes;
        break;
    case Routing::Clos:
        network = static_cast<double>(groups * k) * 2 * t_.muxAreaUm2(a, static_cast<int>(k)) +
                  static_cast<double>(k * groups) * t_.muxAreaUm2(a, static_cast<int>(groups));
        networkRegisterUm2 = n * t_.registerAreaUm2(a);
        networkRegisterBits = n * a;
        break;
    case Routing::Crossbar:
        network = n * t_.muxAreaUm2(a, static_cast<int>(std::min<Dim>(schedule_.routedPorts, 1 << 20)));
        networkRegisterUm2 = n * t_.registerAreaUm2(a);
        networkRegisterBits = n * a;
        break;
    }
    items.push_back({"routing network", network * 1e-6});
    if (networkRegisterBits > 0)
        items.push_back({"routing registers", networkRegisterUm2 * 1e-6, AreaKind::Registers, 0, networkRegisterBits});
    items.push_back(areaItem(c_.routing == Routing::Mux ? "select SRAM" : "routing configuration SRAM", routingMemory_, memories));
    if (c_.hostCore) {
        items.push_back({"host core (RISC-V, assumption)", kHostGates * gateUm2() * 1e-6});
        items.push_back(areaItem("host caches", hostCache_, 2));
    }
    return items;
}

std::string BlockPeArrayDesign::describe() const
{
    const Datapath& dp = c_.dp;
    const double standard = 2 * peakMacsPerCycle() * clockHz_;
    const double seed = spatial() ? BlockPeArrayTemplate::normalisedOpsPerCycle(c_.blockCols, dp.weightBits, dp.activationBits, dp.accumulatorBits,
                                                                                 dp.activationBits) *
                                        c_.pes * clockHz_
                                  : standard;
    std::ostringstream s;
    s.precision(3);
    s << c_.pes << " PEs of " << c_.blockRows << " x " << c_.blockCols << " blocks, " << (spatial() ? "spatial (adder tree)" : "temporal (accumulators)")
      << " reduction, " << (c_.routing == Routing::Mux ? "output-multiplexed crossbar" : c_.routing == Routing::Clos ? "Clos network" : "full crossbar")
      << ", " << dp.describe() << "; peak " << standard * 1e-12 << " TOPS (2 ops per MAC), " << seed * 1e-12 << " TOPS as Naous (UC Berkeley, edge-inference generators) counts it (every multiply, add, ReLU and quantise normalised to "
      << dp.activationBits << "-bit ops by result width); routing memory " << schedule_.routingMemoryBits / 1024 << " kbit";
    return s.str();
}

std::vector<std::string> BlockPeArrayDesign::assumptions() const
{
    std::vector<std::string> w;
    w.push_back("block_pe_array: the next vector's inputs are routed while the current one computes (double-buffered input latch); one routing fill per layer is not counted");
    w.push_back("block_pe_array: block-diagonal layers see their inputs through a seeded random permutation (the pruner's start); the schedule of the first pass stands for every pass");
    if (c_.routing == Routing::Mux)
        w.push_back("block_pe_array: the select SRAM holds the schedule run-length coded (" + std::to_string(static_cast<long long>(schedule_.routingMemoryBits)) +
                    " bits; one select per PE per cycle would take " + std::to_string(static_cast<long long>(schedule_.muxPerCycleBits)) + " bits)");
    if (!schedule_.weightsResident)
        w.push_back("block_pe_array: the network's weights do not fit the PEs' weight SRAMs; each pass loads its blocks from DRAM");
    if (c_.hostCore)
        w.push_back("block_pe_array: the host RISC-V core is an assumption (100k gate equivalents, 2 x 16 KiB caches), its power charged as static");
    return w;
}

}  // namespace

double BlockPeArrayTemplate::normalisedOpsPerCycle(Dim blockCols, int weightBits, int activationBits, int accumulatorBits, int referenceBits)
{
    const double ref = std::max(referenceBits, 1);
    double ops = static_cast<double>(blockCols) * (weightBits + activationBits) / ref;
    int width = weightBits + activationBits;
    for (Dim n = blockCols; n > 1; n = ceilDiv(n, 2), ++width)
        ops += static_cast<double>(n / 2) * std::min(width, accumulatorBits) / ref;
    return ops + (accumulatorBits + activationBits) / ref;  // the quantiser's rounding add and the ReLU
}

BlockPeArrayTemplate::BlockPeArrayTemplate()
{
    info_.name = "block_pe_array";
    info_.summary = "PEs each holding one dense block of a block-diagonal layer, adder-tree or accumulator reduction, activations routed on a static schedule (APU)";
    info_.model = "analytical: blocks tiled onto PEs (folding when there are more), one output (spatial) or input (temporal) per cycle, the routing network's schedule from the block structure";
    // ReLU and bias in the PEs' output stage.
    info_.outputStage = OutputStage{.scale = true, .clamp = true, .piecewise = false, .lookup = false, .residual = false, .pool = false};
    info_.nonMacLayers = "ReLU and folded batch norm in the PEs' output stage; other layers on the RISC-V host core";
    info_.params = {
        {"pes", ParamType::Integer, 1, 64, 10, {}, "PEs", "processing elements, one block each"},
        {"block_rows", ParamType::Integer, 1, 1 << 16, 400, {}, "outputs", "outputs of a PE's block: the weight SRAM's depth (spatial)"},
        {"block_cols", ParamType::Integer, 1, 1 << 16, 400, {}, "inputs", "inputs of a PE's block: its multipliers (spatial)"},
        {"reduction", ParamType::Choice, 0, 0, "spatial", {"spatial", "temporal"}, "", "adder tree, one output per cycle; or accumulators and a partial-sum register file, one input per cycle"},
        {"routing", ParamType::Choice, 0, 0, "mux", {"mux", "clos", "crossbar"}, "", "output-multiplexed crossbar on a static schedule, a three-stage Clos network, or a full crossbar"},
        {"conv_mapping", ParamType::Choice, 0, 0, "auto", {"auto", "single_pe", "split", "grouped"}, "",
         "Naous (UC Berkeley, edge-inference generators) section 4.4.3: I kernel on one PE, II kernel split over PEs (host adds), III one group per PE; auto picks by fit"},
        {"sram_macro_bits", ParamType::Integer, 1, 4096, 64, {}, "bits", "word width of one weight-SRAM macro; a row is read from several in parallel"},
        {"host_core", ParamType::Boolean, 0, 0, true, {}, "", "a RISC-V host core on the chip (area and power)"},
        {"host_ops_per_cycle", ParamType::Real, 0.01, 1024, 1, {}, "ops/cycle", "the host core's rate for partial sums and non-MAC layers"},
    };
    for (auto& p : commonParams(12.8, 0))
        if (p.name != "word_bits" && p.name != "vector_lanes")
            info_.params.push_back(p);
    PresetSpec apu;
    apu.name = "apu";
    apu.description = "Berkeley APU in 16 nm at 1 GHz, 0.72 V: 10 PEs of 400 x 400 4-bit blocks, spatial reduction, output-multiplexed crossbar, RISC-V host";
    apu.params = {{"pes", 10}, {"block_rows", 400}, {"block_cols", 400}, {"reduction", "spatial"}, {"routing", "mux"},
                  {"weight_bits", 4}, {"activation_bits", 4}, {"accumulator_bits", 16}};
    apu.platform = {{"kind", "asic"}, {"node_nm", 16}, {"vdd", 0.72}, {"clock_mhz", 1000}, {"dram", "lpddr4"}};
    apu.source = "Naous, UC Berkeley, edge-inference generators (10 PEs, 400 x 400 blocks, 4-bit, 9-stage adder tree to 16 bits, 1 GHz, 0.72 V); the macro width and host core are assumptions";
    info_.presets = {apu};
}

Result<std::unique_ptr<HardwareDesign>> BlockPeArrayTemplate::build(const DesignInputs& in) const
{
    if (in.platform.isFpga())
        return Error{ExitCode::BadInput, {}, "/platform/kind", "the block_pe_array template models an ASIC (its costs are SRAM macros and gates); choose an ASIC platform"};
    const TemplateParams& p = in.params;
    BlockPeConfig c;
    c.dp = resolveDatapath(in);
    c.pes = static_cast<int>(p.integer("pes"));
    c.blockRows = p.integer("block_rows");
    c.blockCols = p.integer("block_cols");
    c.reduction = p.choice("reduction") == "temporal" ? Reduction::Temporal : Reduction::Spatial;
    const std::string& routing = p.choice("routing");
    c.routing = routing == "clos" ? Routing::Clos : routing == "crossbar" ? Routing::Crossbar : Routing::Mux;
    const std::string& conv = p.choice("conv_mapping");
    c.conv = conv == "single_pe" ? ConvMapping::SinglePe : conv == "split" ? ConvMapping::Split : conv == "grouped" ? ConvMapping::Grouped : ConvMapping::Auto;
    c.macroBits = static_cast<int>(p.integer("sram_macro_bits"));
    c.hostCore = p.flag("host_core");
    c.hostOpsPerCycle = p.number("host_ops_per_cycle");
    const double bytesPerSecond = in.platform.dramBandwidth(p.number("dram_bandwidth_gbs"));
    c.dramBytesPerCycle = bytesPerSecond > 0 ? bytesPerSecond / in.platform.clockHz() : 0;
    const Datapath dp = c.dp;
    return std::unique_ptr<HardwareDesign>(std::make_unique<BlockPeArrayDesign>(std::move(c), in.platform, designCacheKey(info_.name, in, dp), in.network));
}

}  // namespace cdx
