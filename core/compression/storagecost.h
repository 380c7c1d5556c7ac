#pragma once

#include "core/compression/pruningspec.h"
#include "core/compression/storagespec.h"
#include "core/compression/weightmatrix.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cdx {

/// The bits a weight matrix takes in a storage format, by kind, and how they were obtained.
struct StorageCost {
    StorageFormat format = StorageFormat::Dense;
    Dim denseWeights = 0;    ///< elements of the dense matrix
    Dim values = 0;          ///< stored values, padding zeros included
    Dim paddingZeros = 0;    ///< csc: zero entries the relative index forces
    Dim valueBits = 0;       ///< values x value width
    Dim indexBits = 0;       ///< per-entry metadata: relative row indices, group positions, block indices, bitmap
    Dim pointerBits = 0;     ///< csc column pointers, block-row pointers, permutations
    Dim scaleBits = 0;       ///< per-channel quantisation: each row's scale (and zero point); see quantParamBits
    int indexWidth = 0;      ///< bits of one index (0 where there is none)
    bool exact = true;       ///< counted on the layer's mask; false: the expected value for its shape and density

    Dim totalBits() const { return valueBits + indexBits + pointerBits + scaleBits; }
    Dim metadataBits() const { return indexBits + pointerBits + scaleBits; }
    StorageCost& operator+=(const StorageCost& o);
};

/// The format a pruning is stored in when the plan says "auto": dense for none, channel and
/// group (their kept part), dense blocks for block-diagonal, csc for unstructured and
/// load-balanced, group indices for topk and nm, block for block, circulant for circulant.
StorageFormat naturalFormat(PruningKind kind);

/// Bits needed for an index into `count` positions (ceil(log2 count), at least 1).
int indexWidthFor(Dim count);

/// What the matrix takes with its mask, counted exactly. `pes`: csc keeps one column structure per
/// PE (rows interleaved, row r on PE r mod pes), whose relative indices count only that PE's rows.
/// A csc entry's index holds the zeros before it (0 .. 2^i - 1); a longer run gets a padding zero
/// entry every 2^i positions (EIE, ESE); runs at the end of a column need none (the pointer ends it).
StorageCost storageCost(const WeightMatrix& m, const std::vector<std::uint8_t>& keep, const PruningSpec& pruning,
                        const StorageSpec& storage, int valueBits, Dim pes);

/// The same without a mask: expected padding for independently kept weights of the layer's
/// density (the probability of a gap of 2^i or more), expected block counts.
StorageCost expectedStorageCost(const WeightMatrix& m, Dim kept, const PruningSpec& pruning, const StorageSpec& storage,
                                int valueBits, Dim pes);

/// Circulant vectors: b values per block, no metadata.
StorageCost circulantStorageCost(const WeightMatrix& m, Dim storedValues, int valueBits);

}  // namespace cdx
