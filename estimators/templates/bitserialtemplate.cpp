#include "estimators/templates/bitserialtemplate.h"

#include "core/compression/bitpairencoding.h"
#include "estimators/engine/problemshapes.h"
#include "estimators/templates/templatecommon.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>

namespace cdx {

namespace {

enum class Decomposition { Auto, Weight, Activation };

struct BitSerialConfig {
    int rows = 8;
    int cols = 32;
    int taps = 9;                ///< delay registers of a PE's folded FIR filter
    int channelGroup = 16;       ///< input channels between array synchronisations
    double cyclesPerTerm = 2;    ///< cycles of one bit-pair term in the shift-and-add MAC
    bool bitPair = true;         ///< bit-pair encoding (else one term per bit, plain bit-serial)
    bool skipZeros = true;
    Decomposition decomposition = Decomposition::Auto;
    Dim inputBufferBits = 0, weightBufferBits = 0, outputBufferBits = 0;
    double dramBytesPerCycle = 0;
    Datapath dp;
    int peakWeightBits = 8;      ///< the plan's default weight width (at most the datapath's): what the peak is taken at
};

/// The serial operand's add terms per MAC.
struct SerialTerms {
    double mean = 0;
    double variance = 0;
};

class BitSerialDesign : public HardwareDesign {
public:
    BitSerialDesign(BitSerialConfig config, const Platform& platform, std::string summary, std::string key)
        : c_(config), clockHz_(platform.clockHz()), summary_(std::move(summary)), key_(std::move(key))
    {
        const AsicTechnology& t = *platform.asic();
        const int acc = c_.dp.accumulatorBits;
        // A PE: one adder of accumulator width, the partial-sum register and the folded FIR's
        // delay registers (one per tap), the shifter (a 3-input mux: x1, x2, and the 2-bit shift
        // of the bit pair) and the digit's sign (a 2-input mux).
        termPj_ = t.addEnergyPj(NumberFormat::Int, acc) + t.registerEnergyPj(acc) + t.muxEnergyPj(acc, 3) + t.muxEnergyPj(acc, 2);
        peUm2_ = t.addAreaUm2(NumberFormat::Int, acc) + t.muxAreaUm2(acc, 3) + t.muxAreaUm2(acc, 2) + t.muxAreaUm2(acc, c_.taps);
        peRegisterBits_ = static_cast<double>(acc) * (1 + c_.taps);
        peRegisterUm2_ = t.registerAreaUm2(acc) * (1 + c_.taps);
        shiftPj_ = t.registerEnergyPj(acc);  // a zero input only shifts the delay line
        const int a = c_.dp.activationBits, w = c_.dp.weightBits;
        inputBuffer_ = platform.memory(MemoryStyle::Sram, std::max<Dim>(1, c_.inputBufferBits / (a * c_.rows)), a * c_.rows, 1);
        weightBuffer_ = platform.memory(MemoryStyle::Sram, std::max<Dim>(1, c_.weightBufferBits / (w * c_.cols)), w * c_.cols, 1);
        outputBuffer_ = platform.memory(MemoryStyle::Sram, std::max<Dim>(1, c_.outputBufferBits / (acc * c_.cols)), acc * c_.cols, 1);
        dram_ = platform.dramAccess(8);
        staticW_ = platform.staticPowerW();
    }

    std::string describe() const override { return summary_; }
    /// At full use every PE sums all ceil(n/2) bit pairs (or n bits) of an n-bit operand, n the
    /// plan's weight width: a bit-serial array's peak depends on the precision it runs, and taken
    /// at the datapath's widest it would be exceeded by any narrower plan.
    double peakMacsPerCycle() const override { return pes() / (serialSlots(c_.peakWeightBits) * cyclesPerSlot()); }
    double clockHz() const override { return clockHz_; }
    double staticPowerW() const override { return staticW_; }
    std::string cacheKey() const override { return key_; }
    /// One MAC at a time per PE, the weight serial: bit pairs at cycles_per_term cycles each are
    /// 2 / cycles_per_term bits per cycle (1 at FPAP's 2 cycles per term), plain bit-serial 1.
    std::optional<PeSpec> processingElement(const Workload& w) const override
    {
        const int serialBits = c_.bitPair ? std::max(1, static_cast<int>(std::lround(2.0 / c_.cyclesPerTerm))) : 1;
        std::string origin = "bit_serial: " + std::to_string(c_.rows) + " x " + std::to_string(c_.cols) + " PEs, weights serial at " +
                             std::to_string(serialBits) + " bit(s) per cycle";
        if (c_.bitPair && std::abs(2.0 / c_.cyclesPerTerm - serialBits) > 1e-9)
            origin.append(" (nearest to 2 / cycles_per_term)");
        if (c_.skipZeros)
            origin.append("; the estimator counts only the essential (non-zero) bit-pair terms, the RTL PE steps through every bit");
        auto pe = peOnDatapath(w, c_.dp, PeMode::BitSerial, 1, pes(), origin);
        if (pe)
            pe->serialBits = std::min(serialBits, pe->weightBits);
        return pe;
    }
    std::vector<std::string> warnings() const override
    {
        return {"bit_serial: zeros of the parallel operand save only the delay-line shift, not cycles (assumption); the "
                "output-channel reordering that balances the PEs is not modelled (the imbalance is the expected maximum over the columns)"};
    }

    std::vector<AreaItem> area() const override
    {
        return {{"PE array", peUm2_ * pes() * 1e-6},
                {"PE registers", peRegisterUm2_ * pes() * 1e-6, AreaKind::Registers, 0, peRegisterBits_ * pes()},
                areaItem("input buffer", inputBuffer_, 1), areaItem("weight buffer", weightBuffer_, 1),
                areaItem("output buffer", outputBuffer_, 1)};
    }

    Result<LayerResult> evaluate(const Workload& w, const EvaluateOptions&) const override
    {
        LayerResult r = layerResultFor(w);
        addLoweringNote(r, w);
        if (w.unit == WorkUnit::None) {
            r.unit = "none";
            return r;
        }
        if (w.unit == WorkUnit::Vector)
            return evaluateVector(w, r);
        return evaluateArray(w, r);
    }

private:
    double pes() const { return static_cast<double>(c_.rows) * c_.cols; }
    double serialSlots(int bits) const { return c_.bitPair ? std::ceil(bits / 2.0) : bits; }
    double cyclesPerSlot() const { return c_.bitPair ? c_.cyclesPerTerm : 1.0; }

    /// Terms per MAC when `bits`-bit values are the serial operand: the bit pairs with a nonzero
    /// digit (bit-pair encoding) or the bits; zero values skipped when the design skips zeros.
    SerialTerms termsOf(int bits, double density, double measured, double measuredVariance, bool weights) const
    {
        const double qmax = std::max(1.0, std::ldexp(1.0, bits - 1) - 1);
        const double step = 4.0 / qmax;  // Gaussian values, symmetric quantiser to 4 sigma (as the compression analysis assumes)
        if (!c_.bitPair) {
            const double d = c_.skipZeros ? density : 1.0;
            return {bits * d, bits * bits * d * (1 - d)};
        }
        if (weights && measured > 0 && c_.skipZeros)
            return {measured, measuredVariance};
        // Expected over Gaussian values at this width (zero values: 1 - density).
        const BitPairStats kept = gaussianBitPairStats(bits, step, 1.0);
        const double d = c_.skipZeros ? density : 1.0;
        const double mean = d * kept.mean;
        return {mean, d * (kept.variance + kept.mean * kept.mean) - mean * mean};
    }

    /// Terms per dense MAC as terms per MAC of a problem that kept `lowered` of `dense` MACs (the
    /// structurally pruned weights, all zero, left out).
    static SerialTerms perLoweredMac(SerialTerms perDense, double lowered, double dense)
    {
        if (lowered <= 0 || dense <= lowered)
            return perDense;
        const double share = lowered / dense;
        const double mean = perDense.mean / share;
        const double second = (perDense.variance + perDense.mean * perDense.mean) / share;
        return {mean, std::max(0.0, second - mean * mean)};
    }

    Result<LayerResult> evaluateVector(const Workload& w, LayerResult r) const
    {
        // Pooling and ReLU in the output path, one element per column per cycle.
        r.unit = "vector";
        r.bound = "vector";
        r.cycles = static_cast<Dim>(ceilDivReal(static_cast<double>(w.vectorOps), c_.cols));
        r.latencyS = static_cast<double>(r.cycles) / clockHz_;
        return r;
    }

    Result<LayerResult> evaluateArray(const Workload& w, LayerResult r) const
    {
        r.unit = "array";
        const auto& bd = w.problem.bounds;
        const auto b = [&](int d) { return static_cast<double>(bd[static_cast<std::size_t>(d)]); };
        const double N = b(kDimN), G = b(kDimG), C = b(kDimC), M = b(kDimM), R = b(kDimR), S = b(kDimS), P = b(kDimP), Q = b(kDimQ);
        const double repeat = static_cast<double>(std::max<Dim>(w.repeat, 1));
        const WorkloadEffect& e = w.effect;
        // The serial operand, per layer: the one with fewer add terms per MAC of the lowered problem.
        // The weights' terms are per dense weight (pruned weights count 0), so they also count the
        // structural pruning (channels, groups, blocks) the lowered problem has already dropped:
        // taken over the weights left instead, not scaled down twice.
        const SerialTerms wt = perLoweredMac(termsOf(e.weightValueBits, e.weightDensity, e.essentialTermsPerWeight, e.essentialTermsVariance, true),
                                             static_cast<double>(w.macs), static_cast<double>(w.denseMacs) * e.inputChannelKeep);
        const SerialTerms at = termsOf(e.activationBits, e.activationDensity, 0, 0, false);
        bool weightSerial = wt.mean <= at.mean;
        if (c_.decomposition != Decomposition::Auto)
            weightSerial = c_.decomposition == Decomposition::Weight;
        const SerialTerms& st = weightSerial ? wt : at;
        r.precision += weightSerial ? ", weights serial" : ", activations serial";
        // Mapping: columns = output channels, rows = output rows (a PE's folded FIR convolves a
        // row); fully connected layers spread the input channels over the rows.
        const double mTiles = ceilDivReal(M, c_.cols);
        const double perPeMacs = P > 1 ? ceilDivReal(P, c_.rows) * Q * C * R * S : ceilDivReal(C, c_.rows) * P * Q * R * S;
        // The array waits for its slowest column at every channel group: terms vary per value.
        const double perSync = std::min<double>(C, c_.channelGroup) * R * S * (weightSerial ? 1.0 : Q);
        const double cv = st.mean > 0 ? std::sqrt(st.variance) / st.mean : 0;
        const double imbalance = 1 + expectedMaxOfNormals(std::min<double>(M, c_.cols)) * cv / std::sqrt(std::max(perSync, 1.0));
        const double terms = static_cast<double>(w.macs) * st.mean;  // add terms summed
        const double computeCycles = N * G * mTiles * perPeMacs * st.mean * cyclesPerSlot() * imbalance;
        // DRAM: weights as stored, inputs and outputs once (the buffers hold a layer's tiles).
        const double aB = e.activationBits / 8.0;
        const double weightBytes = static_cast<double>(e.weightBits) / 8.0;
        const double ioBytes = static_cast<double>(w.inputElements + w.outputElements) / repeat * aB;
        const double dramBytes = weightBytes + ioBytes;
        const double memoryCycles = c_.dramBytesPerCycle > 0 ? dramBytes / c_.dramBytesPerCycle : 0;
        const double cycles = std::max(computeCycles, memoryCycles);
        r.bound = memoryCycles > computeCycles ? "DRAM" : "PE array";
        r.cycles = static_cast<Dim>(std::ceil(cycles * repeat));
        r.latencyS = static_cast<double>(r.cycles) / clockHz_;
        // Performed: the add terms in MACs at the peak's precision (a MAC of a plan-width serial
        // operand has all its bit pairs; one with fewer essential terms is a fraction of one), so
        // that executed ops and utilization compare with the peak. Busy: the add-term cycles of all
        // PEs over the layer's cycles, the same ratio (the cycles hold every term, with the
        // column imbalance and the partly filled tiles on top).
        r.effectiveMacs = static_cast<Dim>(std::llround(terms / serialSlots(c_.peakWeightBits)));
        r.utilization = terms * cyclesPerSlot() / (pes() * std::max(1.0, static_cast<double>(r.cycles)));
        // Energy: the add terms, a delay-line shift per MAC, buffer words (inputs broadcast along
        // the rows once per column tile, weights once per row tile, partial sums per channel group), DRAM.
        const double macs = static_cast<double>(w.macs);
        const double inputReads = static_cast<double>(w.inputElements) / repeat * mTiles / c_.rows;
        const double weightReads = G * M * C * R * S * N * (P > 1 ? ceilDivReal(P, c_.rows) : 1) / c_.cols;
        const double psumAccesses = 2 * N * G * M * P * Q * ceilDivReal(C, c_.channelGroup) / c_.cols;
        r.energyBreakdownPj.emplace_back("add terms", terms * termPj_);
        r.energyBreakdownPj.emplace_back("delay lines", macs * shiftPj_);
        r.energyBreakdownPj.emplace_back("input buffer", inputReads * inputBuffer_.readPj * repeat);
        r.energyBreakdownPj.emplace_back("weight buffer", weightReads * weightBuffer_.readPj * repeat);
        r.energyBreakdownPj.emplace_back("output buffer", psumAccesses * (outputBuffer_.readPj + outputBuffer_.writePj) / 2 * repeat);
        r.energyBreakdownPj.emplace_back("DRAM", dramBytes * dram_.readPj * repeat);
        for (const auto& [name, pj] : r.energyBreakdownPj)
            r.energyPj += pj;
        r.accesses.push_back({"DRAM", "all", static_cast<Dim>(dramBytes / std::max(aB, 0.125) * repeat), 0, 0});
        return r;
    }

    BitSerialConfig c_;
    double clockHz_ = 0;
    std::string summary_, key_;
    double termPj_ = 0, shiftPj_ = 0, peUm2_ = 0, staticW_ = 0;
    double peRegisterUm2_ = 0, peRegisterBits_ = 0;  ///< per PE: the partial sum and the delay line
    ComponentCost inputBuffer_, weightBuffer_, outputBuffer_, dram_;
};

}  // namespace

BitSerialTemplate::BitSerialTemplate()
{
    info_.name = "bit_serial";
    info_.exploits.elementSparsity = true;  // zero weights and activations skipped, essential terms only
    info_.datapath = DatapathKind::Scalable;
    info_.summary = "array of precision-adjustable shift-and-add MACs (folded FIR filters) with bit-pair encoding and zero skipping (FPAP, Stripes)";
    info_.model = "analytical: cycles per MAC = the serial operand's essential add terms (bit-pair digits, from the real weights or a Gaussian), "
                  "weight or activation decomposition per layer, column imbalance at every channel-group synchronisation, DRAM bound";
    // Pooling and ReLU in the output path (Stripes, Judd et al., MICRO 2016).
    info_.outputStage = OutputStage{.scale = true, .clamp = true, .piecewise = false, .lookup = false, .residual = false, .pool = true};
    info_.nonMacLayers = "pooling and ReLU in the output path, one element per column per cycle";
    info_.params = {
        {"rows", ParamType::Integer, 1, 1024, 8, {}, "PEs", "PE rows (output rows in parallel)"},
        {"cols", ParamType::Integer, 1, 1024, 32, {}, "PEs", "PE columns (output channels in parallel)"},
        {"taps", ParamType::Integer, 1, 64, 9, {}, "", "delay registers of each PE's folded FIR filter"},
        {"channel_group", ParamType::Integer, 1, 4096, 16, {}, "channels", "input channels between synchronisations of the array"},
        {"cycles_per_term", ParamType::Real, 0.5, 8, 2, {}, "cycles", "cycles a bit-pair add term takes (2: one bit per cycle, FPAP's peak)"},
        {"bit_pair_encoding", ParamType::Boolean, 0, 1, true, {}, "", "bit-pair (radix-4) encoding: sum only the nonzero digits; off: one term per bit"},
        {"skip_zeros", ParamType::Boolean, 0, 1, true, {}, "", "skip zero values of the serial operand"},
        {"decomposition", ParamType::Choice, 0, 0, "auto", {"auto", "weight", "activation"}, "", "serial operand: per layer the one with fewer terms, or fixed"},
        {"input_buffer_kib", ParamType::Real, 1, 1 << 16, 32, {}, "KiB", "input feature buffer"},
        {"weight_buffer_kib", ParamType::Real, 1, 1 << 16, 16, {}, "KiB", "weight buffer"},
        {"output_buffer_kib", ParamType::Real, 1, 1 << 16, 32, {}, "KiB", "partial-sum buffer"},
    };
    for (auto& p : commonParams(12.8, 0))
        if (p.name != "vector_lanes")
            info_.params.push_back(p);
    PresetSpec fpap;
    fpap.name = "fpap";
    fpap.description = "FPAP (Z. Wang (Nanjing University, VLSI DNN implementation)): 8 x 32 folded precision-adjustable MACs, bit-pair encoding, 28nm at 1 GHz";
    fpap.params = {{"rows", 8}, {"cols", 32}, {"weight_bits", 16}, {"activation_bits", 16}, {"accumulator_bits", 32}};
    fpap.platform = {{"kind", "asic"}, {"node_nm", 28}, {"vdd", 0.9}, {"clock_mhz", 1000}, {"dram", "lpddr4"}};
    fpap.source = "Z. Wang (Nanjing University, VLSI DNN implementation) (8x32/256 MACs, TSMC 28nm, 1 GHz); the buffer sizes are assumptions";
    info_.presets = {fpap};
}

Result<std::unique_ptr<HardwareDesign>> BitSerialTemplate::build(const DesignInputs& in) const
{
    if (in.platform.isFpga() || in.platform.asic() == nullptr)
        return Error{ExitCode::BadInput, {}, {}, "template bit_serial models an ASIC; give an asic platform"};
    const TemplateParams& p = in.params;
    BitSerialConfig c;
    c.dp = resolveDatapath(in);
    c.peakWeightBits = std::clamp(in.weights.bits, 1, c.dp.weightBits);
    c.rows = static_cast<int>(p.integer("rows"));
    c.cols = static_cast<int>(p.integer("cols"));
    c.taps = static_cast<int>(p.integer("taps"));
    c.channelGroup = static_cast<int>(p.integer("channel_group"));
    c.cyclesPerTerm = p.number("cycles_per_term");
    c.bitPair = p.flag("bit_pair_encoding");
    c.skipZeros = p.flag("skip_zeros");
    const std::string d = p.choice("decomposition");
    c.decomposition = d == "weight" ? Decomposition::Weight : d == "activation" ? Decomposition::Activation : Decomposition::Auto;
    c.inputBufferBits = static_cast<Dim>(p.number("input_buffer_kib") * 8192);
    c.weightBufferBits = static_cast<Dim>(p.number("weight_buffer_kib") * 8192);
    c.outputBufferBits = static_cast<Dim>(p.number("output_buffer_kib") * 8192);
    const double bytesPerSecond = in.platform.dramBandwidth(p.number("dram_bandwidth_gbs"));
    c.dramBytesPerCycle = bytesPerSecond > 0 ? bytesPerSecond / in.platform.clockHz() : 0;
    std::string summary = std::to_string(c.rows) + " x " + std::to_string(c.cols) + " shift-and-add MACs" + (c.bitPair ? ", bit-pair encoding" : ", bit-serial") +
                          (c.skipZeros ? ", zero skipping" : "") + ", " + c.dp.describe();
    return std::unique_ptr<HardwareDesign>(std::make_unique<BitSerialDesign>(
        c, in.platform, std::move(summary), designCacheKey(info_.name, in, c.dp) + "|peak w" + std::to_string(c.peakWeightBits)));
}

}  // namespace cdx
