#include "core/compression/fastalgorithm.h"

#include "core/util/checkedmath.h"
#include "core/util/nametable.h"

#include <array>
#include <utility>

namespace cdx {

namespace {

constexpr NameTable<FastAlgorithm, 6> kNames{{
    {FastAlgorithm::None, "none"},
    {FastAlgorithm::WinogradF2x3, "winograd_f2x3"},
    {FastAlgorithm::WinogradF4x3, "winograd_f4x3"},
    {FastAlgorithm::Ffa3, "ffa3"},
    {FastAlgorithm::Ffa5, "ffa5"},
    {FastAlgorithm::Ffa7, "ffa7"},
}};

template <std::size_t Rows, std::size_t Cols>
using Matrix = std::array<std::array<int, Cols>, Rows>;

// Additions of one 1-D transform y = T x: each row with n nonzeros costs n - 1 additions. The
// constant factors (2, 4, 5, 8) are shifts and adds in hardware; those adds are not counted,
// as Lavin and Gray count only the nonzeros, and no common subexpressions are shared.
template <std::size_t Rows, std::size_t Cols>
constexpr Dim transformAdditions(const Matrix<Rows, Cols>& matrix)
{
    Dim adds = 0;
    for (const auto& row : matrix) {
        Dim nonzeros = 0;
        for (int v : row)
            nonzeros += v != 0 ? 1 : 0;
        adds += nonzeros > 0 ? nonzeros - 1 : 0;
    }
    return adds;
}

// Lavin and Gray 2016, F(2,3) and F(4,3).
constexpr Matrix<4, 4> kF2x3Bt{{{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}}};
constexpr Matrix<2, 4> kF2x3At{{{1, 1, 1, 0}, {0, 1, -1, -1}}};
constexpr Matrix<6, 6> kF4x3Bt{{{4, 0, -5, 0, 1, 0},
                                {0, -4, -4, 1, 1, 0},
                                {0, 4, -4, -1, 1, 0},
                                {0, -2, -1, 2, 1, 0},
                                {0, 2, -1, -2, 1, 0},
                                {0, 4, 0, -5, 0, 1}}};
constexpr Matrix<4, 6> kF4x3At{{{1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0}, {0, 1, 1, 4, 4, 0}, {0, 1, -1, 8, -8, 1}}};

struct WinogradTransform {
    Dim outputTile;    // m
    Dim inputTile;     // t = m + 2
    Dim inputAdds1d;   // one 1-D pass of B^T
    Dim outputAdds1d;  // one 1-D pass of A^T
};

constexpr WinogradTransform kF2x3{2, 4, transformAdditions(kF2x3Bt), transformAdditions(kF2x3At)};
constexpr WinogradTransform kF4x3{4, 6, transformAdditions(kF4x3Bt), transformAdditions(kF4x3At)};

// The additions of a k-parallel FFA block, beyond its subfilters' own. The 3-parallel one from
// Z. Wang's (Nanjing University, VLSI DNN implementation) equations, with products P0 = H0X0, P1 = H1X1, P2 = H2X2, P3 = (H0+H1)(X0+X1),
// P4 = (H1+H2)(X1+X2), P5 = (H0+H1+H2)(X0+X1+X2):
//   pre-additions: X0+X1, X1+X2, (X0+X1)+X2 = 3 (the H sums are precomputed offline);
//   post-additions: T1 = P0 - z^-3 P2, T2 = P3 - P1, T3 = P4 - P1 (3 shared terms),
//   Y0 = T1 + z^-3 T3, Y1 = T2 - T1, Y2 = P5 - T2 - T3 (4) = 7.
// For 5 and 7 Z. Wang gives only totals per output (35 and 64 for 5x5 and 7x7 kernels); less
// the k - 1 row sums that is 31 and 58 per block of k outputs of one row. The split between
// pre- and post-additions is unknown there, so all of it is recorded as post-additions.
struct FfaStructure {
    Dim parallel;
    Dim products;
    Dim preAdditions;
    Dim postAdditions;
};

constexpr FfaStructure kFfa3{3, 6, 3, 7};
constexpr FfaStructure kFfa5{5, 15, 0, 31};
constexpr FfaStructure kFfa7{7, 28, 0, 58};

constexpr bool hasTriangularProducts(const FfaStructure& f)
{
    return f.products == f.parallel * (f.parallel + 1) / 2;
}
static_assert(hasTriangularProducts(kFfa3) && hasTriangularProducts(kFfa5) && hasTriangularProducts(kFfa7));

Dim ceilDiv(Dim a, Dim b)
{
    return (a + b - 1) / b;
}

FastConvCounts winogradCounts(const WinogradTransform& w, const FastConvShape& sh, const std::string& name)
{
    FastConvCounts counts;
    if (sh.r != 3 || sh.s != 3 || sh.stride != 1 || sh.dilation != 1) {
        counts.reason = name + " needs a 3x3 kernel at stride 1 without dilation";
        return counts;
    }
    const Dim t = w.inputTile;
    const Dim m = w.outputTile;
    const Dim tiles = checkedMul(sh.n, ceilDiv(sh.p, m), ceilDiv(sh.q, m));
    const Dim inputTransform = 2 * t * w.inputAdds1d;                   // columns, then rows
    const Dim outputTransform = t * w.outputAdds1d + m * w.outputAdds1d; // t columns to m rows, then m rows
    const Dim perTileAdds = checkedAdd(checkedAdd(checkedMul(sh.c, inputTransform), checkedMul(sh.m, outputTransform)),
                                       checkedMul(sh.m, t * t, sh.c - 1));
    counts.applicable = true;
    counts.multiplications = checkedMul(tiles, sh.c, sh.m, t * t);
    counts.additions = checkedMul(tiles, perTileAdds);
    // One tile of one channel pair, normalised per output.
    const auto outputsPerTile = static_cast<double>(m * m);
    counts.multiplicationsPerOutput = static_cast<double>(t * t) / outputsPerTile;
    counts.additionsPerOutput = static_cast<double>(inputTransform + outputTransform) / outputsPerTile;
    return counts;
}

struct FfaCost {
    Dim multiplications = 0;
    Dim additions = 0;
};

// Every (batch, output channel, input channel, kernel row, output row) runs the kernel row as an
// FIR over p outputs, in blocks of k; the products are FIRs of length ceil(r/k). Then each output
// sums its c s row results.
FfaCost ffaCost(const FfaStructure& f, const FastConvShape& sh)
{
    const Dim subfilterLength = ceilDiv(sh.r, f.parallel);
    const Dim blocks = checkedMul(sh.n, sh.m, sh.c, sh.s, sh.q, ceilDiv(sh.p, f.parallel));
    const Dim blockMuls = checkedMul(f.products, subfilterLength);
    const Dim blockAdds = f.preAdditions + f.postAdditions + f.products * (subfilterLength - 1);
    const Dim outputs = checkedMul(sh.n, sh.m, sh.p, sh.q);
    return {checkedMul(blocks, blockMuls),
            checkedAdd(checkedMul(blocks, blockAdds), checkedMul(outputs, checkedMul(sh.c, sh.s) - 1))};
}

FastConvCounts ffaCounts(const FfaStructure& f, const FastConvShape& sh, const std::string& name)
{
    FastConvCounts counts;
    const std::string k = std::to_string(f.parallel);
    if (sh.stride != 1 || sh.dilation != 1) {
        counts.reason = name + " needs stride 1 without dilation";
        return counts;
    }
    if (sh.r < f.parallel) {
        counts.reason = name + " needs kernel rows of at least " + k + " taps (the kernel is " + std::to_string(sh.r) + " wide)";
        return counts;
    }
    // r = k + 1 costs as many multiplications as the direct form (k(k+1)/2 products of 2 taps).
    if (checkedMul(f.products, ceilDiv(sh.r, f.parallel)) >= checkedMul(f.parallel, sh.r)) {
        counts.reason = name + " saves no multiplications on kernel rows of " + std::to_string(sh.r) + " taps";
        return counts;
    }
    const FfaCost whole = ffaCost(f, sh);
    counts.applicable = true;
    counts.multiplications = whole.multiplications;
    counts.additions = whole.additions;
    FastConvShape one = sh;
    one.n = one.c = one.m = one.q = 1;
    one.p = f.parallel;
    const FfaCost block = ffaCost(f, one);
    counts.multiplicationsPerOutput = static_cast<double>(block.multiplications) / static_cast<double>(f.parallel);
    counts.additionsPerOutput = static_cast<double>(block.additions) / static_cast<double>(f.parallel);
    return counts;
}

}  // namespace

std::string_view fastAlgorithmName(FastAlgorithm algorithm)
{
    return nameIn(kNames, algorithm);
}

std::optional<FastAlgorithm> fastAlgorithmFromName(std::string_view name)
{
    return valueIn(kNames, name);
}

std::vector<std::string_view> fastAlgorithmNames()
{
    return namesIn(kNames);
}

FastConvCounts countFastConvolution(FastAlgorithm algorithm, const FastConvShape& shape)
{
    const FastConvShape& sh = shape;
    if (sh.n < 1 || sh.c < 1 || sh.m < 1 || sh.p < 1 || sh.q < 1 || sh.r < 1 || sh.s < 1 || sh.stride < 1 || sh.dilation < 1) {
        FastConvCounts invalid;
        invalid.reason = "the convolution has a dimension below 1";
        return invalid;
    }
    const Dim outputs = checkedMul(sh.n, sh.m, sh.p, sh.q);
    const Dim kernel = checkedMul(sh.c, sh.r, sh.s);
    FastConvCounts counts;
    switch (algorithm) {
    case FastAlgorithm::None:
        counts.applicable = true;
        counts.multiplications = checkedMul(outputs, kernel);
        counts.additions = checkedMul(outputs, kernel - 1);
        counts.multiplicationsPerOutput = static_cast<double>(sh.r * sh.s);
        counts.additionsPerOutput = static_cast<double>(sh.r * sh.s - 1);
        break;
    case FastAlgorithm::WinogradF2x3: counts = winogradCounts(kF2x3, sh, "Winograd F(2,3)"); break;
    case FastAlgorithm::WinogradF4x3: counts = winogradCounts(kF4x3, sh, "Winograd F(4,3)"); break;
    case FastAlgorithm::Ffa3: counts = ffaCounts(kFfa3, sh, "the 3-parallel FFA"); break;
    case FastAlgorithm::Ffa5: counts = ffaCounts(kFfa5, sh, "the 5-parallel FFA"); break;
    case FastAlgorithm::Ffa7: counts = ffaCounts(kFfa7, sh, "the 7-parallel FFA"); break;
    }
    counts.directMultiplications = checkedMul(outputs, kernel);
    counts.directAdditions = checkedMul(outputs, kernel - 1);
    return counts;
}

}  // namespace cdx
