#pragma once

// Codebook quantisation's pieces (the quantizer's "codebook" format): the codebook without
// values (a uniform grid), the 1-D k-means fit to values, and rounding to the nearest codeword.

#include "core/compression/quantizer.h"

#include <span>
#include <vector>

namespace cdx {

/// 2^bits codewords evenly over the range (one codeword when the range is a point).
std::vector<float> codebookGrid(int bits, const ValueRange& range);
/// At most 2^bits codewords fitted to the finite `values` by 1-D k-means, sorted; the distinct
/// values themselves when there are no more of them than codewords.
std::vector<float> kMeans(std::span<const float> values, int bits);
/// The codeword of sorted `codebook` nearest to x (the lower one on a tie; NaN stays NaN).
double nearestCodeword(double x, const std::vector<float>& codebook);

}  // namespace cdx
