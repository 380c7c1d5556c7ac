#include "estimators/tech/physicalmodel.h"

#include <Eigen/Dense>

#include <algorithm>
#include <array>
#include <limits>

namespace cdx {

nlohmann::ordered_json PhysicalFactors::toJson() const
{
    nlohmann::ordered_json j;
    j["placement_utilisation"] = placementUtilisation;
    j["sram_macro_um2"] = sramMacroUm2;
    j["control_um2_per_mac"] = controlUm2PerMac;
    j["clock_fj_per_bit"] = clockFjPerBit;
    j["control_fj_per_mac"] = controlFjPerMac;
    j["source"] = source;
    return j;
}

PhysicalFactors PhysicalFactors::fromJson(const nlohmann::json& j, const PhysicalFactors& defaults)
{
    PhysicalFactors f = defaults;
    f.placementUtilisation = j.value("placement_utilisation", f.placementUtilisation);
    f.sramMacroUm2 = j.value("sram_macro_um2", f.sramMacroUm2);
    f.controlUm2PerMac = j.value("control_um2_per_mac", f.controlUm2PerMac);
    f.clockFjPerBit = j.value("clock_fj_per_bit", f.clockFjPerBit);
    f.controlFjPerMac = j.value("control_fj_per_mac", f.controlFjPerMac);
    f.source = j.value("source", f.source);
    return f;
}

namespace {

double sumOf(const std::vector<AreaItem>& items, AreaKind kind, double AreaItem::*field)
{
    double total = 0;
    for (const auto& item : items)
        total += item.kind == kind ? item.*field : 0.0;
    return total;
}

}  // namespace

double PhysicalDesign::componentsMm2() const
{
    double total = 0;
    for (const auto& item : components)
        total += item.mm2;
    return total;
}

double PhysicalDesign::sramMm2() const
{
    return sumOf(components, AreaKind::Sram, &AreaItem::mm2);
}

double PhysicalDesign::logicMm2() const
{
    return sumOf(components, AreaKind::Logic, &AreaItem::mm2) + sumOf(components, AreaKind::Registers, &AreaItem::mm2);
}

double PhysicalDesign::sramMacros() const
{
    return sumOf(components, AreaKind::Sram, &AreaItem::macros);
}

double PhysicalDesign::registerBits() const
{
    return sumOf(components, AreaKind::Registers, &AreaItem::bits);
}

double PhysicalOverhead::areaMm2() const
{
    double total = 0;
    for (const auto& item : area)
        total += item.mm2;
    return total;
}

double PhysicalOverhead::powerTotalW() const
{
    double total = 0;
    for (const auto& [name, w] : powerW)
        total += w;
    return total;
}

namespace {

/// The model's terms for a design, each linear in one factor (mm2 per um2 of factor, W per fJ).
struct Terms {
    double fixedAreaMm2 = 0;  ///< SRAM arrays + logic / utilisation
    double perMacroUm2 = 0;   ///< mm2 per um2 of sramMacroUm2
    double perMacUm2 = 0;     ///< mm2 per um2 of controlUm2PerMac
    double perClockFj = 0;    ///< W per fJ of clockFjPerBit
    double perControlFj = 0;  ///< W per fJ of controlFjPerMac
};

Terms termsOf(const PhysicalDesign& d, double utilisation)
{
    Terms t;
    const double logic = d.logicMm2();
    t.fixedAreaMm2 = d.sramMm2() + logic / std::max(utilisation, 0.05);
    t.perMacroUm2 = d.sramMacros() * d.areaScale * 1e-6;
    t.perMacUm2 = d.macs * d.areaScale * 1e-6;
    t.perClockFj = d.registerBits() * d.clockHz * d.energyScale * 1e-15;
    t.perControlFj = d.macs * d.clockHz * d.energyScale * 1e-15;
    return t;
}

/// min over x >= 0 of sum ((a_i . x - b_i) / w_i)^2 for two unknowns: the unconstrained
/// solution when it is non-negative, else the better of the one-factor fits.
Eigen::Vector2d nonNegativeFit(const Eigen::MatrixX2d& a, const Eigen::VectorXd& b)
{
    if (a.rows() == 0)
        return Eigen::Vector2d::Zero();
    const auto residual = [&](const Eigen::Vector2d& x) { return (a * x - b).squaredNorm(); };
    Eigen::Vector2d best = Eigen::Vector2d::Zero();
    double bestResidual = residual(best);
    const Eigen::Vector2d both = a.colPivHouseholderQr().solve(b);
    if (both.allFinite() && both.minCoeff() >= 0 && residual(both) < bestResidual) {
        best = both;
        bestResidual = residual(both);
    }
    for (int k = 0; k < 2; ++k) {
        const double norm = a.col(k).squaredNorm();
        if (norm <= 0)
            continue;
        Eigen::Vector2d one = Eigen::Vector2d::Zero();
        one(k) = std::max(0.0, a.col(k).dot(b) / norm);
        if (const double r = residual(one); r < bestResidual) {
            best = one;
            bestResidual = r;
        }
    }
    return best;
}

}  // namespace

PhysicalOverhead physicalOverhead(const PhysicalDesign& design, const PhysicalFactors& f)
{
    PhysicalOverhead o;
    const Terms t = termsOf(design, f.placementUtilisation);
    const double logic = design.logicMm2();
    // Each memory's periphery beside it, so that a breakdown shows which memories pay for it.
    if (f.sramMacroUm2 > 0)
        for (const auto& item : design.components)
            if (item.kind == AreaKind::Sram && item.macros > 0)
                o.area.push_back({item.component + " periphery", item.macros * design.areaScale * f.sramMacroUm2 * 1e-6, AreaKind::Overhead});
    if (logic > 0 && f.placementUtilisation < 1)
        o.area.push_back({"placement (cell utilisation)", logic / std::max(f.placementUtilisation, 0.05) - logic, AreaKind::Overhead});
    if (design.macs > 0 && f.controlUm2PerMac > 0)
        o.area.push_back({"control and NoC", t.perMacUm2 * f.controlUm2PerMac, AreaKind::Overhead});
    if (t.perClockFj > 0 && f.clockFjPerBit > 0)
        o.powerW.emplace_back("clock tree", t.perClockFj * f.clockFjPerBit);
    if (t.perControlFj > 0 && f.controlFjPerMac > 0)
        o.powerW.emplace_back("control and NoC", t.perControlFj * f.controlFjPerMac);
    return o;
}

PhysicalPrediction predictChip(const CalibrationChip& chip, const PhysicalFactors& f)
{
    PhysicalOverhead o = physicalOverhead(chip.design, f);
    PhysicalPrediction p;
    p.areaMm2 = chip.design.componentsMm2() + o.areaMm2();
    p.powerW = chip.componentPowerW + o.powerTotalW();
    return p;
}

namespace {

/// The two factors that best explain `published(chip)` - known(chip) as columns . factors, on
/// the chips with a published figure, each row divided by that figure: the fit minimises the
/// relative errors, so a large chip does not outweigh the small ones.
template <class Published, class Row>
Eigen::Vector2d fitRelative(const std::vector<CalibrationChip>& chips, double utilisation, Published published, Row row)
{
    std::vector<const CalibrationChip*> with;
    for (const auto& c : chips)
        if (published(c) > 0)
            with.push_back(&c);
    Eigen::MatrixX2d a(static_cast<Eigen::Index>(with.size()), 2);
    Eigen::VectorXd b(static_cast<Eigen::Index>(with.size()));
    for (std::size_t i = 0; i < with.size(); ++i) {
        const CalibrationChip& c = *with[i];
        const std::array<double, 3> r = row(c, termsOf(c.design, utilisation));  // column 0, column 1, known
        const double y = published(c);
        const auto k = static_cast<Eigen::Index>(i);
        a(k, 0) = r[0] / y;
        a(k, 1) = r[1] / y;
        b(k) = (y - r[2]) / y;
    }
    return nonNegativeFit(a, b);
}

}  // namespace

PhysicalFactors fitPhysicalFactors(const std::vector<CalibrationChip>& chips, const PhysicalFactors& fixed)
{
    PhysicalFactors f = fixed;
    const double u = fixed.placementUtilisation;
    const Eigen::Vector2d area = fitRelative(
        chips, u, [](const CalibrationChip& c) { return c.publishedAreaMm2; },
        [](const CalibrationChip&, const Terms& t) { return std::array<double, 3>{t.perMacroUm2, t.perMacUm2, t.fixedAreaMm2}; });
    f.sramMacroUm2 = area(0);
    f.controlUm2PerMac = area(1);
    const Eigen::Vector2d power = fitRelative(
        chips, u, [](const CalibrationChip& c) { return c.publishedPowerW; },
        [](const CalibrationChip& c, const Terms& t) { return std::array<double, 3>{t.perClockFj, t.perControlFj, c.componentPowerW}; });
    f.clockFjPerBit = power(0);
    f.controlFjPerMac = power(1);
    return f;
}

}  // namespace cdx
