#include "core/compression/quantizer.h"

#include "core/compression/codebook.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>
#include <utility>

namespace cdx {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// The Gaussian estimate of mean|x| from the rms, for fits without values.
const double kMeanAbsPerSigma = std::sqrt(2.0 / std::numbers::pi);

std::string formatNumber(double v)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.3g", v);
    return buffer;
}

double gaussianPdf(double a)
{
    return std::exp(-0.5 * a * a) / std::sqrt(2.0 * std::numbers::pi);
}

double gaussianUpperTail(double a)
{
    return 0.5 * std::erfc(a / std::numbers::sqrt2);
}

int standardBias(int exponentBits)
{
    return (1 << (exponentBits - 1)) - 1;
}

// Formats with a fixed width ignore QuantSpec::bits; a codebook of more than 2^16 entries is no
// longer a small table of shared values, so wider codebooks are limited to 16 bits.
int effectiveBits(const QuantSpec& spec)
{
    const NumberFormatInfo& format = numberFormatInfo(spec.format);
    if (format.impliedBits > 0)
        return format.impliedBits;
    return std::clamp(spec.bits, 1, format.maxBits);
}

// Two's complement integers (and the 1-bit case below) on a uniform grid, clamped to the range.
// The asymmetric range always includes zero so that zero (padding, ReLU outputs) stays exact.
QuantParams fitInt(int bits, bool symmetric, const ValueRange& range)
{
    QuantParams p;
    p.format = NumberFormat::Int;
    p.bits = bits;
    if (symmetric) {
        const double maxCode = std::ldexp(1.0, bits - 1) - 1;
        // An all-zero tensor is exact at any scale.
        p.scale = range.maxAbs > 0 ? range.maxAbs / maxCode : 1.0;
        p.lowest = -maxCode * p.scale;
        p.highest = maxCode * p.scale;
        return p;
    }
    const double lo = std::min(range.minValue, 0.0);
    const double hi = std::max(range.maxValue, 0.0);
    const double maxCode = std::ldexp(1.0, bits) - 1;
    p.scale = hi > lo ? (hi - lo) / maxCode : 1.0;
    p.zeroPoint = std::clamp(std::nearbyint(-lo / p.scale), 0.0, maxCode);
    p.lowest = -p.zeroPoint * p.scale;
    p.highest = (maxCode - p.zeroPoint) * p.scale;
    return p;
}

// ceil(log2(v)) from the binary exponent, exact at powers of two.
int ceilLog2(double v)
{
    int exponent = 0;
    const double fraction = std::frexp(v, &exponent);
    return fraction == 0.5 ? exponent - 1 : exponent;
}

// fracBits = b - 1 - ceil(log2(maxAbs)) puts maxAbs just inside the positive codes, except when
// maxAbs is exactly a power of two: then it is one step above the largest code and saturates by
// that step, the price of choosing the radix from the magnitude alone.
QuantParams fitFixed(const QuantSpec& spec, int bits, const ValueRange& range)
{
    QuantParams p;
    p.format = NumberFormat::Fixed;
    p.bits = bits;
    const int chosen = spec.fracBits ? *spec.fracBits : (range.maxAbs > 0 ? bits - 1 - ceilLog2(range.maxAbs) : bits - 1);
    // Keeps the step and the largest code finite doubles.
    p.fracBits = std::clamp(chosen, -900, 900);
    p.scale = std::ldexp(1.0, -p.fracBits);
    p.lowest = -std::ldexp(1.0, bits - 1) * p.scale;
    p.highest = (std::ldexp(1.0, bits - 1) - 1) * p.scale;
    return p;
}

// The adaptive bias only exists for FP8 (the SustainML framework (sustainml.eu)); the wider formats keep the IEEE bias for it.
int chooseBias(const QuantSpec& spec, int exponentBits, const ValueRange& range)
{
    const bool adaptive = numberFormatInfo(spec.format).adaptiveBias;
    switch (spec.biasMode) {
    case FpBias::Fixed: return std::clamp(spec.bias, -700, 700);  // keeps the range within doubles
    case FpBias::Adaptive:
        if (adaptive && range.measured)
            return fp8AdaptiveBias(range.medianAbs, exponentBits);
        return standardBias(exponentBits);
    case FpBias::Standard: break;
    }
    return standardBias(exponentBits);
}

// Sign, exponent and mantissa as the format's row gives them; `bits` is the format's own width.
QuantParams fitFloat(const QuantSpec& spec, int bits, const ValueRange& range)
{
    const NumberFormatInfo& format = numberFormatInfo(spec.format);
    QuantParams p;
    p.format = spec.format;
    p.bits = bits;
    p.exponentBits = format.exponentBits;
    p.mantissaBits = format.significandBits - 1;
    p.bias = chooseBias(spec, p.exponentBits, range);
    const int topExponent = (1 << p.exponentBits) - 1;
    if (format.finiteTopExponent)  // OCP E4M3: only mantissa 111 of the top exponent is NaN
        p.highest = (2 - std::ldexp(1.0, 1 - p.mantissaBits)) * std::ldexp(1.0, topExponent - p.bias);
    else  // IEEE: the top exponent is Inf/NaN
        p.highest = (2 - std::ldexp(1.0, -p.mantissaBits)) * std::ldexp(1.0, topExponent - 1 - p.bias);
    p.lowest = -p.highest;
    return p;
}

// Round to nearest even on a grid whose quantum is 2^(exponent - m), the subnormals sharing the
// smallest normal exponent's quantum; scaling by powers of two keeps every step exact in double.
double roundMinifloat(double x, const QuantParams& p)
{
    if (std::isnan(x))
        return x;
    const double magnitude = std::fabs(x);
    if (magnitude == 0)
        return x;
    if (std::isinf(x))
        return std::copysign(p.highest, x);
    int binaryExponent = 0;
    std::frexp(magnitude, &binaryExponent);
    const int exponent = std::max(binaryExponent - 1, 1 - p.bias);
    const int quantumExponent = exponent - p.mantissaBits;
    const double rounded = std::ldexp(std::nearbyint(std::ldexp(magnitude, -quantumExponent)), quantumExponent);
    return std::copysign(std::min(rounded, p.highest), x);
}

QuantParams fitLog2(const QuantSpec&, int bits, const ValueRange& range)
{
    QuantParams p;
    p.format = NumberFormat::Log2;
    p.bits = bits;
    const long top = range.maxAbs > 0 ? std::lround(std::log2(range.maxAbs)) : 0;
    p.maxExponent = static_cast<int>(std::clamp(top, -1000L, 1000L));
    // One bit has no zero code: the single magnitude 2^maxExponent.
    const std::int64_t exponents = bits == 1 ? 0 : (std::int64_t{1} << (bits - 1)) - 2;
    // Below 2^-1100 a double is zero anyway.
    p.minExponent = static_cast<int>(std::max<std::int64_t>(p.maxExponent - exponents, -1100));
    p.highest = std::ldexp(1.0, p.maxExponent);
    p.lowest = -p.highest;
    return p;
}

double roundLog2(double x, const QuantParams& p)
{
    const double magnitude = std::fabs(x);
    if (p.bits == 1)
        return std::copysign(p.highest, x);
    if (std::isnan(x) || magnitude == 0 || magnitude < std::ldexp(1.0, p.minExponent - 1))
        return std::isnan(x) ? x : 0.0;
    const double k = std::clamp(std::nearbyint(std::log2(magnitude)), static_cast<double>(p.minExponent),
                                static_cast<double>(p.maxExponent));
    return std::copysign(std::ldexp(1.0, static_cast<int>(k)), x);
}

QuantParams signParams(NumberFormat format, int bits, double scale)
{
    QuantParams p;
    p.format = format;
    p.bits = bits;
    p.scale = scale;
    p.lowest = -scale;
    p.highest = scale;
    return p;
}

QuantParams ternaryParams(double threshold, double scale)
{
    QuantParams p = signParams(NumberFormat::Ternary, 2, scale);
    p.threshold = threshold;
    return p;
}

QuantParams codebookParams(int bits, std::vector<float> codebook)
{
    QuantParams p;
    p.format = NumberFormat::Codebook;
    p.bits = bits;
    std::sort(codebook.begin(), codebook.end());
    p.codebook = std::move(codebook);
    p.lowest = p.codebook.empty() ? 0.0 : p.codebook.front();
    p.highest = p.codebook.empty() ? 0.0 : p.codebook.back();
    return p;
}

// Ternary from a Gaussian: the kept magnitudes beyond threshold t average sigma phi(a) / Q(a), a = t / sigma.
QuantParams gaussianTernary(double sigma)
{
    const double threshold = 0.7 * kMeanAbsPerSigma * sigma;
    if (!(sigma > 0))
        return ternaryParams(0, 0);
    const double a = threshold / sigma;
    return ternaryParams(threshold, sigma * gaussianPdf(a) / gaussianUpperTail(a));
}

// Squared error beyond a saturation level a of N(0, 1) on one side: E[(x - a)^2; x > a].
double clippedTailError(double a)
{
    return (1 + a * a) * gaussianUpperTail(a) - a * gaussianPdf(a);
}

// E[x^2; |x| < t] for N(0, 1): what flushing to zero loses. The series avoids the cancellation
// of erf(t / sqrt 2) - 2 t phi(t) for the tiny t of the wider formats.
double flushedEnergy(double t)
{
    if (t < 1e-2)
        return 2 / std::sqrt(2 * std::numbers::pi) * (t * t * t / 3 - t * t * t * t * t / 10);
    return std::erf(t / std::numbers::sqrt2) - 2 * t * gaussianPdf(t);
}

// Rounding 2^(k+u) to 2^k or 2^(k+1), whichever is nearer in the log domain, with u uniform
// in [0, 1): the mean squared relative error, by Simpson's rule on each smooth half.
double log2RoundingNoise()
{
    const auto relative = [](double u) {
        const double ratio = u < 0.5 ? std::exp2(-u) : std::exp2(1 - u);
        return (1 - ratio) * (1 - ratio);
    };
    constexpr int kIntervals = 1000;  // even
    double total = 0;
    for (const double start : {0.0, 0.5}) {
        const double h = 0.5 / kIntervals;
        double sum = relative(start) + relative(std::nextafter(start + 0.5, start));
        for (int i = 1; i < kIntervals; ++i)
            sum += (i % 2 == 1 ? 4 : 2) * relative(start + i * h);
        total += sum * h / 3;
    }
    return total;
}

double sqnrFromNoise(double noiseToSignal)
{
    return noiseToSignal > 0 ? -10 * std::log10(noiseToSignal) : kInf;
}

struct NoiseModel {
    double noiseToSignal = 0;
    std::string model;
};

NoiseModel uniformModel(const QuantParams& p, double step, const std::string& quantiser)
{
    return {step * step / 12 + clippedTailError(p.highest) + clippedTailError(-p.lowest),
            "analytical: zero-mean Gaussian values, uniform " + quantiser + " over +-4 sigma (step^2/12 plus the clipped "
            "tails; no data)"};
}

// ---------------------------------------------------------------------------------------------
// The quantisation schemes: what a format's row (numberFormatInfo) selects. Each has a fit to a
// range and one to values, the rounding of one value, the noise model and the description.
// ---------------------------------------------------------------------------------------------

QuantParams fitToRange(const QuantSpec& spec, const ValueRange& range);

// The mean magnitude of the finite values (of which there is at least one).
double meanAbsOf(std::span<const float> values)
{
    double sumAbs = 0;
    std::size_t count = 0;
    for (float v : values)
        if (std::isfinite(v)) {
            sumAbs += std::fabs(v);
            ++count;
        }
    return sumAbs / static_cast<double>(count);
}

// The fit to values of the schemes that only need the values' range.
QuantParams fitRangeOfValues(const QuantSpec& spec, int, std::span<const float> values)
{
    return fitToRange(spec, ValueRange::fromData(values));
}

// Sign (and int1): the magnitude is the Gaussian mean|x| of the rms.
QuantParams fitSignRange(const QuantSpec& spec, int bits, const ValueRange& range)
{
    return signParams(spec.format, bits, kMeanAbsPerSigma * range.rms);
}

// Sign (and int1) from values: the magnitude is their mean|x| (XNOR-Net).
QuantParams fitSignValues(const QuantSpec& spec, int bits, std::span<const float> values)
{
    const ValueRange range = ValueRange::fromData(values);
    if (!range.measured)
        return fitToRange(spec, range);
    return signParams(spec.format, bits, meanAbsOf(values));
}

// Integer: the uniform grid of fitInt.
QuantParams fitIntegerRange(const QuantSpec& spec, int bits, const ValueRange& range)
{
    // A symmetric 1-bit integer would only hold 0, so int1 is taken as binary.
    if (bits == 1)
        return fitSignRange(spec, bits, range);
    return fitInt(bits, spec.symmetric, range);
}

// Integer from values: the range of the values, or as binary for int1.
QuantParams fitIntegerValues(const QuantSpec& spec, int bits, std::span<const float> values)
{
    return bits == 1 ? fitSignValues(spec, bits, values) : fitRangeOfValues(spec, bits, values);
}

// Ternary without values: the Gaussian closed form of gaussianTernary.
QuantParams fitTernaryRange(const QuantSpec&, int, const ValueRange& range)
{
    return gaussianTernary(range.rms);
}

// Ternary from values (TWN): threshold 0.7 mean|x|, the kept values' mean magnitude.
QuantParams fitTernaryValues(const QuantSpec& spec, int, std::span<const float> values)
{
    const ValueRange range = ValueRange::fromData(values);
    if (!range.measured)
        return fitToRange(spec, range);
    const double threshold = 0.7 * meanAbsOf(values);
    double keptSum = 0;
    std::size_t kept = 0;
    for (float v : values)
        if (std::isfinite(v) && std::fabs(v) > threshold) {
            keptSum += std::fabs(v);
            ++kept;
        }
    return ternaryParams(threshold, kept > 0 ? keptSum / static_cast<double>(kept) : 0.0);
}

// Codebook without values: the grid of codebookGrid.
QuantParams fitCodebookRange(const QuantSpec&, int bits, const ValueRange& range)
{
    return codebookParams(bits, codebookGrid(bits, range));
}

// Codebook from values: k-means of them.
QuantParams fitCodebookValues(const QuantSpec& spec, int bits, std::span<const float> values)
{
    std::vector<float> codebook = kMeans(values, bits);
    if (codebook.empty())  // no finite values: the grid over the default range
        return fitToRange(spec, ValueRange{});
    return codebookParams(bits, std::move(codebook));
}

// Sign: +-scale.
double roundSign(double x, const QuantParams& p)
{
    return x >= 0 ? p.scale : -p.scale;
}

// Integer: the nearest code, clamped to the range (int1 as binary).
double roundInteger(double x, const QuantParams& p)
{
    if (p.bits == 1)
        return roundSign(x, p);
    return std::clamp((std::nearbyint(x / p.scale + p.zeroPoint) - p.zeroPoint) * p.scale, p.lowest, p.highest);
}

// Fixed point: the nearest multiple of the step, clamped to the range.
double roundFixed(double x, const QuantParams& p)
{
    return std::clamp(std::nearbyint(x / p.scale) * p.scale, p.lowest, p.highest);
}

// Ternary: zero up to the threshold, else +-scale.
double roundTernary(double x, const QuantParams& p)
{
    if (std::fabs(x) > p.threshold)
        return x > 0 ? p.scale : -p.scale;
    return 0.0;
}

// Codebook: the nearest codeword.
double roundCodebook(double x, const QuantParams& p)
{
    return nearestCodeword(x, p.codebook);
}

// Integer params are a uniform grid (the array rounding of quantizeUniform) unless int1.
bool integerGrid(const QuantParams& p)
{
    return p.bits > 1;
}

// Fixed-point params are always a uniform grid.
bool fixedGrid(const QuantParams&)
{
    return true;
}

// Sign (and int1): 1 - 2/pi of the signal.
NoiseModel signNoise(const QuantParams&)
{
    return {1 - 2 / std::numbers::pi, "analytical: 1 - 2/pi for sign(x) mean|x| on zero-mean Gaussian values (no data)"};
}

// Integer: the uniform quantiser's noise (int1 as binary).
NoiseModel integerNoise(const QuantParams& p)
{
    if (p.bits > 1)
        return uniformModel(p, p.scale, std::to_string(p.bits) + "-bit quantiser (" + p.describe() + ")");
    return signNoise(p);
}

// Fixed point: the uniform quantiser's noise.
NoiseModel fixedNoise(const QuantParams& p)
{
    return uniformModel(p, p.scale, p.describe());
}

// Codebook: the noise of a uniform grid of as many levels.
NoiseModel codebookNoise(const QuantParams& p)
{
    const double levels = static_cast<double>(std::max<std::size_t>(p.codebook.size(), 2));
    return uniformModel(p, (p.highest - p.lowest) / (levels - 1),
                        "grid of " + std::to_string(p.codebook.size()) + " codebook levels in place of k-means");
}

// Floating point: relative rounding noise plus the values flushed to zero.
NoiseModel floatNoise(const QuantParams& p)
{
    // Unit-variance values sit well inside the range at the standard bias: no saturation term.
    const int significand = p.mantissaBits + 1;
    const double halfSubnormal = std::ldexp(1.0, -p.bias - p.mantissaBits);
    return {std::ldexp(1.0, -2 * significand) / 6 + flushedEnergy(halfSubnormal),
            "analytical: relative rounding noise 2^(-2p)/6 of " + p.describe() + " (p = " + std::to_string(significand) +
                ") plus the values flushed to zero, on zero-mean Gaussian values (no data)"};
}

// Powers of two: the rounding noise in the log domain.
NoiseModel log2Noise(const QuantParams& p)
{
    static const double kLog2Noise = log2RoundingNoise();
    return {kLog2Noise, "analytical: rounding to the nearest power of two in the log domain (" + p.describe() +
                            "), magnitudes uniform in log2 (no data)"};
}

// Ternary: the closed form for Gaussian values.
NoiseModel ternaryNoise(const QuantParams& p)
{
    // With kept magnitude alpha = phi(t) / Q(t): E[(x - q)^2] = 1 - 4 alpha phi(t) + 2 alpha^2 Q(t) = 1 - 2 phi^2 / Q.
    const double t = p.threshold;
    return {1 - 2 * gaussianPdf(t) * gaussianPdf(t) / gaussianUpperTail(t),
            "analytical: closed form of ternary with threshold 0.7 mean|x| on zero-mean Gaussian values (no data)"};
}

// "int8 symmetric, scale 0.0123", "int8 asymmetric, ...", "int1 (binary), ...".
std::string describeInteger(const QuantParams& p)
{
    const std::string width = std::to_string(p.bits);
    if (p.bits == 1)
        return "int1 (binary), scale " + formatNumber(p.scale);
    if (p.lowest == -p.highest)
        return "int" + width + " symmetric, scale " + formatNumber(p.scale);
    return "int" + width + " asymmetric, scale " + formatNumber(p.scale) + ", zero point " + formatNumber(p.zeroPoint);
}

// "fixed<8,5>".
std::string describeFixed(const QuantParams& p)
{
    return "fixed<" + std::to_string(p.bits) + "," + std::to_string(p.fracBits) + ">";
}

// "fp8_e5m2 bias 18"; the formats without an adaptive bias name it only when it is not IEEE's.
std::string describeFloat(const QuantParams& p)
{
    const std::string name(numberFormatName(p.format));
    if (numberFormatInfo(p.format).adaptiveBias || p.bias != standardBias(p.exponentBits))
        return name + " bias " + std::to_string(p.bias);
    return name;
}

// "LogQ_{1,-5}".
std::string describeLog2(const QuantParams& p)
{
    return "LogQ_{" + std::to_string(p.maxExponent) + "," + std::to_string(p.minExponent) + "}";
}

// "binary, scale 0.05".
std::string describeSign(const QuantParams& p)
{
    return "binary, scale " + formatNumber(p.scale);
}

// "ternary, threshold 0.03, scale 0.05".
std::string describeTernary(const QuantParams& p)
{
    return "ternary, threshold " + formatNumber(p.threshold) + ", scale " + formatNumber(p.scale);
}

// "codebook 4-bit, 16 values".
std::string describeCodebook(const QuantParams& p)
{
    return "codebook " + std::to_string(p.bits) + "-bit, " + std::to_string(p.codebook.size()) + " values";
}

/// What one quantisation scheme does; kSchemes has a row per QuantScheme.
struct SchemeOps {
    QuantScheme scheme;
    QuantParams (*fitRange)(const QuantSpec& spec, int bits, const ValueRange& range);
    QuantParams (*fitValues)(const QuantSpec& spec, int bits, std::span<const float> values);
    double (*round)(double x, const QuantParams& p);
    bool (*uniformGrid)(const QuantParams& p);  ///< quantizeUniform applies; null: never
    NoiseModel (*noise)(const QuantParams& p);  ///< modelQuantization's analytical model
    std::string (*describe)(const QuantParams& p);
};

// The schemes, in QuantScheme's order: a format's row names one of these.
constexpr std::array<SchemeOps, 7> kSchemes{{
    {QuantScheme::Integer, fitIntegerRange, fitIntegerValues, roundInteger, integerGrid, integerNoise, describeInteger},
    {QuantScheme::FixedPoint, fitFixed, fitRangeOfValues, roundFixed, fixedGrid, fixedNoise, describeFixed},
    {QuantScheme::FloatingPoint, fitFloat, fitRangeOfValues, roundMinifloat, nullptr, floatNoise, describeFloat},
    {QuantScheme::PowerOfTwo, fitLog2, fitRangeOfValues, roundLog2, nullptr, log2Noise, describeLog2},
    {QuantScheme::Sign, fitSignRange, fitSignValues, roundSign, nullptr, signNoise, describeSign},
    {QuantScheme::Ternary, fitTernaryRange, fitTernaryValues, roundTernary, nullptr, ternaryNoise, describeTernary},
    {QuantScheme::Codebook, fitCodebookRange, fitCodebookValues, roundCodebook, nullptr, codebookNoise, describeCodebook},
}};

// True when every row sits at its scheme's index, so that a lookup is an index.
constexpr bool inSchemeOrder()
{
    for (std::size_t i = 0; i < kSchemes.size(); ++i)
        if (static_cast<std::size_t>(kSchemes[i].scheme) != i)
            return false;
    return true;
}
static_assert(inSchemeOrder(), "kSchemes must list the schemes in QuantScheme's order");

// The scheme of `format`'s row.
const SchemeOps& schemeOf(NumberFormat format)
{
    return kSchemes[static_cast<std::size_t>(numberFormatInfo(format).scheme)];
}

// The fit without values: the scheme's fit at the format's effective width.
QuantParams fitToRange(const QuantSpec& spec, const ValueRange& range)
{
    return schemeOf(spec.format).fitRange(spec, effectiveBits(spec), range);
}

}  // namespace

ValueRange ValueRange::fromData(std::span<const float> values)
{
    std::vector<float> magnitudes;
    magnitudes.reserve(values.size());
    double lo = kInf, hi = -kInf, sumSquares = 0;
    std::size_t count = 0;
    for (float v : values) {
        if (!std::isfinite(v))
            continue;  // a broken value says nothing about the range
        lo = std::min(lo, static_cast<double>(v));
        hi = std::max(hi, static_cast<double>(v));
        sumSquares += static_cast<double>(v) * v;
        ++count;
        if (v != 0)
            magnitudes.push_back(std::fabs(v));
    }
    if (count == 0)
        return ValueRange{};
    ValueRange r;
    r.minValue = lo;
    r.maxValue = hi;
    r.maxAbs = std::max(std::fabs(lo), std::fabs(hi));
    r.rms = std::sqrt(sumSquares / static_cast<double>(count));
    r.medianAbs = 0;
    if (!magnitudes.empty()) {
        const auto mid = magnitudes.begin() + static_cast<std::ptrdiff_t>(magnitudes.size() / 2);
        std::nth_element(magnitudes.begin(), mid, magnitudes.end());
        r.medianAbs = *mid;
        if (magnitudes.size() % 2 == 0)  // the mean of the two middle values
            r.medianAbs = 0.5 * (r.medianAbs + *std::max_element(magnitudes.begin(), mid));
    }
    r.measured = true;
    return r;
}

ValueRange ValueRange::gaussian(double sigma)
{
    ValueRange r;
    r.minValue = -4 * sigma;
    r.maxValue = 4 * sigma;
    r.maxAbs = 4 * sigma;
    r.medianAbs = 0.6745 * sigma;
    r.rms = sigma;
    r.measured = false;
    return r;
}

std::string QuantParams::describe() const
{
    return schemeOf(format).describe(*this);
}

Quantizer Quantizer::fit(const QuantSpec& spec, std::span<const float> values)
{
    Quantizer q;
    q.spec_ = spec;
    q.params_ = schemeOf(spec.format).fitValues(spec, effectiveBits(spec), values);
    return q;
}

Quantizer Quantizer::fit(const QuantSpec& spec, const ValueRange& range)
{
    Quantizer q;
    q.spec_ = spec;
    q.params_ = fitToRange(spec, range);
    return q;
}

double Quantizer::quantize(double x) const
{
    return schemeOf(params_.format).round(x, params_);
}

namespace {

/// The uniform formats' rounding over an array. Adding and subtracting 1.5 x 2^52 rounds a double
/// below 2^51 in magnitude to the nearest integer, ties to even, as nearbyint does in the default
/// rounding mode; the codes are limited to well inside that first (the result is clamped to the
/// range afterwards anyway). Branch-free so that the compiler vectorises it; a NaN passes every
/// clamp as NaN, as in quantize(). The division is exact IEEE division in every clone, so the
/// AVX2 clone (four doubles at a time, where the CPU has it) gives the same values as the default.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CDX_QUANTIZER_NO_CLONES
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define CDX_QUANTIZER_NO_CLONES
#endif
#if defined(__x86_64__) && defined(__GNUC__) && !defined(CDX_QUANTIZER_NO_CLONES)
__attribute__((target_clones("avx2", "default")))
#endif
void quantizeUniform(const float* in, float* out, std::size_t n, double scale, double zero, double limit, double lowest, double highest)
{
    constexpr double kRound = 6755399441055744.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double code = std::clamp(static_cast<double>(in[i]) / scale + zero, -limit, limit);
        const double rounded = (code + kRound) - kRound;
        out[i] = static_cast<float>(std::clamp((rounded - zero) * scale, lowest, highest));
    }
}

}  // namespace

void Quantizer::quantize(std::span<const float> in, std::span<float> out) const
{
    const QuantParams& p = params_;
    const std::size_t n = std::min(in.size(), out.size());
    const auto uniformGrid = schemeOf(p.format).uniformGrid;
    if (!(uniformGrid && uniformGrid(p))) {
        const auto round = schemeOf(p.format).round;
        for (std::size_t i = 0; i < n; ++i)
            out[i] = static_cast<float>(round(static_cast<double>(in[i]), p));
        return;
    }
    const double zero = p.zeroPoint;  // 0 for fixed point
    const double limit = std::ldexp(1.0, std::min(p.bits + 1, 50)) + std::fabs(zero);
    quantizeUniform(in.data(), out.data(), n, p.scale, zero, limit, p.lowest, p.highest);
}

QuantStats measureQuantization(const Quantizer& quantizer, std::span<const float> values)
{
    const QuantParams& p = quantizer.params();
    QuantStats stats;
    stats.measured = true;
    double signal = 0, noise = 0;
    std::int64_t clipped = 0;
    for (float v : values) {
        if (!std::isfinite(v))
            continue;  // a broken value has no error to speak of
        const double x = v;
        const double error = x - quantizer.quantize(x);
        signal += x * x;
        noise += error * error;
        stats.maxAbsError = std::max(stats.maxAbsError, std::fabs(error));
        clipped += x < p.lowest || x > p.highest ? 1 : 0;
        ++stats.values;
    }
    if (noise == 0) {
        stats.noiseToSignal = 0;
        stats.sqnrDb = kInf;
    } else if (signal == 0) {  // only a format without zero (1-bit log2) adds noise to zeros
        stats.noiseToSignal = kInf;
        stats.sqnrDb = -kInf;
    } else {
        stats.noiseToSignal = noise / signal;
        stats.sqnrDb = sqnrFromNoise(stats.noiseToSignal);
    }
    stats.clippedFraction = stats.values > 0 ? static_cast<double>(clipped) / static_cast<double>(stats.values) : 0.0;
    return stats;
}

QuantStats modelQuantization(const QuantSpec& spec)
{
    const Quantizer quantizer = Quantizer::fit(spec, ValueRange::gaussian(1));
    const QuantParams& p = quantizer.params();
    NoiseModel noise = schemeOf(p.format).noise(p);
    QuantStats stats;
    stats.noiseToSignal = noise.noiseToSignal;
    stats.sqnrDb = sqnrFromNoise(noise.noiseToSignal);
    // The largest error is unbounded under Gaussian tails; maxAbsError stays 0 for a model.
    stats.clippedFraction = gaussianUpperTail(p.highest) + gaussianUpperTail(-p.lowest);
    stats.values = 0;
    stats.measured = false;
    stats.model = std::move(noise.model);
    return stats;
}

int fp8AdaptiveBias(double medianAbs, int exponentBits)
{
    if (exponentBits != 4 && exponentBits != 5)
        return exponentBits >= 1 && exponentBits <= 11 ? standardBias(exponentBits) : 0;
    if (!(medianAbs > 0))
        return standardBias(exponentBits);
    // Table 2: bias b centres median 2^(middle - b); the table starts at median 64 = 2^6.
    const int middle = 1 << (exponentBits - 1);
    const int lowestBias = middle - 6;
    const int highestBias = (1 << exponentBits) - 1;
    int best = lowestBias;
    double bestDistance = kInf;
    for (int b = lowestBias; b <= highestBias; ++b) {
        const double distance = std::fabs(medianAbs - std::ldexp(1.0, middle - b));
        if (distance < bestDistance) {
            bestDistance = distance;
            best = b;
        }
    }
    return best;
}

}  // namespace cdx
