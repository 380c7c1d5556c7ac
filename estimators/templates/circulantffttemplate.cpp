#include "estimators/templates/circulantffttemplate.h"

#include "estimators/engine/problemshapes.h"
#include "estimators/templates/templatecommon.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace cdx {

namespace {

constexpr double kFftControlLuts = 300;     // per FFT unit: address generation and stage control (FINN-R's unit constant)

/// log_radix(b), rounded up: the stages of a b-point transform.
double stagesOf(Dim b, int radix)
{
    const double stages = std::log2(static_cast<double>(std::max<Dim>(b, 2))) / std::log2(static_cast<double>(radix));
    return std::ceil(stages - 1e-9);
}

struct CirculantFftConfig {
    int fftUnits = 16;
    int radix = 2;
    bool pipelined = true;
    int complexMultipliers = 256;
    Dim maxFft = 64;
    Dim weightMemoryBits = 0;  ///< 0: sized to the network
    Dim bufferBits = 0;
    double dramBytesPerCycle = 0;
    int vectorLanes = 64;
    Datapath dp;
};

/// Per-component costs of the design.
struct Components {
    ComponentCost mac, adder, weightMemory, buffer, twiddles, dram, vector;
};

class CirculantFftDesign : public HardwareDesign {
public:
    CirculantFftDesign(CirculantFftConfig config, const Platform& p, std::map<std::string, double> bitsPerWeight, Dim networkWeightBits,
                       std::string summary, std::string key)
        : c_(config), clockHz_(p.clockHz()), fpga_(p.isFpga()), summary_(std::move(summary)), key_(std::move(key)),
          bitsPerWeight_(std::move(bitsPerWeight))
    {
        const Datapath& dp = c_.dp;
        if (c_.weightMemoryBits <= 0) {
            // Sized to the network; on an FPGA at most 60% of its block RAM (the buffers and
            // FFT delay lines take some, FINN's cap is 80%): the rest streams from DRAM.
            c_.weightMemoryBits = networkWeightBits;
            if (fpga_) {
                const FpgaDevice& d = *p.device();
                const auto budget = static_cast<Dim>(0.6 * static_cast<double>(d.bram18 + d.m20k) / 2.0 * 36864.0);
                c_.weightMemoryBits = std::min(c_.weightMemoryBits, budget);
            }
        }
        weightsOnChip_ = networkWeightBits <= c_.weightMemoryBits;
        m_.mac = p.mac(dp.format, dp.weightBits, dp.activationBits, dp.accumulatorBits, false);
        m_.adder = p.vectorOp(dp.accumulatorBits);
        // One weight bank per complex multiplier, a complex word (the stored spectrum) per read.
        const Dim bankDepth = std::max<Dim>(1, c_.weightMemoryBits / (2 * dp.weightBits * c_.complexMultipliers));
        m_.weightMemory = p.memory(MemoryStyle::Sram, bankDepth, 2 * dp.weightBits, 1);
        m_.buffer = p.memory(MemoryStyle::Sram, std::max<Dim>(1, c_.bufferBits / (2 * dp.activationBits * c_.radix)), 2 * dp.activationBits * c_.radix, 1);
        m_.twiddles = p.memory(MemoryStyle::RegisterFile, std::max<Dim>(2, c_.maxFft / 2), 2 * dp.weightBits, 1);
        m_.dram = p.dramAccess(8);
        m_.vector = p.vectorOp(dp.activationBits);
        inventory(p);
        staticW_ = p.staticPowerW() + (fpga_ ? p.clockTreePowerW(flipFlops_) : 0);
    }

    std::string describe() const override { return summary_; }
    /// Dense-equivalent MACs per cycle are a property of the block size; the peak is that of the
    /// real multipliers as plain MACs (a circulant layer's effective rate is reported per layer):
    /// the complex multipliers' and the FFT units' butterfly multipliers', since a circulant
    /// layer's performed multiplications (the op count of CirCNN and C-LSTM) include the
    /// transforms' and would exceed a peak of the complex multipliers alone.
    double peakMacsPerCycle() const override { return 4.0 * (c_.complexMultipliers + c_.fftUnits * multipliersPerFftUnit()); }
    double clockHz() const override { return clockHz_; }
    double staticPowerW() const override { return staticW_; }
    std::string cacheKey() const override { return key_; }
    std::vector<AreaItem> area() const override { return fpga_ ? std::vector<AreaItem>{} : area_; }
    std::vector<std::pair<std::string, FpgaResources>> fpgaResources() const override
    {
        return fpga_ ? fpgaItems_ : std::vector<std::pair<std::string, FpgaResources>>{};
    }
    std::vector<std::string> warnings() const override
    {
        if (weightsOnChip_)
            return {};
        return {"circulant_fft: the network's weights do not fit the weight memory; they stream from DRAM once per time step"};
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
    /// Cycles of one b-point transform on one FFT unit: streaming, radix samples per cycle; or
    /// iterative, one radix-r butterfly per cycle.
    double transformCycles(Dim b) const
    {
        if (c_.pipelined)
            return ceilDivReal(static_cast<double>(b), c_.radix);
        return ceilDivReal(static_cast<double>(b), c_.radix) * stagesOf(b, c_.radix);
    }

    /// Complex multipliers inside one FFT unit: a streaming unit has one radix-r butterfly per
    /// stage with twiddles (the last stage has none); an iterative unit one butterfly.
    double multipliersPerFftUnit() const
    {
        const double perButterfly = c_.radix == 4 ? 3 : 1;
        return c_.pipelined ? perButterfly * std::max(1.0, stagesOf(c_.maxFft, c_.radix) - 1) : perButterfly;
    }

    void add(const std::string& name, const ComponentCost& cost, double count)
    {
        const FpgaResources r = cost.fpga.scaled(count);
        fpgaItems_.emplace_back(name, r);
        area_.push_back(areaItem(name, cost, count));
        flipFlops_ += r.ff;
    }

    void inventory(const Platform& p)
    {
        const Datapath& dp = c_.dp;
        // A complex product: four real multipliers and two adders, and the frequency-domain
        // accumulator (two adders of the accumulator's width).
        ComponentCost cmul = m_.mac;
        cmul.fpga.lut = m_.mac.fpga.lut * 4 + 4.0 * dp.accumulatorBits;
        cmul.fpga.ff = m_.mac.fpga.ff * 4 + 4.0 * dp.accumulatorBits;
        cmul.fpga.dsp = m_.mac.fpga.dsp * 4;
        cmul.areaUm2 = m_.mac.areaUm2 * 4 + m_.adder.areaUm2 * 2;
        add("complex multipliers", cmul, c_.complexMultipliers);
        // An FFT unit: its butterflies' multipliers and adders (2 complex additions per radix-2
        // butterfly, 8 per radix-4 one), the delay lines of a streaming unit (b samples in all),
        // and its twiddle table.
        const double butterflies = c_.pipelined ? stagesOf(c_.maxFft, c_.radix) : 1;
        const double addersPerButterfly = c_.radix == 4 ? 16 : 4;
        ComponentCost fft;
        fft.fpga.dsp = m_.mac.fpga.dsp * 4 * multipliersPerFftUnit();
        fft.fpga.lut = m_.mac.fpga.lut * 4 * multipliersPerFftUnit() + butterflies * addersPerButterfly * dp.activationBits + kFftControlLuts;
        fft.fpga.ff = fft.fpga.lut + static_cast<double>(c_.pipelined ? c_.maxFft : 0) * 2 * dp.activationBits;
        fft.areaUm2 = (m_.mac.areaUm2 * 4 * multipliersPerFftUnit() + m_.adder.areaUm2 * butterflies * addersPerButterfly) +
                      (c_.pipelined ? static_cast<double>(c_.maxFft) * 2 * dp.activationBits * p.memory(MemoryStyle::Registers, 1, 1, 1).areaUm2 : 0);
        add("FFT units", fft, c_.fftUnits);
        add("twiddle tables", m_.twiddles, c_.fftUnits);
        add("weight memory", m_.weightMemory, c_.complexMultipliers);
        add("activation buffers", m_.buffer, 2);
        ComponentCost vector = m_.vector;
        add("element-wise unit", vector, c_.vectorLanes);
        if (fpga_) {
            ComponentCost control;
            control.fpga = fpgaControl();
            add("control, DMA and host interface", control, 1);
        }
    }

    Result<LayerResult> evaluateVector(const Workload& w, LayerResult r) const
    {
        // Sigmoid, tanh (tables), products and sums of recurrent cells and other element-wise
        // layers, vector_lanes per cycle, on chip.
        r.unit = "vector";
        r.bound = "element-wise unit";
        r.cycles = static_cast<Dim>(ceilDivReal(static_cast<double>(w.vectorOps), c_.vectorLanes));
        r.latencyS = static_cast<double>(r.cycles) / clockHz_;
        r.energyBreakdownPj.emplace_back("element-wise unit", static_cast<double>(w.vectorOps) * m_.vector.readPj);
        r.energyPj = r.energyBreakdownPj.back().second;
        return r;
    }

    Result<LayerResult> evaluateArray(const Workload& w, LayerResult r) const
    {
        r.unit = "array";
        const auto b = [&](int d) { return w.problem.bounds[static_cast<std::size_t>(d)]; };
        const bool circulant = w.compression.pruning.kind == PruningKind::Circulant && w.compression.pruning.blockSize > 1 && !w.weightsAreActivations;
        const Dim block = circulant ? w.compression.pruning.blockSize : 1;
        if (block > c_.maxFft)
            return Error{ExitCode::BadInput, {}, {},
                         w.layer + ": circulant block size " + std::to_string(block) + " is larger than the design's fft_size " + std::to_string(c_.maxFft)};
        const Dim rows = b(kDimM), cols = b(kDimC) * b(kDimR) * b(kDimS);
        const double vectors = static_cast<double>(b(kDimN) * b(kDimG) * b(kDimP) * b(kDimQ));
        const double repeat = static_cast<double>(std::max<Dim>(w.repeat, 1));
        double perVector = 0;
        CirculantFftTemplate::CirculantWork work;
        if (circulant) {
            work = CirculantFftTemplate::circulantWork(rows, cols, block, c_.radix);
            const double fftCycles = (work.ffts + work.iffts) * transformCycles(block) / c_.fftUnits;
            const double productCycles = work.complexProducts / c_.complexMultipliers;
            // The FFTs of the next vector overlap the products of this one.
            perVector = std::max(fftCycles, productCycles);
            r.bound = fftCycles > productCycles ? "FFT units" : "complex multipliers";
        } else {
            // A dense layer: the real multipliers of the complex ones as plain MACs.
            work.realMultiplies = static_cast<double>(rows * cols);
            work.realAdds = work.realMultiplies;
            perVector = ceilDivReal(work.realMultiplies, 4.0 * c_.complexMultipliers);
            r.bound = "multipliers (dense)";
        }
        const double compute = perVector * vectors;
        // Weights as stored (the plan's bits): fetched from DRAM once per repetition when the
        // network does not fit on chip; activations in and out once.
        const auto stored = bitsPerWeight_.find(w.layer);
        const double bitsPerWeight = stored != bitsPerWeight_.end() ? stored->second : c_.dp.weightBits;
        const double weightBytes = static_cast<double>(w.weightElements) * bitsPerWeight / 8.0;
        const double ioBytes = static_cast<double>(w.inputElements + w.outputElements) / repeat * c_.dp.activationBits / 8.0;
        const double dramBytes = (weightsOnChip_ ? 0 : weightBytes) + ioBytes;
        const double dramCycles = c_.dramBytesPerCycle > 0 ? dramBytes / c_.dramBytesPerCycle : 0;
        if (dramCycles > compute)
            r.bound = "DRAM";
        r.cycles = static_cast<Dim>(std::ceil(std::max(compute, dramCycles) * repeat));
        r.latencyS = static_cast<double>(r.cycles) / clockHz_;
        const double multiplies = work.realMultiplies * vectors * repeat;
        r.effectiveMacs = static_cast<Dim>(std::llround(multiplies));
        r.utilization = multiplies / (peakMacsPerCycle() * std::max(1.0, static_cast<double>(r.cycles)));
        if (circulant)
            r.precision += ", circulant b=" + std::to_string(block);
        auto& e = r.energyBreakdownPj;
        e.emplace_back("multipliers", multiplies * m_.mac.readPj);
        e.emplace_back("adders", work.realAdds * vectors * repeat * m_.adder.readPj);
        // A stored spectrum word per complex product (dense: a weight per real multiply).
        const double weightReads = (circulant ? work.complexProducts : work.realMultiplies) * vectors * repeat;
        e.emplace_back("weight memory", weightReads * m_.weightMemory.readPj);
        const double samples = circulant ? (work.ffts + work.iffts) * static_cast<double>(block) : static_cast<double>(rows + cols);
        e.emplace_back("activation buffers", samples * vectors * repeat / c_.radix * (m_.buffer.readPj + m_.buffer.writePj) / 2);
        if (circulant)
            e.emplace_back("twiddle tables", work.butterflies * vectors * repeat * m_.twiddles.readPj);
        e.emplace_back("DRAM", dramBytes * repeat * m_.dram.readPj);
        for (const auto& [name, pj] : e)
            r.energyPj += pj;
        r.accesses.push_back({"weight memory", "Weights", static_cast<Dim>(weightReads), 0, 0});
        r.accesses.push_back({"DRAM", "all", static_cast<Dim>(dramBytes * repeat), 0, 0});
        return r;
    }

    CirculantFftConfig c_;
    double clockHz_ = 0;
    bool fpga_ = false;
    bool weightsOnChip_ = true;
    std::string summary_, key_;
    std::map<std::string, double> bitsPerWeight_;  ///< per layer: stored weight bits over its dense weights
    Components m_;
    std::vector<std::pair<std::string, FpgaResources>> fpgaItems_;
    std::vector<AreaItem> area_;
    double flipFlops_ = 0, staticW_ = 0;
};

}  // namespace

CirculantFftTemplate::CirculantWork CirculantFftTemplate::circulantWork(Dim rows, Dim cols, Dim b, int radix)
{
    CirculantWork w;
    const double p = std::ceil(static_cast<double>(rows) / static_cast<double>(b));
    const double q = std::ceil(static_cast<double>(cols) / static_cast<double>(b));
    const double bins = static_cast<double>(b / 2) + 1;  // real data: the other half is conjugate
    w.ffts = q;
    w.iffts = p;
    w.complexProducts = p * q * bins;
    const double stages = stagesOf(b, radix);
    const double perTransform = static_cast<double>(b) / radix * stages;  // butterflies
    w.butterflies = (p + q) * perTransform;
    // Radix 2: one complex multiplication and two complex additions per butterfly; radix 4:
    // three and eight. A complex multiplication is four real ones and two additions; a complex
    // addition two real ones. The frequency-domain sums: (q - 1) per output bin.
    const double cmulPerButterfly = radix == 4 ? 3 : 1, caddPerButterfly = radix == 4 ? 8 : 2;
    w.realMultiplies = 4 * (w.complexProducts + w.butterflies * cmulPerButterfly);
    w.realAdds = 2 * (w.complexProducts + w.butterflies * cmulPerButterfly) + 2 * (w.butterflies * caddPerButterfly + p * (q - 1) * bins);
    return w;
}

CirculantFftTemplate::CirculantFftTemplate()
{
    info_.name = "circulant_fft";
    info_.summary = "block-circulant layers by FFT: forward FFTs of the input blocks, element-wise complex products with the stored spectra, "
                    "sums in the frequency domain, inverse FFTs (CirCNN, C-LSTM)";
    info_.model = "analytical: transforms and complex products per vector from the plan's block size, FFT units and multipliers overlapped, "
                  "weights on chip or streamed per time step";
    // Bias and the activation tables after the inverse FFT (C-LSTM, Wang et al., FPGA 2018).
    info_.outputStage = OutputStage{.scale = true, .clamp = true, .piecewise = true, .lookup = true, .residual = false, .pool = false};
    info_.nonMacLayers = "an element-wise unit of vector_lanes lanes (sigmoid and tanh tables, products and sums of recurrent cells)";
    info_.exploits.circulant = true;
    info_.params = {
        {"fft_units", ParamType::Integer, 1, 4096, 16, {}, "units", "FFT/IFFT units"},
        {"fft_size", ParamType::Integer, 2, 4096, 64, {}, "points", "the largest transform (block size) the units take"},
        {"radix", ParamType::Choice, 0, 0, "2", {"2", "4"}, "", "butterfly radix"},
        {"pipelined", ParamType::Boolean, 0, 0, true, {}, "",
         "streaming units (radix samples per cycle, a butterfly per stage) or iterative ones (one butterfly per cycle)"},
        {"complex_multipliers", ParamType::Integer, 1, 65536, 256, {}, "units", "element-wise complex multiply-accumulate units (4 real multipliers each)"},
        {"weight_memory_kib", ParamType::Real, 0, 1 << 20, 0, {}, "KiB", "on-chip weight memory; 0 = sized to the network's stored weights"},
        {"buffer_kib", ParamType::Real, 1, 1 << 20, 64, {}, "KiB", "each of the two activation buffers"},
    };
    for (auto& p : commonParams(19.2, 64))
        info_.params.push_back(p);
    PresetSpec clstm;
    clstm.name = "clstm";
    clstm.description = "C-LSTM on the Kintex UltraScale XCKU060 at 200 MHz: 16-bit fixed point, 16-point radix-2 streaming FFTs, "
                        "complex multipliers for the element-wise products";
    clstm.params = {{"fft_units", 16}, {"fft_size", 16}, {"radix", "2"}, {"pipelined", true}, {"complex_multipliers", 288},
                    {"weight_bits", 16}, {"activation_bits", 16}, {"accumulator_bits", 32}, {"vector_lanes", 64}, {"dram_bandwidth_gbs", 19.2}};
    clstm.platform = {{"kind", "fpga"}, {"device", "xcku060"}, {"clock_mhz", 200}, {"dram", "ddr4"}};
    clstm.source = "Z. Wang, Nanjing University, and Y. Wang et al., AAAI 2018 (C-LSTM: block-circulant LSTM, FFT-based, 16-bit, FPGA); the unit counts are an assumption "
                   "that uses about half of the device's DSP slices";
    PresetSpec circnn;
    circnn.name = "circnn";
    circnn.description = "CirCNN on a Zynq UltraScale+ ZU9EG at 200 MHz: 16-bit fixed point, 64-point radix-4 streaming FFTs";
    circnn.params = {{"fft_units", 16}, {"fft_size", 64}, {"radix", "4"}, {"pipelined", true}, {"complex_multipliers", 256},
                     {"weight_bits", 16}, {"activation_bits", 16}, {"accumulator_bits", 32}, {"vector_lanes", 64}, {"dram_bandwidth_gbs", 19.2}};
    circnn.platform = {{"kind", "fpga"}, {"device", "zu9eg"}, {"clock_mhz", 200}, {"dram", "ddr4"}};
    circnn.source = "Y. Wang et al. (AAAI 2018) (CirCNN: block-circulant layers by FFT on FPGA, up to 3.5 TOPS and 3.69 TOPS/W); the device and the "
                    "unit counts are assumptions";
    info_.presets = {clstm, circnn};
}

Result<std::unique_ptr<HardwareDesign>> CirculantFftTemplate::build(const DesignInputs& in) const
{
    const TemplateParams& p = in.params;
    CirculantFftConfig c;
    c.dp = resolveDatapath(in);
    c.fftUnits = static_cast<int>(p.integer("fft_units"));
    c.maxFft = p.integer("fft_size");
    c.radix = p.choice("radix") == "4" ? 4 : 2;
    c.pipelined = p.flag("pipelined");
    c.complexMultipliers = static_cast<int>(p.integer("complex_multipliers"));
    c.weightMemoryBits = static_cast<Dim>(p.number("weight_memory_kib") * 8192);
    c.bufferBits = static_cast<Dim>(p.number("buffer_kib") * 8192);
    c.vectorLanes = static_cast<int>(std::max<Dim>(1, p.integer("vector_lanes")));
    const double bytesPerSecond = in.platform.dramBandwidth(p.number("dram_bandwidth_gbs"));
    c.dramBytesPerCycle = bytesPerSecond > 0 ? bytesPerSecond / in.platform.clockHz() : 0;
    // The network's weights as the plan stores them (the effect is the layer's, shared by its
    // workloads), for sizing the weight memory and the weights each workload streams.
    std::map<std::string, std::pair<Dim, Dim>> layers;  // layer -> stored bits, dense weights
    for (const Workload& w : in.network)
        if (w.unit == WorkUnit::Array && !w.weightsAreActivations) {
            auto& [bits, dense] = layers[w.layer];
            bits = w.effect.weightBits;
            dense += w.weightElements;
        }
    Dim weightBits = 0;
    std::map<std::string, double> bitsPerWeight;
    for (const auto& [layer, stored] : layers) {
        weightBits += stored.first;
        if (stored.second > 0 && stored.first > 0)
            bitsPerWeight[layer] = static_cast<double>(stored.first) / static_cast<double>(stored.second);
    }
    const Datapath dp = c.dp;
    std::string summary = std::to_string(c.fftUnits) + " " + (c.pipelined ? "streaming" : "iterative") + " radix-" + std::to_string(c.radix) +
                          " FFT units up to " + std::to_string(c.maxFft) + " points, " + std::to_string(c.complexMultipliers) +
                          " complex multipliers, " + dp.describe();
    return std::unique_ptr<HardwareDesign>(
        std::make_unique<CirculantFftDesign>(c, in.platform, std::move(bitsPerWeight), weightBits, std::move(summary), designCacheKey(info_.name, in, dp)));
}

}  // namespace cdx
