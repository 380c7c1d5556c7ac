#include "core/compression/prunedenergymodel.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <utility>

namespace cdx {

namespace {

double gaussianPdf(double x)
{
    return std::exp(-0.5 * x * x) / std::sqrt(2 * M_PI);
}

/// Energy kept by one threshold that keeps a share d of |N(0,1)|.
double thresholdKeptEnergy(double d)
{
    if (d >= 1)
        return 1;
    double lo = 0, hi = 40;
    for (int i = 0; i < 200; ++i) {
        const double mid = 0.5 * (lo + hi);
        (std::erfc(mid / std::sqrt(2.0)) > d ? lo : hi) = mid;
    }
    const double t = 0.5 * (lo + hi);
    return std::clamp(2 * t * gaussianPdf(t) + d, 0.0, 1.0);
}

/// P(Binomial(n, p) >= m).
double binomialTail(int n, double p, int m)
{
    if (m <= 0)
        return 1;
    if (p <= 0)
        return 0;
    if (p >= 1)
        return 1;
    double sum = 0;
    for (int j = m; j <= n; ++j)
        sum += std::exp(std::lgamma(n + 1.0) - std::lgamma(j + 1.0) - std::lgamma(n - j + 1.0) + j * std::log(p) + (n - j) * std::log1p(-p));
    return std::min(sum, 1.0);
}

/// Energy kept by the k largest |w| of every g (Simpson's rule over y in [0, 12]).
double groupKeptEnergy(int g, int k)
{
    static std::mutex mutex;
    static std::map<std::pair<int, int>, double> known;
    {
        std::lock_guard lock(mutex);
        if (const auto it = known.find({g, k}); it != known.end())
            return it->second;
    }
    const int steps = 2400;
    const double h = 12.0 / steps;
    double sum = 0;
    for (int i = 0; i <= steps; ++i) {
        const double y = i * h;
        const double f = 2 * gaussianPdf(y), F = std::erf(y / std::sqrt(2.0));
        const double weight = i == 0 || i == steps ? 1 : i % 2 ? 4 : 2;
        sum += weight * y * y * f * binomialTail(g - 1, F, g - k);
    }
    const double kept = std::clamp(sum * h / 3, 0.0, 1.0);
    std::lock_guard lock(mutex);
    known[{g, k}] = kept;
    return kept;
}

/// The regularised lower incomplete gamma function P(a, x) (series below a + 1, else the
/// continued fraction of Q), as in every numerical-methods text.
double lowerGammaP(double a, double x)
{
    if (x <= 0)
        return 0;
    const double logPrefix = -x + a * std::log(x) - std::lgamma(a);
    if (x < a + 1) {
        double term = 1 / a, sum = term;
        for (int n = 1; n < 100000 && std::fabs(term) > 1e-15 * std::fabs(sum); ++n) {
            term *= x / (a + n);
            sum += term;
        }
        return std::min(1.0, sum * std::exp(logPrefix));
    }
    const double tiny = 1e-300;
    double b = x + 1 - a, c = 1 / tiny, d = 1 / b, f = d;
    for (int i = 1; i < 100000; ++i) {
        const double an = -i * (i - a);
        b += 2;
        d = an * d + b;
        d = std::fabs(d) < tiny ? tiny : d;
        c = b + an / c;
        c = std::fabs(c) < tiny ? tiny : c;
        d = 1 / d;
        const double delta = d * c;
        f *= delta;
        if (std::fabs(delta - 1) < 1e-15)
            break;
    }
    return std::max(0.0, 1.0 - std::exp(logPrefix) * f);
}

/// P(chi2_nu > t).
double chiSquaredTail(double nu, double t)
{
    return 1.0 - lowerGammaP(nu / 2, t / 2);
}

/// Energy kept by the blocks of largest energy, a share d of blocks of `elements` i.i.d. weights.
double blockKeptEnergy(double elements, double d)
{
    if (d >= 1)
        return 1;
    double lo = 0, hi = elements + 40 * std::sqrt(2 * elements) + 100;
    for (int i = 0; i < 200; ++i) {
        const double mid = 0.5 * (lo + hi);
        (chiSquaredTail(elements, mid) > d ? lo : hi) = mid;
    }
    // E[X; X > t] = nu P(chi2_{nu+2} > t) for X ~ chi2_nu.
    return std::clamp(chiSquaredTail(elements + 2, 0.5 * (lo + hi)), 0.0, 1.0);
}

}  // namespace

double expectedPrunedEnergy(const PruningSpec& spec)
{
    const double d = spec.nominalDensity();
    switch (spec.kind) {
    case PruningKind::None: return 0;
    case PruningKind::Unstructured:
    case PruningKind::LoadBalanced: return 1 - thresholdKeptEnergy(d);
    case PruningKind::TopK:
    case PruningKind::NM: {
        const Dim g = spec.kind == PruningKind::TopK ? spec.group : spec.m;
        const Dim k = spec.kind == PruningKind::TopK ? spec.k : spec.n;
        if (k >= g)
            return 0;
        return 1 - (g > 512 ? thresholdKeptEnergy(d) : groupKeptEnergy(static_cast<int>(g), static_cast<int>(k)));
    }
    case PruningKind::Block: return 1 - blockKeptEnergy(static_cast<double>(spec.size * spec.size), spec.density);
    default: return 1.0 - d;
    }
}

}  // namespace cdx
