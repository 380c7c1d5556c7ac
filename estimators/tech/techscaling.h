#pragma once

#include "estimators/tech/techlibrary.h"

#include <optional>
#include <utility>
#include <string>

namespace cdx {

/// The smallest and largest node and supply voltage the Stillmaker-Baas fits cover.
inline constexpr double kMinNodeNm = 7;
inline constexpr double kMaxNodeNm = 180;
inline constexpr double kMinVdd = 0.5;
inline constexpr double kMaxVdd = 1.8;

/// The supply voltages a node's fit is good for: 0.55 to 1.3 times its nominal voltage, within
/// 0.5 to 1.8 V (a 180 nm process at 0.6 V is outside any fit; its linear one turns negative).
std::pair<double, double> vddRange(const TechLibrary& lib, double nodeNm);

/// Why a node or voltage is outside the tables, or nothing.
std::optional<std::string> checkNodeAndVdd(const TechLibrary& lib, double nodeNm, double vdd);

/// Energy per operation at (node, vdd) relative to the base (45 nm LP fit, 0.9 V): the node's
/// Stillmaker-Baas fit E(vdd) over the base fit's E(0.9 V). Between table nodes the factor is
/// interpolated linearly in the node size (45 -> 28 nm: 2/3 of 32 nm plus 1/3 of 20 nm).
double energyScale(const TechLibrary& lib, double nodeNm, double vdd);

/// Area relative to 45 nm, interpolated the same way.
double areaScale(const TechLibrary& lib, double nodeNm);

/// A node's nominal supply voltage, interpolated between table nodes.
double nominalVdd(const TechLibrary& lib, double nodeNm);

/// Linear interpolation of a per-node table; flat outside its nodes.
double interpolateNodeTable(const std::map<int, double>& table, double nodeNm);

}  // namespace cdx
