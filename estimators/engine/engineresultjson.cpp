#include "estimators/engine/engineresultjson.h"

#include <nlohmann/json.hpp>

namespace cdx {

std::string boundOf(const Architecture& arch, const EngineStats& stats)
{
    std::string bound = arch.arithmetic.name;
    Dim worst = stats.computeCycles;
    for (int i = 0; i < stats.levels; ++i) {
        const LevelStats& ls = stats.level[static_cast<std::size_t>(i)];
        if (ls.cycles > worst) {
            worst = ls.cycles;
            bound = arch.storage[static_cast<std::size_t>(i)].name;
        }
    }
    return bound;
}

nlohmann::ordered_json levelStatsJson(const Problem& problem, const Architecture& arch, const EngineStats& stats)
{
    auto levels = nlohmann::ordered_json::array();
    for (int i = 0; i < stats.levels; ++i) {
        const auto ki = static_cast<std::size_t>(i);
        const StorageLevel& level = arch.storage[ki];
        const LevelStats& ls = stats.level[ki];
        nlohmann::ordered_json j;
        j["name"] = level.name;
        j["instances"] = level.instances();
        j["utilized_instances"] = ls.utilizedInstances;
        j["depth_words"] = level.depth;
        j["word_bits"] = level.wordBits;
        j["block_words"] = level.blockSize;
        j["cycles"] = ls.cycles;
        j["throttling"] = ls.throttling;
        j["energy_pj"] = ls.energyPj;
        j["leakage_pj"] = ls.leakagePj;
        j["area_um2"] = level.areaUm2 * static_cast<double>(level.instances());
        j["energy_per_action_pj"] = {{"read", level.actions.readPj},
                                     {"write", level.actions.writePj},
                                     {"update", level.actions.updatePj},
                                     {"leak", level.actions.leakPj}};
        j["energy_source"] = level.actions.source;
        auto spaces = nlohmann::ordered_json::object();
        for (int pv = 0; pv < stats.dataSpaces; ++pv) {
            const DataSpaceStats& s = ls.dataSpaces[static_cast<std::size_t>(pv)];
            if (!s.kept)
                continue;
            spaces[problem.dataSpaces[static_cast<std::size_t>(pv)].name] = {
                {"utilized_capacity", s.capacity},
                {"partition_size", s.partition},
                {"utilized_instances", s.instances},
                {"reads_per_instance", s.reads},
                {"fills_per_instance", s.fills},
                {"updates_per_instance", s.updates},
                {"temporal_reductions_per_instance", s.temporalReductions},
                {"address_generations_per_instance", s.addressGenerations},
                {"multicast", s.multicast},
                {"energy_pj", s.energyPj},
            };
            if (arch.sparse.active) {
                auto& j2 = spaces[problem.dataSpaces[static_cast<std::size_t>(pv)].name];
                j2["format"] = sparseFormatName(level.formats[static_cast<std::size_t>(pv)]);
                j2["gated_accesses_per_instance"] = s.gatedReads;
                j2["metadata_capacity_words"] = s.metadataCapacity;
                j2["metadata_reads_per_instance"] = s.metadataReads;
                j2["metadata_fills_per_instance"] = s.metadataFills;
                j2["metadata_energy_pj"] = s.metadataEnergyPj;
            }
        }
        j["data_spaces"] = std::move(spaces);
        levels.push_back(std::move(j));
    }
    return levels;
}

nlohmann::ordered_json accessesJson(const Problem& problem, const Architecture& arch, const EngineStats& stats)
{
    auto accesses = nlohmann::ordered_json::object();
    for (int i = 0; i < stats.levels; ++i) {
        const auto ki = static_cast<std::size_t>(i);
        auto operands = nlohmann::ordered_json::object();
        for (int pv = 0; pv < stats.dataSpaces; ++pv) {
            const DataSpaceStats& s = stats.level[ki].dataSpaces[static_cast<std::size_t>(pv)];
            if (!s.kept)
                continue;
            operands[problem.dataSpaces[static_cast<std::size_t>(pv)].name] = {
                {"reads", s.reads * s.instances},
                {"fills", s.fills * s.instances},
                {"updates", s.updates * s.instances},
            };
        }
        if (!operands.empty())
            accesses[arch.storage[ki].name] = std::move(operands);
    }
    return accesses;
}

nlohmann::ordered_json energyBreakdownJson(const Architecture& arch, const EngineStats& stats)
{
    nlohmann::ordered_json j;
    j[arch.arithmetic.name] = stats.computeEnergyPj;
    double metadata = 0;
    for (int i = 0; i < stats.levels; ++i) {
        const LevelStats& ls = stats.level[static_cast<std::size_t>(i)];
        j[arch.storage[static_cast<std::size_t>(i)].name] = ls.energyPj - ls.metadataEnergyPj;
        metadata += ls.metadataEnergyPj;
    }
    if (metadata > 0)
        j["metadata"] = metadata;
    return j;
}

nlohmann::ordered_json areaBreakdownJson(const Architecture& arch)
{
    nlohmann::ordered_json j;
    j[arch.arithmetic.name] = arch.arithmetic.areaUm2 * static_cast<double>(arch.arithmetic.instances()) * 1e-6;
    for (const auto& level : arch.storage)
        j[level.name] = level.areaUm2 * static_cast<double>(level.instances()) * 1e-6;
    return j;
}

}  // namespace cdx
