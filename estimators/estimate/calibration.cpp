#include "estimators/estimate/calibration.h"

#include "core/project/project.h"
#include "core/util/fileio.h"
#include "estimators/estimate/estimator.h"

#include <algorithm>
#include <filesystem>
#include <tuple>

namespace cdx {

Result<std::vector<PublishedChip>> readPublishedChips(const std::string& path)
{
    auto text = readTextFile(path);
    if (!text)
        return text.error();
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(text.value());
    } catch (const nlohmann::json::parse_error& e) {
        return Error{ExitCode::BadInput, path, "byte " + std::to_string(e.byte), std::string("not JSON: ") + e.what()};
    }
    if (!doc.is_array())
        return Error{ExitCode::BadInput, path, "/", "a calibration file is a list of chips"};
    std::vector<PublishedChip> chips;
    for (std::size_t i = 0; i < doc.size(); ++i) {
        const nlohmann::json& c = doc[i];
        const std::string where = "/" + std::to_string(i);
        try {
            if (!c.is_object() || !c.contains("chip") || !c["chip"].is_string())
                return Error{ExitCode::BadInput, path, where, "each chip needs a \"chip\" name"};
            PublishedChip p;
            p.chip = c["chip"].get<std::string>();
            p.citation = c.value("citation", std::string());
            // Present and null means "not published"; present with another type is a mistake.
            const auto given = [&](const char* key, bool (nlohmann::json::*is)() const noexcept, const char* what) -> std::optional<Error> {
                if (c.contains(key) && !c[key].is_null() && !(c[key].*is)())
                    return Error{ExitCode::BadInput, path, where + "/" + key, std::string("must be ") + what + " or null"};
                return std::nullopt;
            };
            for (const auto& [key, is, what] : {std::tuple{"project", &nlohmann::json::is_string, "a path"},
                                                std::tuple{"vdd", &nlohmann::json::is_number, "a number"},
                                                std::tuple{"area_mm2", &nlohmann::json::is_number, "a number"},
                                                std::tuple{"power_mw", &nlohmann::json::is_number, "a number"}})
                if (auto error = given(key, is, what))
                    return *error;
            if (c.contains("project") && c["project"].is_string())
                p.project = c["project"].get<std::string>();
            if (c.contains("vdd") && c["vdd"].is_number())
                p.vdd = c["vdd"].get<double>();
            if (p.vdd && !(*p.vdd > 0))
                return Error{ExitCode::BadInput, path, where + "/vdd", "must be positive"};
            const auto confirmed = [&](const char* value, const char* flag) {
                return c.contains(value) && c[value].is_number() && c.value(flag, false) ? c[value].get<double>() : 0.0;
            };
            p.areaMm2 = confirmed("area_mm2", "area_confirmed");
            p.powerW = confirmed("power_mw", "power_confirmed") * 1e-3;
            if (p.areaMm2 < 0 || p.powerW < 0)
                return Error{ExitCode::BadInput, path, where, "area and power must not be negative"};
            if (c.contains("expressible_reason") && c["expressible_reason"].is_string())
                p.reason = c["expressible_reason"].get<std::string>();
            chips.push_back(std::move(p));
        } catch (const nlohmann::json::exception& e) {
            return Error{ExitCode::BadInput, path, where, e.what()};
        }
    }
    return chips;
}

Result<std::vector<CalibrationChip>> calibrationChips(const std::vector<PublishedChip>& chips, const std::string& root)
{
    std::vector<CalibrationChip> points;
    Estimator estimator;
    for (const auto& c : chips) {
        if (c.project.empty() || (c.areaMm2 <= 0 && c.powerW <= 0))
            continue;
        const std::string file = (std::filesystem::path(root) / c.project).string();
        // An error names the chip as well as the project's file and place.
        const auto named = [&c](Error e) {
            e.message = c.chip + ": " + e.message;
            return e;
        };
        auto project = loadProjectFile(file);
        if (!project)
            return named(project.error());
        if (c.vdd)
            project->platform["vdd"] = *c.vdd;
        // The components alone: a technology table whose physical model adds nothing.
        project->tech["overrides"]["physical"] = {{"placement_utilisation", 1.0}, {"sram_macro_um2", 0.0}, {"control_um2_per_mac", 0.0},
                                                  {"clock_fj_per_bit", 0.0}, {"control_fj_per_mac", 0.0}};
        auto network = loadProjectNetwork(project.value());
        if (!network)
            return named(network.error());
        EstimateInternals internals;
        auto result = estimator.estimate(project.value(), network.value(), EstimateOptions{}, internals);
        if (!result)
            return named(result.error());
        if (result->fpga)
            return Error{ExitCode::BadInput, file, "/platform", c.chip + ": the physical model calibrates ASICs"};
        CalibrationChip point;
        point.name = c.chip;
        point.design = internals.physical;
        point.componentPowerW = result->corePowerW;
        point.publishedAreaMm2 = c.areaMm2;
        point.publishedPowerW = c.powerW;
        points.push_back(std::move(point));
    }
    // Two factors per fit: fewer chips than that leave them undetermined, not zero.
    const auto count = [&points](double CalibrationChip::*published) {
        return std::count_if(points.begin(), points.end(), [published](const CalibrationChip& p) { return p.*published > 0; });
    };
    if (count(&CalibrationChip::publishedAreaMm2) < 2 || count(&CalibrationChip::publishedPowerW) < 2)
        return Error{ExitCode::BadInput, {}, {},
                     "the calibration needs at least two chips with a project and a confirmed area, and two with a confirmed power; it has " +
                         std::to_string(count(&CalibrationChip::publishedAreaMm2)) + " and " +
                         std::to_string(count(&CalibrationChip::publishedPowerW))};
    return points;
}

std::vector<ChipPrediction> leaveOneOut(const std::vector<CalibrationChip>& chips, const PhysicalFactors& fixed)
{
    const PhysicalFactors all = fitPhysicalFactors(chips, fixed);
    std::vector<ChipPrediction> out;
    for (std::size_t i = 0; i < chips.size(); ++i) {
        std::vector<CalibrationChip> others;
        for (std::size_t j = 0; j < chips.size(); ++j)
            if (j != i)
                others.push_back(chips[j]);
        const CalibrationChip& c = chips[i];
        ChipPrediction p;
        p.chip = c.name;
        p.publishedAreaMm2 = c.publishedAreaMm2;
        p.publishedPowerW = c.publishedPowerW;
        p.componentsAreaMm2 = c.design.componentsMm2();
        p.componentsPowerW = c.componentPowerW;
        p.fitted = predictChip(c, all);
        p.leftOut = predictChip(c, fitPhysicalFactors(others, fixed));
        out.push_back(p);
    }
    return out;
}

}  // namespace cdx
