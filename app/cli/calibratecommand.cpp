// `cdx calibrate`: fits the physical model's factors on published chips and predicts each chip
// with the factors fitted without it.
#include "app/cli/command.h"

#include "core/util/jsonwriter.h"
#include "estimators/estimate/calibration.h"
#include "estimators/tech/techlibrary.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>

namespace cdx::cli {

namespace {

struct CalibrateOptions {
    std::string file;
    std::string root = ".";
    bool json = false;
};

std::string percent(double predicted, double published)
{
    if (published <= 0)
        return "-";
    char text[32];
    std::snprintf(text, sizeof text, "%+.0f%%", 100 * (predicted / published - 1));
    return text;
}

int calibrate(const CalibrateOptions& o)
{
    auto published = readPublishedChips(o.file);
    if (!published)
        return reportError(published.error());
    auto chips = calibrationChips(published.value(), o.root);
    if (!chips) {
        Error error = chips.error();
        if (error.file.empty())
            error.file = o.file;
        return reportError(error);
    }
    auto tech = TechLibrary::load();
    if (!tech)
        return reportError(tech.error());
    PhysicalFactors fixed = tech->physical;
    const PhysicalFactors fitted = fitPhysicalFactors(chips.value(), fixed);
    const std::vector<ChipPrediction> predictions = leaveOneOut(chips.value(), fixed);
    if (o.json) {
        nlohmann::ordered_json doc;
        doc["format"] = "cdx-calibration";
        doc["version"] = 1;
        doc["factors"] = fitted.toJson();
        doc["chips"] = nlohmann::ordered_json::array();
        for (std::size_t i = 0; i < predictions.size(); ++i) {
            const ChipPrediction& p = predictions[i];
            const PhysicalDesign& d = chips.value()[i].design;
            doc["chips"].push_back({{"chip", p.chip},
                                    {"published_area_mm2", p.publishedAreaMm2},
                                    {"components_area_mm2", p.componentsAreaMm2},
                                    {"fitted_area_mm2", p.fitted.areaMm2},
                                    {"left_out_area_mm2", p.leftOut.areaMm2},
                                    {"published_power_w", p.publishedPowerW},
                                    {"components_power_w", p.componentsPowerW},
                                    {"fitted_power_w", p.fitted.powerW},
                                    {"left_out_power_w", p.leftOut.powerW},
                                    {"design", {{"macs", d.macs},
                                                {"logic_mm2", d.logicMm2()},
                                                {"sram_mm2", d.sramMm2()},
                                                {"sram_macros", d.sramMacros()},
                                                {"register_bits", d.registerBits()},
                                                {"area_scale", d.areaScale},
                                                {"energy_scale", d.energyScale},
                                                {"clock_hz", d.clockHz}}}});
        }
        doc["not_expressed"] = nlohmann::ordered_json::array();
        for (const auto& c : published.value())
            if (c.project.empty())
                doc["not_expressed"].push_back({{"chip", c.chip}, {"reason", c.reason}});
        std::cout << formatJson(doc, 4);
        return 0;
    }
    std::printf("%-28s %9s %9s %9s %7s %9s %9s %9s %7s\n", "chip", "area", "parts", "left-out", "error", "power W", "parts", "left-out",
                "error");
    for (const auto& p : predictions)
        std::printf("%-28.28s %9.3f %9.3f %9.3f %7s %9.3f %9.3f %9.3f %7s\n", p.chip.c_str(), p.publishedAreaMm2, p.componentsAreaMm2,
                    p.leftOut.areaMm2, percent(p.leftOut.areaMm2, p.publishedAreaMm2).c_str(), p.publishedPowerW, p.componentsPowerW,
                    p.leftOut.powerW, percent(p.leftOut.powerW, p.publishedPowerW).c_str());
    std::printf("\nfactors fitted on all %zu chips (resources/tech/asic.json, \"physical\"):\n%s", chips->size(),
                formatJson(fitted.toJson(), 2).c_str());
    for (const auto& c : published.value())
        if (c.project.empty() && (c.areaMm2 > 0 || c.powerW > 0))
            std::printf("not expressed: %s%s%s\n", c.chip.c_str(), c.reason.empty() ? "" : ": ", c.reason.c_str());
    return 0;
}

}  // namespace

Command addCalibrateCommand(CLI::App& app)
{
    auto* parser = app.add_subcommand("calibrate",
                                      "Fit the physical model's area and power factors on published chips, and predict each chip "
                                      "with the factors fitted without it (leave-one-out)");
    auto o = std::make_shared<CalibrateOptions>();
    parser->add_option("chips", o->file, "Calibration file: a JSON list of published chips (tests/data/silicon/chips.json)")->required();
    parser->add_option("--root", o->root, "Folder the chips' project paths are relative to (default: the current folder)");
    parser->add_flag("--json", o->json, "Machine-readable output (\"cdx-calibration\") on stdout");
    return {parser, [o] { return calibrate(*o); }};
}

}  // namespace cdx::cli
