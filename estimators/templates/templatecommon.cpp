#include "estimators/templates/templatecommon.h"

#include <cmath>

#include "estimators/engine/problemshapes.h"
#include "estimators/pe/pelimits.h"

#include <algorithm>

namespace cdx {

void addLoweringNote(LayerResult& r, const Workload& w)
{
    if (w.note.empty())
        return;
    if (w.unit == WorkUnit::None)
        r.shape = w.note;
    else
        r.warnings.push_back(w.layer + ": " + w.note);
}

std::string kibText(double bits)
{
    const long long tenths = std::llround(std::max(0.0, bits) / 8192.0 * 10);
    return std::to_string(tenths / 10) + (tenths % 10 != 0 ? "." + std::to_string(tenths % 10) : std::string());
}

std::string Datapath::describe() const
{
    return std::string(numberFormatName(format)) + " " + std::to_string(weightBits) + "x" + std::to_string(activationBits) + ", " +
           std::to_string(accumulatorBits) + "-bit accumulators";
}

std::vector<ParamSpec> commonParams(double dramBandwidthGBs, int vectorLanes)
{
    return {
        {"weight_bits", ParamType::Integer, 0, 32, 0, {}, "bits", "datapath width of weights; 0 = the compression plan's default"},
        {"activation_bits", ParamType::Integer, 0, 32, 0, {}, "bits", "datapath width of activations; 0 = the compression plan's default"},
        {"accumulator_bits", ParamType::Integer, 0, 64, 0, {}, "bits", "partial-sum width; 0 = the plan's, else weight + activation bits + 8"},
        {"word_bits", ParamType::Integer, 0, 64, 0, {}, "bits", "storage word width of every level; 0 = the widest operand each level keeps"},
        {"dram_bandwidth_gbs", ParamType::Real, 0, 10000, dramBandwidthGBs, {}, "GB/s", "off-chip bandwidth (0 = unlimited); the platform's dram_bandwidth_gbs wins"},
        {"vector_lanes", ParamType::Integer, 0, 65536, vectorLanes, {}, "lanes", "element operations per cycle for non-MAC layers; 0 = they run on the host"},
    };
}

Datapath resolveDatapath(const DesignInputs& inputs)
{
    Datapath dp;
    dp.format = inputs.weights.format;
    dp.weightBits = inputs.params.integer("weight_bits") > 0 ? static_cast<int>(inputs.params.integer("weight_bits")) : inputs.weights.bits;
    dp.activationBits = inputs.params.integer("activation_bits") > 0 ? static_cast<int>(inputs.params.integer("activation_bits"))
                                                                     : inputs.activations.bits;
    if (inputs.params.integer("accumulator_bits") > 0)
        dp.accumulatorBits = static_cast<int>(inputs.params.integer("accumulator_bits"));
    else if (inputs.accumulatorBits > 0)
        dp.accumulatorBits = inputs.accumulatorBits;
    else
        dp.accumulatorBits = dp.weightBits + dp.activationBits + 8;
    return dp;
}

FpgaResources fpgaControl(double extraLuts)
{
    FpgaResources r;
    r.lut = kFpgaControlLuts + extraLuts;
    r.ff = r.lut * 1.2;
    return r;
}

int wordBitsFor(const DesignInputs& inputs, const Datapath& dp, bool weights, bool inputs_, bool outputs, bool partialSums)
{
    if (inputs.params.integer("word_bits") > 0)
        return static_cast<int>(inputs.params.integer("word_bits"));
    int bits = 1;
    if (weights)
        bits = std::max(bits, dp.weightBits);
    if (inputs_)
        bits = std::max(bits, dp.activationBits);
    if (outputs)
        bits = std::max(bits, partialSums ? dp.accumulatorBits : dp.activationBits);
    return bits;
}

double dramWordsPerCycle(const DesignInputs& inputs, int wordBits)
{
    const double bytesPerSecond = inputs.platform.dramBandwidth(inputs.params.number("dram_bandwidth_gbs"));
    if (bytesPerSecond <= 0)
        return 0;
    return bytesPerSecond / inputs.platform.clockHz() * 8.0 / wordBits;
}

std::string designCacheKey(const std::string& templateName, const DesignInputs& inputs, const Datapath& dp)
{
    return templateName + "|" + inputs.params.values().dump() + "|" + inputs.platform.spec().toJson().dump() + "|" + dp.describe();
}

LayerResult layerResultFor(const Workload& w)
{
    LayerResult r;
    r.name = w.name;
    r.layer = w.layer;
    r.kind = w.kind;
    r.macs = w.denseMacs;
    r.effectiveMacs = w.macs;
    r.shape = w.describe();
    r.weightBits = w.compression.weights.bits;
    r.activationBits = w.compression.activations.bits;
    r.precision = "w" + std::to_string(r.weightBits) + " a" + std::to_string(r.activationBits);
    return r;
}

unsigned dimMask(std::initializer_list<int> dims)
{
    unsigned mask = 0;
    for (int d : dims)
        mask |= 1u << d;
    return mask;
}

void noTemporal(LevelConstraints& c, std::initializer_list<int> dims)
{
    for (int d : dims)
        c.temporalFactor[static_cast<std::size_t>(d)] = 1;
}

void noSpatial(LevelConstraints& c, std::initializer_list<int> dims)
{
    for (int d : dims)
        c.spatialFactor[static_cast<std::size_t>(d)] = 1;
}

void onlyTemporal(LevelConstraints& c, std::initializer_list<int> dims)
{
    for (int d = 0; d < kConvDims; ++d)
        if (std::find(dims.begin(), dims.end(), d) == dims.end())
            c.temporalFactor[static_cast<std::size_t>(d)] = 1;
}

void keepOnly(LevelConstraints& c, std::initializer_list<int> spaces)
{
    c.keep.reset();
    c.bypass.set();
    for (int s : spaces) {
        c.keep.set(static_cast<std::size_t>(s));
        c.bypass.reset(static_cast<std::size_t>(s));
    }
    for (int s = 3; s < kMaxDataSpaces; ++s)
        c.bypass.reset(static_cast<std::size_t>(s));
}

double ceilDivReal(double a, double b)
{
    return b > 0 ? std::ceil(a / b) : 0;
}

double expectedMaxOfNormals(double n)
{
    if (n <= 1)
        return 0;
    const double target = (n - 0.375) / (n + 0.25);
    double lo = 0, hi = 10;
    for (int i = 0; i < 80; ++i) {
        const double mid = (lo + hi) / 2;
        (0.5 * std::erfc(-mid / std::sqrt(2.0)) < target ? lo : hi) = mid;
    }
    return (lo + hi) / 2;
}

std::optional<PeSpec> peOnDatapath(const Workload& w, const Datapath& dp, PeMode mode, int lanes, double instances, std::string origin)
{
    if (w.unit != WorkUnit::Array)
        return std::nullopt;
    PeSpec pe;
    pe.mode = mode;
    pe.lanes = std::max(1, lanes);
    pe.weightBits = std::min(dp.weightBits, w.compression.weights.bits);
    pe.activationBits = std::min(dp.activationBits, w.compression.activations.bits);
    pe.accumulatorBits = std::clamp(dp.accumulatorBits, PeLimits::minSignedBits, kPeLimits.accumulatorBits);
    pe.outputBits = pe.activationBits;
    pe.instances = instances;
    pe.origin = std::move(origin);
    return pe;
}

}  // namespace cdx
