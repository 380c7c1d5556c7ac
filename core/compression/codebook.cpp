// Codebook quantisation: grid, k-means fit and nearest codeword (codebook.h).
#include "core/compression/codebook.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <utility>

namespace cdx {

namespace {

// LSD radix sort on the order-preserving unsigned image of finite floats: linear time, where a
// comparison sort of a few million weights took most of a codebook fit.
void sortFloats(std::vector<float>& values)
{
    std::vector<std::uint32_t> keys(values.size()), scratch(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        const auto u = std::bit_cast<std::uint32_t>(values[i]);
        keys[i] = (u & 0x80000000u) != 0 ? ~u : u | 0x80000000u;
    }
    constexpr int kDigitBits = 11;
    constexpr std::uint32_t kDigitMask = (1u << kDigitBits) - 1;
    for (int shift = 0; shift < 32; shift += kDigitBits) {
        std::array<std::size_t, kDigitMask + 1> offsets{};
        for (std::uint32_t key : keys)
            ++offsets[(key >> shift) & kDigitMask];
        std::size_t total = 0;
        for (auto& offset : offsets)
            total += std::exchange(offset, total);
        for (std::uint32_t key : keys)
            scratch[offsets[(key >> shift) & kDigitMask]++] = key;
        keys.swap(scratch);
    }
    for (std::size_t i = 0; i < values.size(); ++i) {
        const std::uint32_t key = keys[i];
        values[i] = std::bit_cast<float>((key & 0x80000000u) != 0 ? key & 0x7fffffffu : ~key);
    }
}

}  // namespace

// Without values to cluster: the k-means initialisation itself, a uniform grid over the range,
// in place of the Lloyd-Max levels of a Gaussian (close enough for the estimates made without
// data, and what modelQuantization assumes).
std::vector<float> codebookGrid(int bits, const ValueRange& range)
{
    if (!(range.maxValue > range.minValue))
        return {static_cast<float>(range.minValue)};
    const std::size_t levels = std::size_t{1} << bits;
    std::vector<float> grid(levels);
    for (std::size_t i = 0; i < levels; ++i)
        grid[i] = static_cast<float>(range.minValue + (range.maxValue - range.minValue) * static_cast<double>(i) /
                                                          static_cast<double>(levels - 1));
    return grid;
}

// 1-D k-means. With the values sorted every cluster is a contiguous run between the midpoints
// of neighbouring centroids, so an iteration is k binary searches plus prefix-sum means.
// An empty cluster keeps its centroid, which stays between its neighbours: the order holds.
std::vector<float> kMeans(std::span<const float> values, int bits)
{
    std::vector<float> sorted;
    sorted.reserve(values.size());
    for (float v : values)
        if (std::isfinite(v))
            sorted.push_back(v);
    sortFloats(sorted);
    const std::size_t k = std::size_t{1} << bits;
    std::size_t distinctCount = sorted.empty() ? 0 : 1;
    for (std::size_t i = 1; i < sorted.size() && distinctCount <= k; ++i)
        distinctCount += sorted[i] != sorted[i - 1] ? 1 : 0;
    if (distinctCount <= k) {  // every value its own centroid: exact
        sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
        return sorted;
    }

    std::vector<double> prefix(sorted.size() + 1, 0.0);
    for (std::size_t i = 0; i < sorted.size(); ++i)
        prefix[i + 1] = prefix[i] + sorted[i];
    const double lo = sorted.front();
    const double hi = sorted.back();
    std::vector<double> centroids(k);
    for (std::size_t i = 0; i < k; ++i)
        centroids[i] = lo + (hi - lo) * static_cast<double>(i) / static_cast<double>(k - 1);

    std::vector<std::size_t> starts(k + 1, 0), previous;
    starts[k] = sorted.size();
    constexpr int kIterations = 20;
    for (int iteration = 0; iteration < kIterations; ++iteration) {
        for (std::size_t i = 1; i < k; ++i) {
            const double mid = 0.5 * (centroids[i - 1] + centroids[i]);
            const auto at = std::lower_bound(sorted.begin(), sorted.end(), mid,
                                             [](float v, double m) { return static_cast<double>(v) < m; });
            starts[i] = static_cast<std::size_t>(at - sorted.begin());
        }
        if (starts == previous)
            break;
        for (std::size_t i = 0; i < k; ++i)
            if (starts[i + 1] > starts[i])
                centroids[i] = (prefix[starts[i + 1]] - prefix[starts[i]]) / static_cast<double>(starts[i + 1] - starts[i]);
        previous = starts;
    }
    return std::vector<float>(centroids.begin(), centroids.end());
}

double nearestCodeword(double x, const std::vector<float>& codebook)
{
    if (codebook.empty() || std::isnan(x))
        return codebook.empty() ? 0.0 : x;
    const auto at = std::lower_bound(codebook.begin(), codebook.end(), x,
                                     [](float c, double v) { return static_cast<double>(c) < v; });
    if (at == codebook.begin())
        return *at;
    if (at == codebook.end())
        return codebook.back();
    const double upper = *at;
    const double lower = *(at - 1);
    return x - lower < upper - x ? lower : upper;
}

}  // namespace cdx
