#include "core/compression/bitpairencoding.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <numbers>
#include <tuple>

namespace cdx {

namespace {

double upperTail(double a)
{
    return 0.5 * std::erfc(a / std::numbers::sqrt2);
}

/// The threshold t with P(|x| > t) = density for a unit Gaussian (bisection).
double pruneThreshold(double density)
{
    if (density >= 1)
        return 0;
    double lo = 0, hi = 40;
    for (int i = 0; i < 100; ++i) {
        const double mid = (lo + hi) / 2;
        (2 * upperTail(mid) > density ? lo : hi) = mid;
    }
    return (lo + hi) / 2;
}

/// P(x > `a` and |x| >= t) for a unit Gaussian with the pruned band (-t, t) removed: the mass of
/// a code's interval [a, b] is prunedTail(a) - prunedTail(b), one tail per interval boundary.
double prunedTail(double a, double t)
{
    if (a >= t)
        return upperTail(a);
    if (a >= -t)
        return upperTail(t);
    return upperTail(a) - (upperTail(-t) - upperTail(t));
}

void accumulate(BitPairStats& s, int terms, double weight)
{
    s.mean += weight * terms;
    s.variance += weight * terms * terms;  // the second moment until finish()
    if (terms == 0)
        s.zeroShare += weight;
}

BitPairStats finish(BitPairStats s, double total)
{
    if (total <= 0)
        return {};
    s.mean /= total;
    s.variance = std::max(0.0, s.variance / total - s.mean * s.mean);
    s.zeroShare /= total;
    return s;
}

}  // namespace

int bitPairTerms(std::int64_t value, int bits)
{
    const auto bit = [&](int i) -> int {
        if (i < 0)
            return 0;
        return static_cast<int>((value >> std::min(i, bits - 1)) & 1);  // sign extension above n - 1
    };
    int terms = 0;
    for (int i = 0; 2 * i < bits; ++i)
        terms += (-2 * bit(2 * i + 1) + bit(2 * i) + bit(2 * i - 1)) != 0 ? 1 : 0;
    return terms;
}

BitPairStats bitPairStats(std::span<const std::int64_t> codes, int bits)
{
    BitPairStats s;
    for (std::int64_t c : codes)
        accumulate(s, bitPairTerms(c, bits), 1.0);
    return finish(s, static_cast<double>(codes.size()));
}

double quantStep(const QuantParams& params)
{
    if (params.format == NumberFormat::Int)
        return params.scale;
    if (params.format == NumberFormat::Fixed)
        return std::ldexp(1.0, -params.fracBits);
    return 0;
}

BitPairStats bitPairStatsOf(std::span<const float> values, const QuantParams& params)
{
    const double step = quantStep(params);
    if (step <= 0 || values.empty())
        return {};
    const std::int64_t hi = (std::int64_t{1} << (params.bits - 1)) - 1, lo = -hi - 1;
    BitPairStats s;
    for (float v : values) {
        const double code = std::nearbyint(static_cast<double>(v) / step);
        accumulate(s, bitPairTerms(std::clamp(static_cast<std::int64_t>(code), lo, hi), params.bits), 1.0);
    }
    return finish(s, static_cast<double>(values.size()));
}

namespace {

BitPairStats computeGaussianBitPairStats(int bits, double step, double density)
{
    const double t = pruneThreshold(density);
    const std::int64_t full = (std::int64_t{1} << (bits - 1)) - 1;
    // Codes beyond 12 deviations carry no mass in double precision: the range stops there.
    const std::int64_t qmax = std::min<std::int64_t>(full, static_cast<std::int64_t>(std::ceil(12.0 / step)) + 1);
    BitPairStats s;
    accumulate(s, 0, 1 - density);  // the pruned values
    double lower = prunedTail(-1e300, t);  // at the code's lower boundary; the lowest code takes everything below it
    for (std::int64_t q = -qmax; q <= qmax; ++q) {
        const double upper = q == full || q == qmax ? 0.0 : prunedTail((static_cast<double>(q) + 0.5) * step, t);
        const double p = std::max(0.0, lower - upper);
        if (p > 0)
            accumulate(s, bitPairTerms(q, bits), p);
        lower = upper;
    }
    return finish(s, 1.0);
}

}  // namespace

BitPairStats gaussianBitPairStats(int bits, double step, double density)
{
    if (step <= 0 || bits < 1)
        return {};
    // A 16-bit code range sums ~10^5 codes; every layer with the same setting asks for the same
    // figures, so each (bits, step, density) is computed once per process.
    static std::mutex mutex;
    static std::map<std::tuple<int, double, double>, BitPairStats> memo;
    const auto key = std::make_tuple(bits, step, density);
    {
        const std::lock_guard lock(mutex);
        if (const auto it = memo.find(key); it != memo.end())
            return it->second;
    }
    const BitPairStats s = computeGaussianBitPairStats(bits, step, density);
    const std::lock_guard lock(mutex);
    if (memo.size() >= 4096)
        memo.clear();
    memo.emplace(key, s);
    return s;
}

BitPairStats uniformBitPairStats(int bits)
{
    BitPairStats s;
    const std::int64_t n = std::int64_t{1} << bits, half = n / 2;
    for (std::int64_t q = -half; q < half; ++q)
        accumulate(s, bitPairTerms(q, bits), 1.0);
    return finish(s, static_cast<double>(n));
}

}  // namespace cdx
