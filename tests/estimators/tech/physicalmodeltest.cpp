// The physical model: its overheads worked by hand, the fit recovering known factors, and the
// shipped factors as the fit on the published chips gives them.
#include "estimators/estimate/calibration.h"
#include "estimators/tech/physicalmodel.h"
#include "estimators/tech/techlibrary.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

using namespace cdx;

namespace {

double item(const std::vector<AreaItem>& items, const std::string& name)
{
    for (const auto& i : items)
        if (i.component == name)
            return i.mm2;
    return -1;
}

double power(const PhysicalOverhead& o, const std::string& name)
{
    for (const auto& [n, w] : o.powerW)
        if (n == name)
            return w;
    return -1;
}

PhysicalDesign design(double sramMm2, double macros, double logicMm2, double registerBits, double macs, double areaScale, double clockHz)
{
    PhysicalDesign d;
    d.components = {{"buffer", sramMm2, AreaKind::Sram, macros, 8192 * macros},
                    {"mac", logicMm2, AreaKind::Logic},
                    {"pe_reg", 0, AreaKind::Registers, 0, registerBits}};
    d.macs = macs;
    d.areaScale = areaScale;
    d.energyScale = 0.5;
    d.clockHz = clockHz;
    return d;
}

PhysicalFactors factors(double macroUm2, double controlUm2, double clockFj, double controlFj)
{
    PhysicalFactors f;
    f.placementUtilisation = 0.7;
    f.sramMacroUm2 = macroUm2;
    f.controlUm2PerMac = controlUm2;
    f.clockFjPerBit = clockFj;
    f.controlFjPerMac = controlFj;
    return f;
}

}  // namespace

TEST_CASE("the physical overheads, worked by hand", "[tech][physical]")
{
    const PhysicalFactors f = factors(1000, 100, 2, 10);
    const PhysicalOverhead o = physicalOverhead(design(1.0, 2, 0.7, 1000, 10, 2.0, 1e9), f);
    CHECK(item(o.area, "buffer periphery") == Approx(2 * 1000 * 2.0 * 1e-6));  // 2 macros at twice 45 nm's area
    CHECK(item(o.area, "placement (cell utilisation)") == Approx(0.7 / 0.7 - 0.7));
    CHECK(item(o.area, "control and NoC") == Approx(10 * 100 * 2.0 * 1e-6));
    CHECK(power(o, "clock tree") == Approx(1000 * 1e9 * 0.5 * 2e-15));  // bits x clock x energy scale x fJ
    CHECK(power(o, "control and NoC") == Approx(10 * 1e9 * 0.5 * 10e-15));
    CHECK(o.areaMm2() == Approx(0.004 + 0.3 + 0.002));
    // No factors, no overheads: the components alone.
    PhysicalFactors none;
    none.placementUtilisation = 1;
    const PhysicalOverhead zero = physicalOverhead(design(1.0, 2, 0.7, 1000, 10, 2.0, 1e9), none);
    CHECK(zero.area.empty());
    CHECK(zero.powerW.empty());
}

TEST_CASE("the fit recovers the factors that made the chips, and keeps them non-negative", "[tech][physical]")
{
    const PhysicalFactors truth = factors(25000, 6000, 4, 300);
    // Chips with different mixes of macros, MACs and registers.
    const std::vector<PhysicalDesign> designs = {design(2.0, 169, 0.3, 96000, 168, 1.5, 2e8), design(0.2, 3, 0.4, 4096, 256, 1.5, 9.8e8),
                                                 design(36, 257, 0.2, 240, 64, 1.0, 8e8), design(1.3, 3, 0.1, 1024, 64, 1.5, 1e9)};
    std::vector<CalibrationChip> chips;
    for (std::size_t i = 0; i < designs.size(); ++i) {
        CalibrationChip c;
        c.name = "chip " + std::to_string(i);
        c.design = designs[i];
        c.componentPowerW = 0.1 * static_cast<double>(i + 1);
        const PhysicalPrediction p = predictChip(c, truth);
        c.publishedAreaMm2 = p.areaMm2;
        c.publishedPowerW = p.powerW;
        chips.push_back(c);
    }
    const PhysicalFactors fixed = factors(0, 0, 0, 0);
    const PhysicalFactors fit = fitPhysicalFactors(chips, fixed);
    CHECK(fit.sramMacroUm2 == Approx(truth.sramMacroUm2).epsilon(1e-9));
    CHECK(fit.controlUm2PerMac == Approx(truth.controlUm2PerMac).epsilon(1e-9));
    CHECK(fit.clockFjPerBit == Approx(truth.clockFjPerBit).epsilon(1e-9));
    CHECK(fit.controlFjPerMac == Approx(truth.controlFjPerMac).epsilon(1e-9));
    // Chips already larger than their components with no overhead at all would want negative
    // factors: the fit stops at zero.
    for (auto& c : chips) {
        c.publishedAreaMm2 = 0.5 * predictChip(c, fixed).areaMm2;
        c.publishedPowerW = 0.5 * c.componentPowerW;
    }
    const PhysicalFactors clamped = fitPhysicalFactors(chips, fixed);
    CHECK(clamped.sramMacroUm2 == 0);
    CHECK(clamped.controlUm2PerMac == 0);
    CHECK(clamped.clockFjPerBit == 0);
    CHECK(clamped.controlFjPerMac == 0);
}

TEST_CASE("the shipped factors are the fit on the published chips, and each chip is closer than its components",
          "[tech][physical][calibration]")
{
    auto published = readPublishedChips(std::string(CDX_TEST_DATA_DIR) + "/silicon/chips.json");
    REQUIRE(published.ok());
    auto chips = calibrationChips(published.value(), std::string(CDX_PROJECTS_DIR) + "/..");
    INFO((chips.ok() ? std::string() : chips.error().describe()));
    REQUIRE(chips.ok());
    REQUIRE(chips->size() >= 5);
    auto tech = TechLibrary::load();
    REQUIRE(tech.ok());
    const PhysicalFactors& shipped = tech->physical;
    const PhysicalFactors fit = fitPhysicalFactors(chips.value(), shipped);
    CHECK(shipped.sramMacroUm2 == Approx(fit.sramMacroUm2).epsilon(1e-5));
    CHECK(shipped.controlUm2PerMac == Approx(fit.controlUm2PerMac).epsilon(1e-5));
    CHECK(shipped.clockFjPerBit == Approx(fit.clockFjPerBit).epsilon(1e-5));
    CHECK(shipped.controlFjPerMac == Approx(fit.controlFjPerMac).epsilon(1e-5));

    const auto error = [](double predicted, double actual) { return std::abs(predicted / actual - 1); };
    for (const ChipPrediction& p : leaveOneOut(chips.value(), shipped)) {
        INFO(p.chip << ": area " << p.publishedAreaMm2 << " published, " << p.componentsAreaMm2 << " components, " << p.fitted.areaMm2
                    << " fitted, " << p.leftOut.areaMm2 << " left out; power " << p.publishedPowerW << " W published, "
                    << p.componentsPowerW << " components, " << p.fitted.powerW << " fitted, " << p.leftOut.powerW << " left out");
        // The overheads bring every chip closer to its silicon than the components alone.
        CHECK(error(p.fitted.areaMm2, p.publishedAreaMm2) < error(p.componentsAreaMm2, p.publishedAreaMm2));
        CHECK(error(p.fitted.powerW, p.publishedPowerW) < error(p.componentsPowerW, p.publishedPowerW));
        // The two chips with full published breakdowns, predicted without them: within 30 %.
        if (p.chip.rfind("Eyeriss v1", 0) == 0 || p.chip.rfind("EIE (64", 0) == 0) {
            CHECK(error(p.leftOut.areaMm2, p.publishedAreaMm2) < 0.30);
            CHECK(error(p.leftOut.powerW, p.publishedPowerW) < 0.30);
        }
    }
}

TEST_CASE("a malformed calibration file is bad input that names the file and the entry", "[tech][physical][calibration]")
{
    const std::string path = (std::filesystem::temp_directory_path() / "cdx_physical_bad_chips.json").string();
    {
        std::ofstream out(path);
        out << R"([{"chip": "ok", "area_mm2": 1, "area_confirmed": true}, {"area_mm2": 2}])";
    }
    auto r = readPublishedChips(path);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ExitCode::BadInput);
    CHECK(r.error().file == path);
    CHECK(r.error().location == "/1");
    {
        std::ofstream out(path);
        out << "[{";
    }
    auto broken = readPublishedChips(path);
    REQUIRE_FALSE(broken.ok());
    CHECK(broken.error().file == path);
    {
        std::ofstream out(path);
        out << R"([{"chip": "typo", "area_mm2": "3.02", "area_confirmed": true}])";
    }
    auto typed = readPublishedChips(path);
    REQUIRE_FALSE(typed.ok());
    CHECK(typed.error().location == "/0/area_mm2");
    // Too few chips to determine two factors: an error, not factors of zero.
    auto none = calibrationChips({}, ".");
    REQUIRE_FALSE(none.ok());
    CHECK_THAT(none.error().message, Catch::Contains("at least two chips"));
}
