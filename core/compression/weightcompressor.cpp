// The compressed weight values: the masks and projections of the pruner, quantised per tensor or
// per output channel. analyzeLayer measures its quantisation error on these same values.
#include "core/compression/weightcompressor.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>

namespace cdx {

namespace {

std::size_t at(Dim i)
{
    return static_cast<std::size_t>(i);
}

/// A quantiser of one fit, with the per-row scale fp8 per channel divides by first.
struct ScaledQuantizer {
    Quantizer quantizer;
    double scale = 1;

    double quantize(double x) const { return scale * quantizer.quantize(x / scale); }
    QuantParams params() const
    {
        QuantParams p = quantizer.params();
        if (scale != 1) {
            p.scale = scale;
            p.lowest *= scale;
            p.highest *= scale;
        }
        return p;
    }
};

bool isFp8(NumberFormat f)
{
    return f == NumberFormat::Fp8E4M3 || f == NumberFormat::Fp8E5M2;
}

ScaledQuantizer fitValues(const QuantSpec& spec, std::span<const float> values)
{
    if (!(spec.perChannel() && isFp8(spec.format)))
        return {Quantizer::fit(spec, values), 1.0};
    // The scale replaces the adaptive bias: both only move the format's range onto the values.
    QuantSpec scaled = spec;
    if (scaled.biasMode == FpBias::Adaptive)
        scaled.biasMode = FpBias::Standard;
    const Quantizer q = Quantizer::fit(scaled, ValueRange{});
    const ValueRange range = ValueRange::fromData(values);
    const double scale = range.measured && range.maxAbs > 0 ? range.maxAbs / q.params().highest : 1.0;
    return {q, scale};
}

ScaledQuantizer fitUnmeasured(const QuantSpec& spec)
{
    return {Quantizer::fit(spec, ValueRange::gaussian(1.0)), 1.0};
}

/// Merges the bit-pair statistics of groups of `counts` values.
struct BitPairSum {
    double count = 0, terms = 0, squares = 0, zeros = 0;

    void add(const BitPairStats& s, double n)
    {
        count += n;
        terms += n * s.mean;
        squares += n * (s.variance + s.mean * s.mean);
        zeros += n * s.zeroShare;
    }
    BitPairStats stats() const
    {
        BitPairStats s;
        if (count <= 0)
            return s;
        s.mean = terms / count;
        s.variance = std::max(0.0, squares / count - s.mean * s.mean);
        s.zeroShare = zeros / count;
        return s;
    }
};

/// Quantises `values` with `q` into `out` (same length) and adds their error to `w`.
void quantizeGroup(const ScaledQuantizer& q, std::span<const float> values, float* out, QuantizedWeights& w, BitPairSum& bitPairs)
{
    const QuantParams p = q.params();
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double x = values[i];
        out[i] = static_cast<float>(q.quantize(x));
        const double error = x - static_cast<double>(out[i]);
        w.signalEnergy += x * x;
        w.noiseEnergy += error * error;
        w.stats.maxAbsError = std::max(w.stats.maxAbsError, std::fabs(error));
        w.clipped += x < p.lowest || x > p.highest ? 1 : 0;
    }
    w.stats.values += static_cast<std::int64_t>(values.size());
    bitPairs.add(bitPairStatsOf(values, q.quantizer.params()), static_cast<double>(values.size()));
}

/// As measureQuantization, from the sums.
void finishStats(QuantizedWeights& w, const BitPairSum& bitPairs)
{
    QuantStats& s = w.stats;
    s.measured = true;
    constexpr double inf = std::numeric_limits<double>::infinity();
    if (w.noiseEnergy == 0) {
        s.noiseToSignal = 0;
        s.sqnrDb = inf;
    } else if (w.signalEnergy == 0) {  // only a format without zero (1-bit log2) adds noise to zeros
        s.noiseToSignal = inf;
        s.sqnrDb = -inf;
    } else {
        s.noiseToSignal = w.noiseEnergy / w.signalEnergy;
        s.sqnrDb = -10 * std::log10(s.noiseToSignal);
    }
    s.clippedFraction = s.values > 0 ? static_cast<double>(w.clipped) / static_cast<double>(s.values) : 0.0;
    w.bitPairs = bitPairs.stats();
}

/// Fits one quantiser on the kept values of each group of rows [first, first + rowsPerGroup) and
/// quantises them; returns the quantised kept values in order.
std::vector<float> quantizeKept(const std::vector<float>& kept, const std::vector<std::size_t>& groupStart, const QuantSpec& spec,
                                QuantizedWeights& w, std::vector<QuantParams>& fits)
{
    std::vector<float> out(kept.size());
    BitPairSum bitPairs;
    for (std::size_t g = 0; g + 1 < groupStart.size(); ++g) {
        const std::span<const float> values(kept.data() + groupStart[g], groupStart[g + 1] - groupStart[g]);
        const ScaledQuantizer q = fitValues(spec, values);
        fits.push_back(q.params());
        quantizeGroup(q, values, out.data() + groupStart[g], w, bitPairs);
    }
    finishStats(w, bitPairs);
    w.fits = static_cast<Dim>(fits.size());
    return out;
}

WeightMatrix shapeOf(const WeightMatrix& m)
{
    return WeightMatrix{m.name, m.rows, m.cols, m.kernelTaps, {}, m.nonFinite};
}

/// A matrix without values: its shape and the fits of the Gaussian model, one per row per channel.
CompressedMatrix unmeasured(const WeightMatrix& m, const QuantSpec& spec)
{
    CompressedMatrix c{shapeOf(m), {}};
    c.quant.assign(spec.perChannel() ? at(std::max<Dim>(m.rows, 1)) : 1, fitUnmeasured(spec).params());
    return c;
}

}  // namespace

QuantizedWeights quantizeMasked(const WeightMatrix& m, const std::vector<std::uint8_t>& keep, const QuantSpec& spec)
{
    QuantizedWeights w;
    w.compressed.matrix = shapeOf(m);
    std::vector<float> kept;
    std::vector<std::size_t> groupStart{0};
    kept.reserve(m.values.size());
    for (Dim r = 0; r < m.rows; ++r) {
        for (Dim c = 0; c < m.cols; ++c)
            if (keep[at(r * m.cols + c)])
                kept.push_back(m.values[at(r * m.cols + c)]);
        if (spec.perChannel())
            groupStart.push_back(kept.size());
    }
    if (!spec.perChannel())
        groupStart.push_back(kept.size());
    const std::vector<float> quantized = quantizeKept(kept, groupStart, spec, w, w.compressed.quant);
    std::vector<float>& out = w.compressed.matrix.values;
    out.assign(m.values.size(), 0.0f);
    std::size_t next = 0;
    for (std::size_t i = 0; i < out.size(); ++i)
        if (keep[i])
            out[i] = quantized[next++];
    return w;
}

QuantizedWeights quantizeCirculant(const WeightMatrix& m, const CirculantProjection& projection, Dim b, const QuantSpec& spec)
{
    QuantizedWeights w;
    w.compressed.matrix = shapeOf(m);
    // Vectors are stored block row by block row: a block row is a contiguous run.
    const std::size_t perBlockRow = at(projection.blockCols * b);
    std::vector<std::size_t> groupStart{0};
    for (Dim br = 0; br < projection.blockRows; ++br)
        if (spec.perChannel())
            groupStart.push_back(at(br + 1) * perBlockRow);
    if (!spec.perChannel())
        groupStart.push_back(projection.vectors.size());
    std::vector<QuantParams> fits;
    const std::vector<float> vectors = quantizeKept(projection.vectors, groupStart, spec, w, fits);
    std::vector<float>& out = w.compressed.matrix.values;
    out.assign(at(m.size()), 0.0f);
    for (Dim r = 0; r < m.rows; ++r) {
        const Dim br = r / b, i = r % b;
        for (Dim c = 0; c < m.cols; ++c) {
            const Dim bc = c / b, j = c % b;
            out[at(r * m.cols + c)] = vectors[at((br * projection.blockCols + bc) * b + ((i - j) % b + b) % b)];
        }
    }
    auto& quant = w.compressed.quant;
    if (spec.perChannel())
        for (Dim r = 0; r < m.rows; ++r)
            quant.push_back(fits[at(r / b)]);
    else
        quant = std::move(fits);
    return w;
}

Dim quantParamBits(const QuantSpec& spec, Dim fits)
{
    if (!spec.perChannel())
        return 0;
    const bool powerOfTwo = spec.format == NumberFormat::Fixed || spec.format == NumberFormat::Log2;
    const Dim zeroPoint = spec.format == NumberFormat::Int && !spec.symmetric ? spec.bits : 0;
    return fits * ((powerOfTwo ? 8 : 32) + zeroPoint);
}

std::vector<CompressedMatrix> compressLayerWeights(const Layer& layer, const LayerCompression& setting, const CompressionOptions&)
{
    // The masks do not depend on the PE count of the options (load-balanced pruning has its own).
    const std::vector<WeightMatrix> matrices = weightMatrices(layer);
    // As analyzeLayer: a layer with any matrix missing its values is analysed on shapes alone.
    const bool measured = std::all_of(matrices.begin(), matrices.end(), [](const WeightMatrix& m) { return m.hasValues(); });
    std::vector<CompressedMatrix> out;
    for (const WeightMatrix& m : matrices) {
        if (!measured) {
            out.push_back(unmeasured(m, setting.weights));
        } else if (setting.pruning.kind == PruningKind::Circulant) {
            const Dim b = setting.pruning.blockSize;
            out.push_back(std::move(quantizeCirculant(m, projectCirculant(m, b), b, setting.weights).compressed));
        } else {
            out.push_back(std::move(quantizeMasked(m, pruneMatrix(m, setting.pruning).keep, setting.weights).compressed));
        }
    }
    return out;
}

}  // namespace cdx
