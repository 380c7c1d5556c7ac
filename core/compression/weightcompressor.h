#pragma once

#include "core/compression/bitpairencoding.h"
#include "core/compression/compressionanalyzer.h"
#include "core/compression/pruner.h"
#include "core/compression/quantizer.h"
#include "core/compression/weightmatrix.h"  // weightTensorsOf, the inverse of weightMatrices

#include <cstdint>
#include <vector>

namespace cdx {

/// A weight matrix as the compression plan leaves it: pruned (mask, or circulant projection expanded
/// back to the full matrix) and quantised, same rows x cols row-major layout as WeightMatrix.
struct CompressedMatrix {
    WeightMatrix matrix;                 ///< values replaced by the compressed values (empty if the layer has no values)
    std::vector<QuantParams> quant;      ///< one per row when per-channel, else exactly one
};

/// The compressed weight matrices of a layer (weightMatrices order); empty for a layer without a weight operand.
/// Deterministic; exactly the values whose quantisation error analyzeLayer reports.
/// Per channel, each row gets its own fit on its kept values (a fully pruned row is exact zero);
/// fp8 per channel scales each row so that its largest magnitude lands on the format's largest
/// finite value at the standard (or fixed) bias: q(x) = s_r fp8(x / s_r), s_r = max|row| / highest,
/// so the per-row scale takes the place of an adaptive bias (QuantParams::scale holds s_r).
/// Circulant per channel fits one quantiser per block row: the rows of a block row share their
/// stored vectors, so they cannot have scales of their own.
std::vector<CompressedMatrix> compressLayerWeights(const Layer& layer, const LayerCompression& setting, const CompressionOptions& options = {});

/// One matrix's kept values quantised, with what analyzeLayer reports of them.
struct QuantizedWeights {
    CompressedMatrix compressed;
    QuantStats stats;            ///< over the kept values (circulant: the stored vector values)
    double signalEnergy = 0;     ///< sum x^2 over those values (to combine matrices)
    double noiseEnergy = 0;      ///< sum (x - q(x))^2
    std::int64_t clipped = 0;
    BitPairStats bitPairs;       ///< of the kept values' integer codes (int and fixed; mean 0 otherwise)
    Dim fits = 0;                ///< quantiser fits stored: 1 per tensor, rows (circulant: block rows) per channel
};

/// Quantises the weights `keep` leaves (1 = kept, row-major like m) of a matrix with values;
/// pruned weights become exact zeros.
QuantizedWeights quantizeMasked(const WeightMatrix& m, const std::vector<std::uint8_t>& keep, const QuantSpec& spec);

/// Quantises a circulant projection's vectors (from projectCirculant(m, blockSize)) and expands
/// them to the full matrix: entry (i, j) of block (br, bc) is vector[(i - j) mod b].
QuantizedWeights quantizeCirculant(const WeightMatrix& m, const CirculantProjection& projection, Dim blockSize, const QuantSpec& spec);

/// Bits of the per-channel quantisation parameters of `fits` fits: a 32-bit scale each (fixed and
/// log2: an 8-bit shift, their scale being a power of two), plus a `spec.bits` zero point each for
/// asymmetric int; 0 per tensor (one scale is a register, not storage).
Dim quantParamBits(const QuantSpec& spec, Dim fits);

}  // namespace cdx
