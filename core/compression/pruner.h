#pragma once

#include "core/compression/prunedenergymodel.h"
#include "core/compression/pruningspec.h"
#include "core/compression/weightmatrix.h"

#include <cstdint>
#include <vector>

namespace cdx {

/// Which weights of a matrix a pruning keeps, computed on its values.
struct PruningMask {
    std::vector<std::uint8_t> keep;  ///< rows x cols, row-major, 1 = kept
    Dim kept = 0;
    double prunedEnergy = 0;         ///< share of sum w^2 removed (0 for an all-zero matrix)
    /// Block-diagonal only: position -> original row / column, so that the matrix
    /// W'[i][j] = W[rowOrder[i]][colOrder[j]] has its kept weights in the diagonal blocks.
    std::vector<Dim> rowOrder;
    std::vector<Dim> colOrder;
};

/// Magnitude-based masks for every kind but circulant (which is a projection, not a mask):
/// unstructured keeps the round(density n) largest |w| (ties by position); load-balanced the
/// same number in each PE's interleaved rows; topk and nm the k (n) largest of each group of
/// consecutive weights of a row (a shorter last group keeps min(k, its length)); block the
/// round(density x blocks) blocks of largest L2 norm; channel the rows of largest L1 norm
/// (at least one); group the diagonal blocks of consecutive rows and input channels;
/// block-diagonal the diagonal blocks after row and input-channel permutations found by
/// alternately assigning columns, then rows, to the block that keeps most of their energy,
/// with equal block sizes, from a seeded random start. Requires m.hasValues().
PruningMask pruneMatrix(const WeightMatrix& m, const PruningSpec& spec);

/// Kept weights of a matrix of this shape, without its values (topk, nm, block_diagonal,
/// group and channel are exact; unstructured and block the requested share, rounded).
Dim expectedKept(const WeightMatrix& m, const PruningSpec& spec);

/// Best circulant approximation of a matrix in b x b blocks (zero-padded to multiples of b).
struct CirculantProjection {
    Dim blockRows = 0;
    Dim blockCols = 0;
    Dim storedValues = 0;        ///< blockRows x blockCols x b
    double relativeError = 0;    ///< ||W - C||_F / ||W||_F over the real (unpadded) entries
    std::vector<float> vectors;  ///< per block (row-major over blocks) its b defining values
};

/// The defining vector of each block is the mean of the block's entries along each wrapped
/// diagonal (i - j mod b), the least-squares circulant fit; padded entries take no part.
CirculantProjection projectCirculant(const WeightMatrix& m, Dim blockSize);

/// Nonzeros on each of `pes` PEs with rows interleaved (row r on PE r mod pes).
std::vector<Dim> nonzerosPerPe(const WeightMatrix& m, const std::vector<std::uint8_t>& keep, Dim pes);

/// max / mean of the counts (1 for an empty or all-zero list).
double imbalanceOf(const std::vector<Dim>& perPe);

}  // namespace cdx
