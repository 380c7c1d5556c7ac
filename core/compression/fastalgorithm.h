#pragma once

#include "core/network/shape.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cdx {

/// A fast algorithm that trades multiplications for additions.
enum class FastAlgorithm {
    None,
    WinogradF2x3,  ///< Winograd F(2x2, 3x3): 4x4 input tiles, 2x2 output tiles (Lavin and Gray 2016)
    WinogradF4x3,  ///< Winograd F(4x4, 3x3): 6x6 input tiles, 4x4 output tiles
    Ffa3,          ///< 3-parallel fast FIR algorithm along kernel rows (Parhi, VLSI Digital Signal Processing Systems, 1999)
    Ffa5,          ///< 5-parallel fast FIR algorithm
    Ffa7,          ///< 7-parallel fast FIR algorithm (Z. Wang's (Nanjing University, VLSI DNN implementation) 7x7 row)
};

std::string_view fastAlgorithmName(FastAlgorithm algorithm);
std::optional<FastAlgorithm> fastAlgorithmFromName(std::string_view name);
std::vector<std::string_view> fastAlgorithmNames();

/// The convolution a fast algorithm is applied to: one group of a (grouped) 2-D convolution.
struct FastConvShape {
    Dim n = 1;        ///< batch (and groups: independent convolutions)
    Dim c = 1;        ///< input channels per group
    Dim m = 1;        ///< output channels per group
    Dim p = 1;        ///< output width
    Dim q = 1;        ///< output height
    Dim r = 1;        ///< kernel width
    Dim s = 1;        ///< kernel height
    Dim stride = 1;   ///< both axes
    Dim dilation = 1; ///< both axes
};

/// Exact operation counts of a convolution computed one way.
struct FastConvCounts {
    bool applicable = false;
    std::string reason;              ///< why not, when not applicable ("Winograd F(2,3) needs a 3x3 kernel at stride 1")
    Dim multiplications = 0;         ///< general multiplications (constant multiplications by powers of two are shifts, not counted)
    Dim additions = 0;               ///< additions and subtractions, transforms included
    Dim directMultiplications = 0;   ///< the same convolution computed directly: n m c p q r s
    Dim directAdditions = 0;         ///< n m p q (c r s - 1)
    /// Per output of one kernel application (c = m = n = 1, one output pixel): the figures of
    /// Z. Wang's (Nanjing University, VLSI DNN implementation) table (3x3 with 3-parallel FFA: 6 multiplications, 12 additions).
    double multiplicationsPerOutput = 0;
    double additionsPerOutput = 0;
};

/// Counts for `algorithm` on `shape`, exact for the algorithm's construction:
///  - Winograd F(m x m, 3 x 3): per tile of m x m outputs, (m+2)^2 multiplications per input/output
///    channel pair; the input transform B^T d B once per tile and input channel, the output
///    transform A^T M A once per tile and output channel, their additions counted from the
///    nonzeros of Lavin and Gray's matrices (no common subexpressions shared), and the
///    accumulation over input channels; the filter transform is done offline. Edge tiles are padded
///    (ceil(p/m) x ceil(q/m) tiles). Needs r = s = 3, stride 1, dilation 1.
///  - k-parallel FFA (k = 3, 5, 7) along each kernel row: the kernel row is split into k polyphase
///    subfilters of length ceil(r/k); k outputs cost k(k+1)/2 subfilter products (6, 15, 28), plus
///    the pre- and post-additions of the FFA's structure (3-parallel: 3 + 7, from Z. Wang's
///    equations; 5- and 7-parallel: 31 and 58, the totals Z. Wang's table implies), plus the
///    subfilters' own additions and the sums over kernel rows and input channels. Needs stride 1.
/// Not applicable (with a reason): any other kernel or stride, or an FFA that would not save
/// multiplications (a kernel row shorter than k).
FastConvCounts countFastConvolution(FastAlgorithm algorithm, const FastConvShape& shape);

}  // namespace cdx
