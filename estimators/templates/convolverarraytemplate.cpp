#include "estimators/templates/convolverarraytemplate.h"

#include "estimators/engine/problemshapes.h"
#include "estimators/templates/templatecommon.h"

#include <algorithm>
#include <cmath>

namespace cdx {

namespace {

/// The coefficient of `dim` in the inputs' projection: the convolution's stride along it.
Dim strideOf(const Problem& p, int dim)
{
    if (p.dataSpaceCount() <= kInputs)
        return 1;
    for (const auto& axis : p.dataSpaces[kInputs].projection)
        for (const auto& term : axis)
            if (term.dim == dim)
                return std::max<Dim>(term.coefficient, 1);
    return 1;
}

struct ConvolverArrayConfig {
    int pes = 2;
    int convolvers = 16;
    int kernel = 3;
    Dim inputBufferBits = 0;
    Dim outputBufferBits = 0;
    Dim weightBufferBits = 0;
    Dim lineWidth = 224;
    double dramBytesPerCycle = 0;  ///< 0: unlimited
    Datapath dp;
    int multipliersInDsp = 0;
    int multipliersInLuts = 0;
};

class ConvolverArrayDesign : public HardwareDesign {
public:
    ConvolverArrayDesign(ConvolverArrayConfig config, const Platform& platform, std::string summary, std::string key,
                         std::vector<std::string> warnings)
        : c_(config), clockHz_(platform.clockHz()), fpga_(platform.isFpga()), summary_(std::move(summary)), key_(std::move(key)),
          warnings_(std::move(warnings))
    {
        const Datapath& dp = c_.dp;
        dspMac_ = platform.mac(dp.format, dp.weightBits, dp.activationBits, dp.accumulatorBits, false);
        lutMac_ = platform.mac(dp.format, dp.weightBits, dp.activationBits, dp.accumulatorBits, true);
        if (!fpga_)
            lutMac_ = dspMac_;
        const int k2 = c_.kernel * c_.kernel;
        const int convolversTotal = c_.pes * c_.convolvers;
        // Buffers: the input buffer delivers one word per convolver per cycle, the output
        // buffer one partial sum per PE, the weight buffer a kernel per convolver.
        inputBuffer_ = platform.memory(MemoryStyle::Sram, c_.inputBufferBits / (c_.convolvers * dp.activationBits), c_.convolvers * dp.activationBits, 1);
        outputBuffer_ = platform.memory(MemoryStyle::Sram, c_.outputBufferBits / (c_.pes * dp.accumulatorBits), c_.pes * dp.accumulatorBits, 1);
        weightBuffer_ = platform.memory(MemoryStyle::Sram, c_.weightBufferBits / (k2 * dp.weightBits), k2 * dp.weightBits, 1);
        // A convolver keeps k - 1 rows of its input channel.
        lineBuffer_ = platform.memory(MemoryStyle::Sram, c_.lineWidth, (c_.kernel - 1) * dp.activationBits, 1);
        lineBuffers_ = convolversTotal;
        dram_ = platform.dramAccess(8);  // per byte
        // Logic: an adder tree per convolver (k^2 products) and per PE (its convolvers), the
        // accumulators and the pooling and activation units, control.
        const Dim convolverTree = lutsPerAdderTree(dp.weightBits, dp.activationBits, k2);
        const Dim peTree = static_cast<Dim>(dp.accumulatorBits) * (2 * c_.convolvers - 1);
        adderLuts_ = 1.1 * static_cast<double>(convolverTree * convolversTotal + peTree * c_.pes);
        adderFfs_ = static_cast<double>((dp.weightBits + dp.activationBits) * k2 * convolversTotal + dp.accumulatorBits * c_.convolvers * c_.pes);
        poolLuts_ = static_cast<double>(c_.pes) * (300 + 4.0 * dp.accumulatorBits);  // max/compare, ReLU, the shift of the radix point
        if (fpga_) {
            const FpgaFamilyPower& power = platform.fpgaLibrary().familyPower(*platform.device());
            logicPjPerLut_ = (power.lutFj + power.netFj) * 1e-3;
        } else {
            logicPjPerLut_ = 0;
        }
        // Static: the device, the processing system, the clock manager and the clock tree.
        staticW_ = platform.staticPowerW() + platform.clockTreePowerW(totalFfs());
    }

    std::string describe() const override { return summary_; }
    double peakMacsPerCycle() const override { return static_cast<double>(c_.pes) * c_.convolvers * c_.kernel * c_.kernel; }
    double clockHz() const override { return clockHz_; }
    double staticPowerW() const override { return staticW_; }
    std::vector<std::string> warnings() const override { return warnings_; }
    std::string cacheKey() const override { return key_; }
    std::optional<PeSpec> processingElement(const Workload& w) const override
    {
        const int taps = c_.kernel * c_.kernel;
        return peOnDatapath(w, c_.dp, PeMode::DenseSpatial, taps, static_cast<double>(c_.pes) * c_.convolvers,
                            "convolver_array: a " + std::to_string(c_.kernel) + "x" + std::to_string(c_.kernel) +
                                " convolver sums its taps in an adder tree; pes x convolvers_per_pe of them");
    }

    std::vector<std::pair<std::string, FpgaResources>> fpgaResources() const override
    {
        if (!fpga_)
            return {};
        std::vector<std::pair<std::string, FpgaResources>> items;
        FpgaResources dsp;
        dsp.dsp = c_.multipliersInDsp;
        items.emplace_back("multipliers (DSP)", dsp);
        FpgaResources lut = lutMac_.fpga;
        lut.lut *= c_.multipliersInLuts;
        lut.ff *= c_.multipliersInLuts;
        items.emplace_back("multipliers (LUT)", lut);
        FpgaResources tree;
        tree.lut = adderLuts_;
        tree.ff = adderFfs_;
        items.emplace_back("adder trees", tree);
        auto memory = [&](const char* name, const ComponentCost& m, double n) {
            items.emplace_back(name, m.fpga.scaled(n));
        };
        memory("line buffers", lineBuffer_, lineBuffers_);
        memory("input buffer", inputBuffer_, 1);
        memory("output buffer", outputBuffer_, 1);
        memory("weight buffer", weightBuffer_, 1);
        FpgaResources pool;
        pool.lut = poolLuts_;
        pool.ff = poolLuts_;
        items.emplace_back("pooling and activation", pool);
        items.emplace_back("control, DMA and AXI", fpgaControl(kPeControlLuts * c_.pes));
        return items;
    }

    std::vector<AreaItem> area() const override
    {
        if (fpga_)
            return {};
        const double macs = peakMacsPerCycle();
        return {areaItem("mac", dspMac_, macs), areaItem("input buffer", inputBuffer_, 1), areaItem("output buffer", outputBuffer_, 1),
                areaItem("weight buffer", weightBuffer_, 1), areaItem("line buffers", lineBuffer_, static_cast<double>(lineBuffers_))};
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
    static constexpr double kPeControlLuts = 300;  // FINN-R's per-unit constant

    double totalFfs() const
    {
        double ff = 0;
        for (const auto& [name, res] : fpgaResources())
            ff += res.ff;
        return ff;
    }

    double macEnergyPj() const
    {
        const double total = c_.multipliersInDsp + c_.multipliersInLuts;
        if (total <= 0)
            return dspMac_.readPj;
        return (dspMac_.readPj * c_.multipliersInDsp + lutMac_.readPj * c_.multipliersInLuts) / total;
    }

    /// Element-wise, pooling and activation layers: ReLU, pooling and batch norm run in the
    /// pipeline after the adder tree (no cycles of their own); others stream through the
    /// buffers at one element per convolver per cycle, from and to DRAM.
    Result<LayerResult> evaluateVector(const Workload& w, LayerResult r) const
    {
        r.unit = "vector";
        const bool fused = w.kind == LayerKind::Activation || w.kind == LayerKind::Pool || w.kind == LayerKind::BatchNorm;
        const double logicPj = static_cast<double>(w.vectorOps) * 4.0 * c_.dp.activationBits * logicPjPerLut_;
        r.energyBreakdownPj.emplace_back("pooling and activation", logicPj);
        if (fused) {
            r.bound = "pipeline";
            r.cycles = 0;
        } else {
            const Dim lanes = static_cast<Dim>(c_.pes) * c_.convolvers;
            const double bytes = static_cast<double>(w.inputElements + w.outputElements) * c_.dp.activationBits / 8.0;
            const Dim compute = ceilDiv(w.vectorOps, lanes);
            const Dim memory = c_.dramBytesPerCycle > 0 ? static_cast<Dim>(std::ceil(bytes / c_.dramBytesPerCycle)) : 0;
            r.cycles = std::max(compute, memory);
            r.bound = memory > compute ? "DRAM" : "vector";
            r.energyBreakdownPj.emplace_back("DRAM", bytes * dram_.readPj);
        }
        r.latencyS = static_cast<double>(r.cycles) / clockHz_;
        for (const auto& [name, pj] : r.energyBreakdownPj)
            r.energyPj += pj;
        return r;
    }

    Result<LayerResult> evaluateArray(const Workload& w, LayerResult r) const
    {
        r.unit = "array";
        const Problem& p = w.problem;
        const auto b = [&](int d) { return p.bounds[static_cast<std::size_t>(d)]; };
        const Dim N = b(kDimN), G = b(kDimG), C = b(kDimC), M = b(kDimM), R = b(kDimR), S = b(kDimS), P = b(kDimP), Q = b(kDimQ);
        const Dim sP = strideOf(p, kDimP), sQ = strideOf(p, kDimQ);
        const Dim k = c_.kernel;
        const Dim conv = c_.convolvers, pes = c_.pes;
        const double aB = c_.dp.activationBits / 8.0, wB = c_.dp.weightBits / 8.0, accB = c_.dp.accumulatorBits / 8.0;
        const bool matrixVector = R == 1 && S == 1 && P * Q == 1;
        Dim computeCycles = 0;
        double inputReads = 0, outputAccesses = 0, weightReads = 0;  // buffer words
        double dramBytes = 0;
        const Dim weights = G * M * C * R * S;
        if (matrixVector || w.weightsAreActivations) {
            // Fully connected (and activation products): every multiplier takes a weight per
            // cycle; the weights stream from DRAM once per repetition.
            computeCycles = ceilDiv(G * N * M * C * R * S * P * Q, static_cast<Dim>(peakMacsPerCycle()));
            dramBytes = static_cast<double>(weights) * wB + static_cast<double>(w.inputElements + w.outputElements) / std::max<Dim>(w.repeat, 1) * aB;
            inputReads = static_cast<double>(N * G * C * P * Q) * static_cast<double>(ceilDiv(M, pes));
            outputAccesses = static_cast<double>(N * G * M * P * Q);
            weightReads = static_cast<double>(weights);
        } else {
            // Convolutions: k x k passes of the line-buffered convolvers; each pass streams the
            // input rows of C/convolvers channel groups for M/PEs output-channel groups.
            const Dim passes = ceilDiv(R, k) * ceilDiv(S, k);
            const Dim streamed = P * sP * Q * sQ;  // input pixels per channel the line buffers see
            const Dim cGroups = ceilDiv(C, conv), mGroups = ceilDiv(M, pes);
            computeCycles = N * G * cGroups * mGroups * passes * streamed;
            // Row bands: the largest band of output rows whose inputs (all channels) and partial
            // sums (all output channels) fit the buffers; else output channels in groups.
            const Dim Win = Q * sQ + S - sQ;
            const auto inBand = [&](Dim h) { return static_cast<double>(C) * static_cast<double>(h * sP + R - sP) * static_cast<double>(Win) * aB * 8; };
            const auto outBand = [&](Dim h, Dim m) { return static_cast<double>(m) * static_cast<double>(h * Q) * accB * 8; };
            Dim h = P;
            while (h > 1 && (inBand(h) > static_cast<double>(c_.inputBufferBits) / 2 || outBand(h, M) > static_cast<double>(c_.outputBufferBits) / 2))
                h = ceilDiv(h, 2);
            Dim mFit = M;
            while (mFit > 1 && outBand(h, mFit) > static_cast<double>(c_.outputBufferBits) / 2)
                mFit = ceilDiv(mFit, 2);
            const Dim bands = ceilDiv(P, h), mPasses = ceilDiv(M, mFit);
            const double halo = static_cast<double>(h * sP + R - sP) / static_cast<double>(h * sP);
            const double inputBytes = static_cast<double>(N * G * C) * static_cast<double>(P * sP) * static_cast<double>(Win) * aB;
            const bool weightsFit = static_cast<double>(weights) * wB * 8 <= static_cast<double>(c_.weightBufferBits) / 2;
            dramBytes = inputBytes * halo * static_cast<double>(mPasses) + static_cast<double>(weights) * wB * static_cast<double>(weightsFit ? N : N * bands) +
                        static_cast<double>(N * G * M * P * Q) * aB;
            inputReads = static_cast<double>(N * G * C * streamed) * static_cast<double>(mGroups * passes);
            outputAccesses = 2.0 * static_cast<double>(N * G * M * P * Q) * static_cast<double>(cGroups * passes);
            weightReads = static_cast<double>(weights) * static_cast<double>(weightsFit ? N : N * bands);
        }
        const auto repeat = static_cast<double>(std::max<Dim>(w.repeat, 1));
        const Dim memoryCycles = c_.dramBytesPerCycle > 0 ? static_cast<Dim>(std::ceil(dramBytes / c_.dramBytesPerCycle)) : 0;
        const Dim cycles = std::max(computeCycles, memoryCycles);
        r.bound = memoryCycles > computeCycles ? "DRAM" : "convolvers";
        r.cycles = cycles * std::max<Dim>(w.repeat, 1);
        r.latencyS = static_cast<double>(r.cycles) / clockHz_;
        r.utilization = static_cast<double>(w.macs) / (peakMacsPerCycle() * static_cast<double>(std::max<Dim>(r.cycles, 1)));
        const double macs = static_cast<double>(w.macs);
        // Energy: the multipliers, the adder trees' logic per product, the buffers per word
        // (a block-RAM access per convolver word), the line buffers per input pixel, DRAM.
        r.energyBreakdownPj.emplace_back("mac", macs * macEnergyPj());
        r.energyBreakdownPj.emplace_back("adder trees", macs * adderLuts_ / peakMacsPerCycle() * logicPjPerLut_);
        r.energyBreakdownPj.emplace_back("input buffer", inputReads / static_cast<double>(conv) * inputBuffer_.readPj * repeat);
        r.energyBreakdownPj.emplace_back("line buffers", inputReads * (lineBuffer_.readPj + lineBuffer_.writePj) / static_cast<double>(conv) * repeat);
        r.energyBreakdownPj.emplace_back("output buffer", outputAccesses / static_cast<double>(pes) * (outputBuffer_.readPj + outputBuffer_.writePj) / 2 * repeat);
        r.energyBreakdownPj.emplace_back("weight buffer", weightReads / static_cast<double>(k * k) * weightBuffer_.readPj * repeat);
        r.energyBreakdownPj.emplace_back("DRAM", dramBytes * dram_.readPj * repeat);
        for (const auto& [name, pj] : r.energyBreakdownPj)
            r.energyPj += pj;
        r.accesses.push_back({"DRAM", "all", static_cast<Dim>(dramBytes / aB * repeat), 0, 0});
        r.accesses.push_back({"input buffer", "Inputs", static_cast<Dim>(inputReads * repeat), 0, 0});
        r.accesses.push_back({"output buffer", "Outputs", static_cast<Dim>(outputAccesses / 2 * repeat), 0, static_cast<Dim>(outputAccesses / 2 * repeat)});
        r.accesses.push_back({"weight buffer", "Weights", static_cast<Dim>(weightReads * repeat), 0, 0});
        return r;
    }

    ConvolverArrayConfig c_;
    double clockHz_ = 0;
    bool fpga_ = false;
    std::string summary_;
    std::string key_;
    std::vector<std::string> warnings_;
    ComponentCost dspMac_, lutMac_, inputBuffer_, outputBuffer_, weightBuffer_, lineBuffer_, dram_;
    double lineBuffers_ = 0;
    double adderLuts_ = 0, adderFfs_ = 0, poolLuts_ = 0, logicPjPerLut_ = 0, staticW_ = 0;
};

}  // namespace

ConvolverArrayTemplate::ConvolverArrayTemplate()
{
    info_.name = "convolver_array";
    info_.summary = "PEs of k x k line-buffered convolvers with adder trees, shared input buffer, output buffer feeding partial sums back (Aristotle / Angel-Eye)";
    info_.model = "analytical: row-band tiling of the buffers, line-buffer streaming, k x k passes, double-buffered DRAM transfers";
    // Angel-Eye's non-linearity and pooling modules after the adder trees (Guo et al., TCAD 2018).
    info_.outputStage = OutputStage{.scale = true, .clamp = true, .piecewise = false, .lookup = false, .residual = false, .pool = true};
    info_.nonMacLayers = "ReLU, pooling and batch norm in the pipeline after the adder trees (no extra cycles); other element-wise layers stream through the buffers";
    info_.params = {
        {"pes", ParamType::Integer, 1, 256, 2, {}, "PEs", "processing elements (output channels in parallel)"},
        {"convolvers_per_pe", ParamType::Integer, 1, 1024, 16, {}, "convolvers", "convolvers per PE (input channels in parallel)"},
        {"kernel", ParamType::Integer, 1, 11, 3, {}, "", "convolver size k (k x k multipliers); larger kernels take several passes"},
        {"input_buffer_kib", ParamType::Real, 1, 1 << 16, 72, {}, "KiB", "input buffer shared by the PEs (double-buffered)"},
        {"output_buffer_kib", ParamType::Real, 1, 1 << 16, 72, {}, "KiB", "output buffer of partial sums (double-buffered)"},
        {"weight_buffer_kib", ParamType::Real, 1, 1 << 16, 36, {}, "KiB", "weight buffer (double-buffered)"},
        {"line_width", ParamType::Integer, 1, 1 << 16, 224, {}, "pixels", "the widest input row the line buffers hold"},
        {"dsp_fraction", ParamType::Real, 0, 1, 0.9, {}, "", "FPGA: the share of the device's DSP slices multipliers may use; the rest are built from LUTs"},
    };
    for (auto& p : commonParams(4.2, 0))
        info_.params.push_back(p);
    PresetSpec aristotle;
    aristotle.name = "aristotle";
    aristotle.description = "DeePhi Aristotle on the Zynq XC7Z020 at 214 MHz: 2 PEs x 16 convolvers of 3 x 3, 8-bit dynamic fixed point, DDR3 through the HP ports";
    aristotle.params = {{"pes", 2}, {"convolvers_per_pe", 16}, {"kernel", 3}, {"weight_bits", 8}, {"activation_bits", 8}, {"accumulator_bits", 24},
                        {"dram_bandwidth_gbs", 4.2}};
    aristotle.platform = {{"kind", "fpga"}, {"device", "xc7z020"}, {"clock_mhz", 214}, {"dram", "ddr3"}};
    aristotle.source = "Guo et al., IEEE Micro 2017 (2 PEs x 16 3x3 convolvers, 214 MHz, 198 DSP, about 27k LUT, 272 KB BRAM); the buffer split is an assumption that totals the paper's on-chip memory";
    info_.presets = {aristotle};
}

Result<std::unique_ptr<HardwareDesign>> ConvolverArrayTemplate::build(const DesignInputs& in) const
{
    const TemplateParams& p = in.params;
    ConvolverArrayConfig c;
    c.dp = resolveDatapath(in);
    c.pes = static_cast<int>(p.integer("pes"));
    c.convolvers = static_cast<int>(p.integer("convolvers_per_pe"));
    c.kernel = static_cast<int>(p.integer("kernel"));
    c.inputBufferBits = static_cast<Dim>(p.number("input_buffer_kib") * 8192);
    c.outputBufferBits = static_cast<Dim>(p.number("output_buffer_kib") * 8192);
    c.weightBufferBits = static_cast<Dim>(p.number("weight_buffer_kib") * 8192);
    c.lineWidth = p.integer("line_width");
    const double bytesPerSecond = in.platform.dramBandwidth(p.number("dram_bandwidth_gbs"));
    c.dramBytesPerCycle = bytesPerSecond > 0 ? bytesPerSecond / in.platform.clockHz() : 0;
    const int multipliers = c.pes * c.convolvers * c.kernel * c.kernel;
    std::vector<std::string> warnings;
    if (in.platform.isFpga()) {
        const FpgaDevice& device = *in.platform.device();
        const DspKind& dsp = in.platform.fpgaLibrary().dspKinds.at(device.dspKind);
        const bool fitsDsp = c.dp.weightBits <= dsp.aBits && c.dp.activationBits <= dsp.bBits && !isFloatingPoint(c.dp.format);
        const int budget = static_cast<int>(std::floor(p.number("dsp_fraction") * static_cast<double>(device.dsp)));
        c.multipliersInDsp = fitsDsp ? std::min(multipliers, budget) : 0;
        c.multipliersInLuts = multipliers - c.multipliersInDsp;
        if (c.multipliersInLuts > 0)
            warnings.push_back(std::to_string(c.multipliersInLuts) + " of " + std::to_string(multipliers) +
                               " multipliers are built from LUTs (DSP slices used: " + std::to_string(c.multipliersInDsp) + ")");
    } else {
        c.multipliersInDsp = multipliers;
    }
    const Datapath dp = c.dp;
    std::string summary = std::to_string(c.pes) + " PEs x " + std::to_string(c.convolvers) + " convolvers of " + std::to_string(c.kernel) + " x " +
                          std::to_string(c.kernel) + ", buffers " + kibText(p.number("input_buffer_kib") * 8192) + "/" +
                          kibText(p.number("output_buffer_kib") * 8192) + "/" +
                          kibText(p.number("weight_buffer_kib") * 8192) + " KiB (in/out/weights), " + dp.describe();
    return std::unique_ptr<HardwareDesign>(
        std::make_unique<ConvolverArrayDesign>(c, in.platform, std::move(summary), designCacheKey(info_.name, in, dp), std::move(warnings)));
}

}  // namespace cdx
