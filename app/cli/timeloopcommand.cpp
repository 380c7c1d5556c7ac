// `cdx timeloop FOLDER`: evaluates a Timeloop case (architecture, problem, mapping, energy
// tables) with our engine and prints the statistics in Timeloop's terms.
#include "app/cli/command.h"
#include "app/cli/textformat.h"

#include "core/util/fileio.h"
#include "core/util/jsonreader.h"
#include "core/util/jsonwriter.h"
#include "core/util/version.h"
#include "estimators/engine/engineresultjson.h"
#include "estimators/mapper/mapper.h"
#include "estimators/tech/techlibrary.h"
#include "estimators/timeloop/timeloopcase.h"
#include "estimators/timeloop/timeloopowntech.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

namespace cdx::cli {

namespace {

struct TimeloopOptions {
    std::string folder;
    bool json = false;
    bool ownTech = false;
    double vdd = 0;
    std::string techOverrides;
    std::string halo = "reference";
    bool noLeakage = false;
    bool search = false;
    std::string objective = "energy";
    int budget = 5000;
    bool showMapping = false;
};

std::string energyText(double pj)
{
    if (pj >= 1e6)
        return fixed(pj / 1e6, 3) + " uJ";
    if (pj >= 1e3)
        return fixed(pj / 1e3, 3) + " nJ";
    return fixed(pj, 3) + " pJ";
}

std::string dimensionsText(const Problem& problem)
{
    std::string text;
    for (int d = 0; d < problem.dims(); ++d)
        text += (d ? " " : "") + problem.dimNames[static_cast<std::size_t>(d)] + "=" +
                std::to_string(problem.bounds[static_cast<std::size_t>(d)]);
    return text;
}

void printText(const TimeloopCase& c, const EngineStats& stats, const TimeloopOptions& options)
{
    const Architecture& arch = c.architecture;
    const double macs = static_cast<double>(stats.computes);
    std::cout << "Timeloop case " << c.folder << "\n"
              << "problem:        " << c.problem.name << "  " << dimensionsText(c.problem) << "\n"
              << "energy tables:  " << (options.ownTech ? "our technology model (--own-tech)" : c.ertFile.empty() ? "none" : c.ertFile) << "\n"
              << "rules:          halo reuse " << options.halo << ", leakage " << (options.noLeakage ? "off" : "on") << "\n\n";

    using Align = TextTable::Align;
    TextTable table({{"level"},
                     {"data space"},
                     {"instances", Align::Right},
                     {"capacity", Align::Right},
                     {"partition", Align::Right},
                     {"reads/inst", Align::Right},
                     {"fills/inst", Align::Right},
                     {"updates/inst", Align::Right},
                     {"energy (pJ)", Align::Right}});
    table.addRow({arch.arithmetic.name, "computes", groupDigits(stats.utilizedMacs) + "/" + groupDigits(arch.arithmetic.instances()),
                  "", "", groupDigits(stats.computeCycles), "", "", fixed(stats.computeEnergyPj, 2)});
    for (int i = 0; i < stats.levels; ++i) {
        const auto ki = static_cast<std::size_t>(i);
        const StorageLevel& level = arch.storage[ki];
        const LevelStats& ls = stats.level[ki];
        bool first = true;
        for (int pv = 0; pv < stats.dataSpaces; ++pv) {
            const DataSpaceStats& s = ls.dataSpaces[static_cast<std::size_t>(pv)];
            if (!s.kept)
                continue;
            table.addRow({first ? level.name : "", c.problem.dataSpaces[static_cast<std::size_t>(pv)].name,
                          groupDigits(s.instances) + "/" + groupDigits(level.instances()), groupDigits(s.capacity),
                          groupDigits(s.partition), groupDigits(s.reads), groupDigits(s.fills), groupDigits(s.updates),
                          fixed(s.energyPj, 2)});
            first = false;
        }
        if (ls.leakagePj > 0)
            table.addRow({first ? level.name : "", "leakage", "", "", "", "", "", "", fixed(ls.leakagePj, 2)});
    }
    std::cout << table.render() << "\n";

    TextTable energy({{"component"},
                      {"energy", Align::Right},
                      {"fJ/MAC", Align::Right},
                      {"cycles", Align::Right},
                      {"area (um2)", Align::Right},
                      {"energy per action from"}});
    energy.addRow({arch.arithmetic.name, energyText(stats.computeEnergyPj), fixed(stats.computeEnergyPj * 1000 / macs, 2),
                   groupDigits(stats.computeCycles), fixed(arch.arithmetic.areaUm2 * static_cast<double>(arch.arithmetic.instances()), 0),
                   arch.arithmetic.source});
    for (int i = stats.levels - 1; i >= 0; --i) {
        const auto ki = static_cast<std::size_t>(i);
        const StorageLevel& level = arch.storage[ki];
        if (level.dummy)
            continue;
        const LevelStats& ls = stats.level[ki];
        std::string cycles = groupDigits(ls.cycles);
        if (ls.throttling < 1)
            cycles += " (bandwidth x" + fixed(1 / ls.throttling, 2) + ")";
        energy.addRow({level.name, energyText(ls.energyPj), fixed(ls.energyPj * 1000 / macs, 2), cycles,
                       fixed(level.areaUm2 * static_cast<double>(level.instances()), 0), level.actions.source});
    }
    std::cout << energy.render() << "\n";

    std::cout << "MACs:         " << groupDigits(stats.computes) << "\n"
              << "cycles:       " << groupDigits(stats.cycles) << " (bound: " << boundOf(arch, stats) << ")\n"
              << "utilization:  " << fixed(stats.utilization * 100, 2) << " %\n"
              << "energy:       " << energyText(stats.energyPj) << "\n"
              << "per MAC:      " << fixed(stats.picojoulesPerCompute(), 4) << " pJ (" << fixed(stats.picojoulesPerCompute() * 1000, 2)
              << " fJ)\n"
              << "area:         " << fixed(stats.areaUm2 * 1e-6, 4) << " mm2\n";
}

nlohmann::ordered_json resultJson(const TimeloopCase& c, const EngineStats& stats, const TimeloopOptions& options)
{
    const Architecture& arch = c.architecture;
    const double latency = static_cast<double>(stats.cycles) * arch.cycleSeconds;
    nlohmann::ordered_json j;
    j["format"] = "cdx-result";
    j["version"] = 1;
    j["generator"] = std::string("cdx ") + kVersion;
    j["source"] = {{"kind", "timeloop"},
                   {"folder", c.folder},
                   {"energy_tables", options.ownTech ? "technology model" : "ERT"},
                   {"halo_reuse", options.halo},
                   {"leakage", !options.noLeakage}};
    nlohmann::ordered_json dims;
    for (int d = 0; d < c.problem.dims(); ++d)
        dims[c.problem.dimNames[static_cast<std::size_t>(d)]] = c.problem.bounds[static_cast<std::size_t>(d)];
    j["problem"] = {{"name", c.problem.name}, {"dimensions", dims}};
    const double macs = static_cast<double>(stats.computes);
    nlohmann::ordered_json totals;
    totals["macs"] = stats.computes;
    totals["effective_macs"] = stats.computes;
    totals["cycles"] = stats.cycles;
    totals["latency_s"] = latency;
    totals["energy_pj"] = stats.energyPj;
    totals["energy_per_mac_pj"] = stats.picojoulesPerCompute();
    totals["energy_breakdown_pj"] = energyBreakdownJson(arch, stats);
    totals["power_w"] = latency > 0 ? stats.energyPj * 1e-12 / latency : 0.0;
    totals["ops_per_s"] = latency > 0 ? 2 * macs / latency : 0.0;
    totals["effective_ops_per_s"] = totals["ops_per_s"];
    totals["peak_ops_per_s"] = 2 * static_cast<double>(arch.arithmetic.instances()) / arch.cycleSeconds;
    totals["utilization"] = stats.utilization;
    totals["tops_per_w"] = stats.energyPj > 0 ? 2 * macs / stats.energyPj : 0.0;  // ops per pJ = TOPS/W
    totals["area_mm2"] = stats.areaUm2 * 1e-6;
    totals["area_breakdown_mm2"] = areaBreakdownJson(arch);
    j["totals"] = std::move(totals);
    j["compute"] = {{"name", arch.arithmetic.name},
                    {"instances", arch.arithmetic.instances()},
                    {"utilized_instances", stats.utilizedMacs},
                    {"cycles", stats.computeCycles},
                    {"energy_pj", stats.computeEnergyPj},
                    {"energy_per_compute_pj", arch.arithmetic.computePj},
                    {"energy_source", arch.arithmetic.source}};
    j["levels"] = levelStatsJson(c.problem, arch, stats);
    nlohmann::ordered_json layer;
    layer["name"] = c.problem.name;
    layer["kind"] = "loop_nest";
    layer["macs"] = stats.computes;
    layer["effective_macs"] = stats.computes;
    layer["cycles"] = stats.cycles;
    layer["latency_s"] = latency;
    layer["energy_pj"] = stats.energyPj;
    layer["utilization"] = stats.utilization;
    layer["bound"] = boundOf(arch, stats);
    layer["accesses"] = accessesJson(c.problem, arch, stats);
    j["layers"] = nlohmann::ordered_json::array({layer});
    j["warnings"] = c.warnings;
    return j;
}

/// The technology tables with the overrides of a file: a JSON merge patch over
/// resources/tech/asic.json, or a project whose `tech.overrides` is one.
Result<TechLibrary> loadLibrary(const std::string& overridesFile)
{
    if (overridesFile.empty())
        return TechLibrary::load();
    auto text = readTextFile(overridesFile);
    if (!text)
        return text.error();
    nlohmann::json patch;
    try {
        patch = parseJsonText(text.value());
    } catch (const InputError& e) {
        Error error = e.error();
        error.file = overridesFile;
        return error;
    }
    const bool project = patch.is_object() && patch.value("format", "") == "cdx-project";
    if (project)
        patch = patch.contains("tech") && patch["tech"].is_object() ? patch["tech"].value("overrides", nlohmann::json()) : nlohmann::json();
    auto library = TechLibrary::load(patch);
    if (!library) {
        Error error = library.error();
        error.file = overridesFile;
        // TechLibrary::load says "/tech (the built-in table with tech.overrides applied): /key";
        // here the place is in this file.
        const auto colon = error.location.find(": ");
        if (colon != std::string::npos)
            error.location = (project ? "/tech/overrides" : "") + error.location.substr(colon + 2);
        return error;
    }
    return library;
}

int runTimeloop(const TimeloopOptions& options)
{
    auto loaded = loadTimeloopCase(options.folder);
    if (!loaded)
        return reportError(loaded.error());
    TimeloopCase c = std::move(loaded).value();
    if (options.ownTech) {
        auto library = loadLibrary(options.techOverrides);
        if (!library)
            return reportError(library.error());
        OwnTechOptions tech;
        if (options.vdd > 0)
            tech.vdd = options.vdd;
        auto costed = withOwnTechnology(std::move(c), std::make_shared<const TechLibrary>(std::move(library).value()), tech);
        if (!costed)
            return reportError(costed.error());
        c = std::move(costed).value();
    }
    EngineOptions engine;
    engine.masterHaloReuse = options.halo == "master";
    engine.leakage = !options.noLeakage;
    std::string searchNote;
    if (options.search) {
        MapperOptions mapper;
        mapper.objective = *mapperObjectiveFromName(options.objective);
        mapper.maxEvaluations = options.budget;
        mapper.engine = engine;
        const auto start = std::chrono::steady_clock::now();
        auto found = findBestMapping(c.problem, c.architecture, c.constraints, mapper);
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        if (!found) {
            Error error = found.error();
            error.file = c.inputFile;
            error.location = "/architecture_constraints";
            return reportError(error);
        }
        c.mapping = found->mapping;
        char text[160];
        std::snprintf(text, sizeof text, "mapper: best %s of %d mappings (%d valid) in %.1f ms", options.objective.c_str(),
                      found->evaluations, found->validMappings, ms);
        searchNote = text;
    }
    auto stats = evaluateTimeloopCase(c, engine);
    if (!stats)
        return reportError(stats.error());
    if (!searchNote.empty())
        std::cerr << searchNote << "\n";
    if (options.showMapping)
        std::cerr << describeMapping(c.problem, c.architecture, c.mapping);
    reportWarnings(c.warnings);
    if (options.json)
        std::cout << formatJson(resultJson(c, stats.value(), options), 4);
    else
        printText(c, stats.value(), options);
    return 0;
}

}  // namespace

Command addTimeloopCommand(CLI::App& app)
{
    auto options = std::make_shared<TimeloopOptions>();
    auto* parser = app.add_subcommand(
        "timeloop", "Evaluate a Timeloop case (parsed-processed-input.yaml, map.yaml, ERT/ART) with our engine");
    parser->add_option("FOLDER", options->folder, "A folder of Timeloop outputs")->required();
    parser->add_flag("--json", options->json, "Machine-readable result (\"cdx-result\") on stdout");
    auto* ownTech = parser->add_flag("--own-tech", options->ownTech,
                                     "Cost every component with our technology model instead of the case's ERT and ART");
    parser->add_option("--vdd", options->vdd, "With --own-tech: supply voltage (default: each node's nominal)")
        ->check(CLI::PositiveNumber)
        ->needs(ownTech);
    parser->add_option("--tech-overrides", options->techOverrides,
                       "With --own-tech: a JSON merge patch over the technology tables, or a project whose tech.overrides is one")
        ->needs(ownTech);
    parser->add_option("--halo", options->halo,
                       "Sliding-window reuse rule: reference (Timeloop v3/v4, the reference outputs) or master")
        ->check(CLI::IsMember({"reference", "master"}));
    parser->add_flag("--no-leakage", options->noLeakage, "Charge no leakage (as Timeloop v3.0.3)");
    parser->add_flag("--search", options->search,
                     "Find the best mapping with our mapper under the case's constraints instead of using its mapping");
    parser->add_option("--objective", options->objective, "With --search: energy, latency or edp")
        ->check(CLI::IsMember({"energy", "latency", "edp"}));
    parser->add_option("--budget", options->budget, "With --search: mappings to evaluate")->check(CLI::Range(1, 100000000));
    parser->add_flag("--show-mapping", options->showMapping, "Print the mapping as a loop nest (on stderr)");
    return {parser, [options] { return runTimeloop(*options); }};
}

}  // namespace cdx::cli
