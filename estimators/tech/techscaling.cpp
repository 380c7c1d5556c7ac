#include "estimators/tech/techscaling.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace cdx {

namespace {

double fitEnergy(const std::array<double, 3>& fit, double vdd)
{
    return fit[0] * vdd * vdd + fit[1] * vdd + fit[2];
}

/// f(node) for the table nodes around `nodeNm`, interpolated linearly.
template <class F>
double interpolate(const std::map<int, std::string>& nodes, double nodeNm, F&& f)
{
    auto upper = nodes.lower_bound(static_cast<int>(std::ceil(nodeNm)));
    if (upper == nodes.end())
        return f(std::prev(upper)->first);
    if (upper->first == nodeNm || upper == nodes.begin())
        return f(upper->first);
    auto lower = std::prev(upper);
    const double t = (nodeNm - lower->first) / (upper->first - lower->first);
    return f(lower->first) * (1 - t) + f(upper->first) * t;
}

}  // namespace

std::pair<double, double> vddRange(const TechLibrary& lib, double nodeNm)
{
    const double nominal = nominalVdd(lib, nodeNm);
    return {std::max(kMinVdd, 0.55 * nominal), std::min(kMaxVdd, 1.3 * nominal)};
}

std::optional<std::string> checkNodeAndVdd(const TechLibrary& lib, double nodeNm, double vdd)
{
    std::ostringstream why;
    if (!(nodeNm >= kMinNodeNm && nodeNm <= kMaxNodeNm)) {
        why << "node " << nodeNm << " nm is outside the scaling tables (" << kMinNodeNm << " to " << kMaxNodeNm << " nm)";
        return why.str();
    }
    const auto [low, high] = vddRange(lib, nodeNm);
    if (!(vdd >= low && vdd <= high)) {
        why << "vdd " << vdd << " V is outside what the " << nodeNm << " nm fit covers (" << low << " to " << high << " V)";
        return why.str();
    }
    return std::nullopt;
}

double interpolateNodeTable(const std::map<int, double>& table, double nodeNm)
{
    auto upper = table.lower_bound(static_cast<int>(std::ceil(nodeNm)));
    if (upper == table.end())
        return std::prev(upper)->second;
    if (upper->first == nodeNm || upper == table.begin())
        return upper->second;
    auto lower = std::prev(upper);
    const double t = (nodeNm - lower->first) / (upper->first - lower->first);
    return lower->second * (1 - t) + upper->second * t;
}

double energyScale(const TechLibrary& lib, double nodeNm, double vdd)
{
    const double base = fitEnergy(lib.energyFits.at(lib.baseFit), lib.baseVdd);
    return interpolate(lib.nodeFits, nodeNm, [&](int node) {
        // A neighbouring table node may not cover this voltage (interpolating towards 180 nm
        // at 0.8 V): evaluate its fit at the nearest voltage it covers and carry the rest as
        // dynamic energy, C V^2.
        const auto [low, high] = vddRange(lib, node);
        const double covered = std::clamp(vdd, low, high);
        const double ratio = vdd / covered;
        return fitEnergy(lib.energyFits.at(lib.nodeFits.at(node)), covered) * ratio * ratio / base;
    });
}

double areaScale(const TechLibrary& lib, double nodeNm)
{
    return interpolateNodeTable(lib.areaFactors, nodeNm);
}

double nominalVdd(const TechLibrary& lib, double nodeNm)
{
    return interpolateNodeTable(lib.nominalVdd, nodeNm);
}

}  // namespace cdx
