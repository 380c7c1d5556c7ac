// The compression analysis of one layer: masks, storage, quantisation and the workload effect.
#include "core/compression/compressionanalyzer.h"

#include "core/compression/bitpairencoding.h"
#include "core/compression/pruner.h"
#include "core/compression/weightcompressor.h"
#include "core/compression/weightmatrix.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace cdx {

namespace {

/// The PE count csc columns and the imbalance are counted over.
Dim pesFor(const LayerCompression& s, const CompressionOptions& options)
{
    if (options.pes > 0)
        return options.pes;
    if (s.storage.pes > 0)
        return s.storage.pes;
    return s.pruning.kind == PruningKind::LoadBalanced ? s.pruning.pes : 1;
}

/// Rows spread unevenly over the PEs: the busiest PE has ceil(rows / pes) of them.
double rowImbalance(Dim rows, Dim pes)
{
    if (rows <= 0 || pes <= 1)
        return 1.0;
    return static_cast<double>((rows + pes - 1) / pes) / (static_cast<double>(rows) / static_cast<double>(pes));
}

/// The expected imbalance of independently kept weights: the busiest of `pes` PEs lies about
/// sqrt(2 ln pes) standard deviations above the mean (Gaussian approximation of the binomials).
double expectedRandomImbalance(const WeightMatrix& m, double density, Dim pes)
{
    if (pes <= 1 || density >= 1)
        return rowImbalance(m.rows, pes);
    const double cells = static_cast<double>((m.rows + pes - 1) / pes) * static_cast<double>(m.cols);
    const double mean = density * static_cast<double>(m.size()) / static_cast<double>(pes);
    const double busiest = density * cells + std::sqrt(cells * density * (1 - density) * 2 * std::log(static_cast<double>(pes)));
    return mean > 0 ? busiest / mean : 1.0;
}

/// Real multiplications of a circulant matrix-vector product by FFT: a b-point FFT of each input
/// block, (b/2 + 1) complex products per block (real inputs), an inverse FFT of each output block;
/// a radix-2 FFT takes (b/2) log2 b complex multiplications, each counted as 4 real ones.
double circulantMultiplications(Dim blockRows, Dim blockCols, Dim b)
{
    const double logB = std::ceil(std::log2(static_cast<double>(std::max<Dim>(b, 2))));
    const double products = static_cast<double>(blockRows * blockCols) * (static_cast<double>(b / 2) + 1);
    const double transforms = static_cast<double>(blockRows + blockCols) * static_cast<double>(b / 2) * logB;
    return 4 * (products + transforms);
}

struct MatrixTally {
    Dim dense = 0, kept = 0;
    StorageCost storage;
    std::vector<Dim> perPe;
    double energy = 0, prunedEnergy = 0, circulantErrorEnergy = 0;
    double circulantMacsPerRepeat = 0;
    double imbalance = 1;  ///< expected, when not counted
    std::vector<QuantizedWeights> quantized;  ///< measured matrices (their values dropped: only the figures are needed)
};

void keepQuantized(QuantizedWeights w, MatrixTally& t)
{
    w.compressed.matrix.values = {};
    t.quantized.push_back(std::move(w));
}

void tallyCirculant(const WeightMatrix& m, const LayerCompression& s, MatrixTally& t)
{
    const Dim b = s.pruning.blockSize;
    const CirculantProjection proj = projectCirculant(m, b);
    t.kept += proj.storedValues;
    t.storage += circulantStorageCost(m, proj.storedValues, s.weights.bits);
    t.storage.scaleBits += quantParamBits(s.weights, proj.blockRows);
    t.circulantMacsPerRepeat += circulantMultiplications(proj.blockRows, proj.blockCols, b);
    double energy = 1.0;
    if (m.hasValues()) {
        energy = 0;
        for (float v : m.values)
            energy += static_cast<double>(v) * v;
        keepQuantized(quantizeCirculant(m, proj, b, s.weights), t);
        t.circulantErrorEnergy += proj.relativeError * proj.relativeError * energy;
    } else {
        energy = static_cast<double>(m.size());
        t.circulantErrorEnergy += (1.0 - 1.0 / static_cast<double>(b)) * energy;  // i.i.d. weights keep 1/b
    }
    t.energy += energy;
    t.imbalance = std::max(t.imbalance, rowImbalance(proj.blockRows, 1));
}

void tallyMasked(const WeightMatrix& m, const LayerCompression& s, Dim pes, MatrixTally& t)
{
    if (m.hasValues()) {
        const PruningMask mask = pruneMatrix(m, s.pruning);
        t.kept += mask.kept;
        t.storage += storageCost(m, mask.keep, s.pruning, s.storage, s.weights.bits, pes);
        t.storage.scaleBits += quantParamBits(s.weights, m.rows);
        const auto perPe = nonzerosPerPe(m, mask.keep, pes);
        t.perPe.resize(perPe.size(), 0);
        for (std::size_t i = 0; i < perPe.size(); ++i)
            t.perPe[i] += perPe[i];
        double energy = 0;
        for (Dim i = 0; i < m.size(); ++i) {
            const float v = m.values[static_cast<std::size_t>(i)];
            energy += static_cast<double>(v) * v;
        }
        t.energy += energy;
        t.prunedEnergy += mask.prunedEnergy * energy;
        keepQuantized(quantizeMasked(m, mask.keep, s.weights), t);
        return;
    }
    const Dim kept = expectedKept(m, s.pruning);
    t.kept += kept;
    t.storage += expectedStorageCost(m, kept, s.pruning, s.storage, s.weights.bits, pes);
    t.storage.scaleBits += quantParamBits(s.weights, m.rows);
    const double energy = static_cast<double>(m.size());
    t.energy += energy;
    t.prunedEnergy += expectedPrunedEnergy(s.pruning) * energy;
    const bool random = s.pruning.kind == PruningKind::Unstructured || s.pruning.kind == PruningKind::Block;
    t.imbalance = std::max(t.imbalance, random ? expectedRandomImbalance(m, s.pruning.density, pes) : rowImbalance(m.rows, pes));
}

/// Kept weights times their value and index bits: the compression papers' count (no padding,
/// no pointers).
Dim nominalBits(const StorageCost& s, Dim kept, int valueBits)
{
    if (s.format == StorageFormat::Csc || s.format == StorageFormat::GroupIndex)
        return kept * (valueBits + s.indexWidth);
    return s.totalBits();
}

/// Bit-pair encoding's essential add terms per dense weight, from the kept weights' terms
/// (pruned weights have none).
void essentialTerms(const BitPairStats& kept, const MatrixTally& t, WorkloadEffect& e)
{
    if (t.dense <= 0 || kept.mean <= 0)
        return;
    const double share = static_cast<double>(t.kept) / static_cast<double>(t.dense);
    const double second = kept.variance + kept.mean * kept.mean;
    e.essentialTermsPerWeight = share * kept.mean;
    e.essentialTermsVariance = std::max(0.0, share * second - e.essentialTermsPerWeight * e.essentialTermsPerWeight);
}

/// The figures of the matrices' quantisations together; the reported fit is the widest one
/// (per tensor with one matrix: the only one).
void combineQuantized(const MatrixTally& t, LayerCompressionReport& r)
{
    QuantizedWeights all;
    double terms = 0, squares = 0, zeros = 0, count = 0;
    for (const QuantizedWeights& w : t.quantized) {
        all.signalEnergy += w.signalEnergy;
        all.noiseEnergy += w.noiseEnergy;
        all.clipped += w.clipped;
        all.stats.values += w.stats.values;
        all.stats.maxAbsError = std::max(all.stats.maxAbsError, w.stats.maxAbsError);
        const double n = static_cast<double>(w.stats.values);
        count += n;
        terms += n * w.bitPairs.mean;
        squares += n * (w.bitPairs.variance + w.bitPairs.mean * w.bitPairs.mean);
        zeros += n * w.bitPairs.zeroShare;
        for (const QuantParams& p : w.compressed.quant)
            if (all.compressed.quant.empty() || p.highest - p.lowest > all.compressed.quant[0].highest - all.compressed.quant[0].lowest)
                all.compressed.quant = {p};
    }
    QuantStats& s = all.stats;
    s.measured = true;
    s.noiseToSignal = all.noiseEnergy == 0 ? 0.0 : all.signalEnergy == 0 ? std::numeric_limits<double>::infinity() : all.noiseEnergy / all.signalEnergy;
    s.sqnrDb = s.noiseToSignal > 0 ? -10 * std::log10(s.noiseToSignal) : std::numeric_limits<double>::infinity();
    s.clippedFraction = s.values > 0 ? static_cast<double>(all.clipped) / static_cast<double>(s.values) : 0.0;
    r.weightStats = s;
    if (!all.compressed.quant.empty())
        r.weightQuant = all.compressed.quant[0];
    BitPairStats kept;
    if (count > 0) {
        kept.mean = terms / count;
        kept.variance = std::max(0.0, squares / count - kept.mean * kept.mean);
        kept.zeroShare = zeros / count;
    }
    essentialTerms(kept, t, r.effect);
}

void quantiseOperands(const MatrixTally& t, bool measured, LayerCompressionReport& r)
{
    const LayerCompression& s = r.setting;
    if (measured) {
        combineQuantized(t, r);
    } else {
        r.weightQuant = Quantizer::fit(s.weights, ValueRange::gaussian(1.0)).params();
        r.weightStats = modelQuantization(s.weights);
        const BitPairStats all = gaussianBitPairStats(r.weightQuant.bits, quantStep(r.weightQuant), r.density);  // pruned included
        r.effect.essentialTermsPerWeight = all.mean;
        r.effect.essentialTermsVariance = all.variance;
    }
    r.activationQuant = Quantizer::fit(s.activations, ValueRange::gaussian(1.0)).params();
    r.activationStats = modelQuantization(s.activations);
}

void fillEffect(const Layer& layer, const MatrixTally& t, double inputChannelKeep, LayerCompressionReport& r)
{
    const LayerCompression& s = r.setting;
    WorkloadEffect& e = r.effect;
    const double repeats = r.denseWeights > 0 ? static_cast<double>(layer.counts.macs) / static_cast<double>(r.denseWeights) : 0.0;
    double performed = static_cast<double>(layer.counts.macs) * r.density;
    if (s.pruning.kind == PruningKind::Circulant)
        performed = repeats * t.circulantMacsPerRepeat;
    e.inputChannelKeep = inputChannelKeep;
    if (s.pruning.kind == PruningKind::Channel)
        e.outputChannelKeep = r.density;
    if (s.pruning.kind == PruningKind::Group)
        e.structuralGroups = s.pruning.groups;
    if (s.pruning.kind == PruningKind::BlockDiagonal)
        e.structuralGroups = s.pruning.blocks;
    if (s.fastAlgorithm != FastAlgorithm::None)
        if (const auto shape = fastConvShape(layer)) {
            r.fast = countFastConvolution(s.fastAlgorithm, *shape);
            if (r.fast.applicable) {
                performed = static_cast<double>(r.fast.multiplications) * e.outputChannelKeep;
                if (s.pruning.kind != PruningKind::None && s.pruning.kind != PruningKind::Channel)
                    r.notes.push_back("the fast algorithm's transformed weights are dense: the pruning saves storage, not multiplications");
            }
        }
    e.effectiveMacs = std::llround(performed * inputChannelKeep);
    e.weightDensity = r.denseWeights > 0 ? static_cast<double>(t.storage.values - t.storage.paddingZeros) / static_cast<double>(r.denseWeights) : 1.0;
    e.weightBits = t.storage.totalBits();
    e.weightMetadataBits = t.storage.metadataBits();
}

/// An integer dot product of n terms of a-bit and w-bit values needs a + w + ceil(log2 n) bits to
/// be exact; a narrower accumulator must saturate or drop low bits.
void checkAccumulator(const std::vector<WeightMatrix>& matrices, LayerCompressionReport& r)
{
    const LayerCompression& s = r.setting;
    if (isFloatingPoint(s.weights.format) || isFloatingPoint(s.activations.format))
        return;
    Dim terms = 1;
    for (const auto& m : matrices)
        terms = std::max(terms, m.cols);
    r.accumulatorBitsNeeded = s.weights.bits + s.activations.bits + (terms > 1 ? indexWidthFor(terms) : 0);
    if (s.accumulatorAuto) {
        // A profiled width is narrower than the worst case on purpose: it holds what real data
        // produced, plus the margin, as the HALF framework's hardware profiler sets its accumulators
        // (SustainML, "Hardware accelerator architecture report", Horizon Europe deliverable D2.1).
        r.notes.push_back(s.accumulatorBits > 0
                              ? "accumulator " + std::to_string(s.accumulatorBits) + " bits: the measured range plus " +
                                    std::to_string(s.accumulatorMarginBits) + " margin bit(s) (an exact sum of " +
                                    std::to_string(terms) + " products needs " + std::to_string(r.accumulatorBitsNeeded) + ")"
                              : std::string("accumulator \"auto\" without a measured range (the project has no accuracy data, "
                                            "or the layer is not an integer multiply-accumulate): the template's width is used"));
        return;
    }
    if (s.accumulatorBits > 0 && s.accumulatorBits < r.accumulatorBitsNeeded)
        r.notes.push_back("a " + std::to_string(s.accumulatorBits) + "-bit accumulator is narrower than the " +
                          std::to_string(r.accumulatorBitsNeeded) + " bits an exact sum of " + std::to_string(terms) +
                          " products needs: it must saturate or drop low bits");
}

}  // namespace

LayerCompressionReport analyzeLayer(const Layer& layer, Dim index, const LayerCompression& setting, const CompressionOptions& options,
                                    double inputChannelKeep)
{
    LayerCompressionReport r;
    r.layer = layer.name;
    r.kind = layer.kind;
    r.index = index;
    r.setting = setting;
    WorkloadEffect& e = r.effect;
    e.macs = layer.counts.macs;
    e.effectiveMacs = layer.counts.macs;
    e.activationDensity = setting.activationDensity;
    e.weightValueBits = setting.weights.bits;
    e.activationBits = setting.activations.bits;
    e.accumulatorBits = setting.accumulatorBits;
    r.otherParams = layer.counts.params;
    r.storedParams = layer.counts.params;
    const std::vector<WeightMatrix> matrices = weightMatrices(layer);
    if (matrices.empty())
        return r;
    r.hasWeights = true;
    r.measured = std::all_of(matrices.begin(), matrices.end(), [](const WeightMatrix& m) { return m.hasValues(); });
    const Dim pes = pesFor(setting, options);
    e.pes = pes;
    MatrixTally t;
    Dim nonFinite = 0;
    for (const auto& m : matrices) {
        nonFinite += m.nonFinite;
        t.dense += m.size();
        if (setting.pruning.kind == PruningKind::Circulant)
            tallyCirculant(m, setting, t);
        else
            tallyMasked(r.measured ? m : WeightMatrix{m.name, m.rows, m.cols, m.kernelTaps, {}}, setting, pes, t);
    }
    r.denseWeights = t.dense;
    r.keptWeights = t.kept;
    r.storage = t.storage;
    r.requestedDensity = setting.pruning.nominalDensity();
    r.density = t.dense > 0 ? static_cast<double>(t.kept) / static_cast<double>(t.dense) : 1.0;
    r.otherParams = std::max<Dim>(0, layer.counts.params - t.dense);
    r.storedParams = t.kept + r.otherParams;
    r.prunedEnergy = t.energy > 0 ? (t.prunedEnergy + t.circulantErrorEnergy) / t.energy : 0.0;
    r.circulantError = setting.pruning.kind == PruningKind::Circulant && t.energy > 0 ? std::sqrt(t.circulantErrorEnergy / t.energy) : 0.0;
    const Dim bits = t.storage.totalBits();
    r.compressionRatio = bits > 0 ? 32.0 * static_cast<double>(t.dense) / static_cast<double>(bits) : 1.0;
    const Dim nominal = nominalBits(t.storage, t.kept, setting.weights.bits);
    r.nominalCompressionRatio = nominal > 0 ? 32.0 * static_cast<double>(t.dense) / static_cast<double>(nominal) : 1.0;
    e.imbalance = r.measured && !t.perPe.empty() ? imbalanceOf(t.perPe) : t.imbalance;
    quantiseOperands(t, r.measured, r);
    fillEffect(layer, t, inputChannelKeep, r);
    checkAccumulator(matrices, r);
    r.noiseToSignal = r.prunedEnergy + (1 - r.prunedEnergy) * r.weightStats.noiseToSignal + r.activationStats.noiseToSignal;
    if (!r.measured)
        r.notes.push_back("no weights in the network: expected values for Gaussian weights of this shape");
    r.nonFiniteWeights = nonFinite;
    if (nonFinite > 0)
        r.notes.push_back(std::to_string(nonFinite) + " weights in the file are not finite numbers; they were counted as 0");
    return r;
}

}  // namespace cdx
