#include "estimators/results/networkresult.h"

#include "core/compression/compressionreportjson.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace cdx {

namespace {

nlohmann::ordered_json breakdownJson(const std::vector<std::pair<std::string, double>>& items)
{
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    for (const auto& [name, value] : items)
        j[name] = value;
    return j;
}

nlohmann::ordered_json resourcesJson(const FpgaResources& r)
{
    return {{"lut", r.lut}, {"ff", r.ff}, {"dsp", r.dsp}, {"bram36", r.bram36}, {"uram", r.uram}};
}

double fraction(double used, double available)
{
    return available > 0 ? used / available : 0.0;
}

}  // namespace

std::string physicalAreaGroup(const AreaItem& item)
{
    switch (item.kind) {
    case AreaKind::Logic: return "datapath and logic";
    case AreaKind::Sram: return "SRAM arrays";
    case AreaKind::Registers: return "registers";
    case AreaKind::Overhead: break;
    }
    return item.component.ends_with(" periphery") ? "SRAM periphery" : item.component;
}

std::vector<std::pair<std::string, double>> physicalAreaBreakdown(const std::vector<AreaItem>& items)
{
    std::vector<std::pair<std::string, double>> groups;
    for (const auto& item : items) {
        std::string group = physicalAreaGroup(item);
        auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == group; });
        if (it == groups.end())
            groups.emplace_back(std::move(group), item.mm2);
        else
            it->second += item.mm2;
    }
    return groups;
}

nlohmann::ordered_json networkResultJson(const NetworkResult& r, bool withMappings)
{
    nlohmann::ordered_json j;
    j["format"] = "cdx-result";
    j["version"] = 1;
    j["project"] = r.project;
    j["network"] = r.network;
    j["hardware"] = {{"template", r.templateName}, {"preset", r.preset}, {"design", r.design}, {"pipelined", r.pipelined}};
    j["platform"] = r.platform;
    j["fpga"] = r.fpga;
    nlohmann::ordered_json t;
    t["macs"] = r.macs;
    t["effective_macs"] = r.effectiveMacs;
    t["cycles"] = r.cycles;
    t["latency_s"] = r.latencyS;
    t["interval_s"] = r.intervalS;
    t["energy_pj"] = r.energyPj;
    t["energy_breakdown_pj"] = breakdownJson(r.energyBreakdownPj);
    t["non_mac_energy_pj"] = breakdownJson(r.nonMacEnergyPj);
    t["static_power_w"] = r.staticPowerW;
    t["power_w"] = r.powerW;
    t["power_scopes_w"] = {{"core", r.corePowerW}, {"with_dram", r.powerW}};
    t["core_power_breakdown_w"] = breakdownJson(r.corePowerBreakdownW);
    t["ops_per_s"] = r.opsPerS;
    t["effective_ops_per_s"] = r.effectiveOpsPerS;
    t["peak_ops_per_s"] = r.peakOpsPerS;
    t["dram_bytes_per_s"] = r.dramBytesPerS;
    t["clock_hz"] = r.clockHz;
    t["utilization"] = r.utilization;
    t["tops_per_w"] = r.topsPerW;
    t["accuracy"] = {{"drop_pp", r.accuracyDropPp}, {"source", r.accuracySource}};
    if (r.accuracySource == "measured") {
        t["accuracy"]["metric"] = r.accuracyMetric;
        t["accuracy"]["samples"] = r.accuracySamples;
        t["accuracy"]["float"] = r.accuracyFloat;
    }
    t["weight_compression_ratio"] = r.weightCompressionRatio;
    if (r.fpga) {
        const FpgaResources& u = r.fpgaUsage.used;
        const FpgaResources& a = r.fpgaUsage.available;
        nlohmann::ordered_json f;
        f["device"] = r.fpgaUsage.device;
        f["lut"] = u.lut;
        f["ff"] = u.ff;
        f["dsp"] = u.dsp;
        f["bram36"] = u.bram36;
        f["uram"] = u.uram;
        f["utilization"] = {{"lut", fraction(u.lut, a.lut)},
                            {"ff", fraction(u.ff, a.ff)},
                            {"dsp", fraction(u.dsp, a.dsp)},
                            {"bram36", fraction(u.bram36, a.bram36)},
                            {"uram", fraction(u.uram, a.uram)}};
        f["available"] = resourcesJson(a);
        nlohmann::ordered_json parts = nlohmann::ordered_json::object();
        for (const auto& [name, res] : r.fpgaUsage.breakdown)
            parts[name] = resourcesJson(res);
        f["breakdown"] = parts;
        t["fpga"] = f;
    } else {
        t["area_mm2"] = r.areaMm2;
        nlohmann::ordered_json area = nlohmann::ordered_json::object();
        for (const auto& item : r.areaBreakdown)
            area[item.component] = item.mm2;
        t["area_breakdown_mm2"] = area;
        // The physical breakdown: what the components are built of, and what a chip adds.
        nlohmann::ordered_json physical = nlohmann::ordered_json::object();
        for (const auto& [group, mm2] : physicalAreaBreakdown(r.areaBreakdown))
            physical[group] = mm2;
        t["physical_area_mm2"] = physical;
    }
    j["totals"] = t;
    nlohmann::ordered_json layers = nlohmann::ordered_json::array();
    for (const auto& l : r.layers) {
        nlohmann::ordered_json lj;
        lj["name"] = l.name;
        lj["layer"] = l.layer;
        lj["kind"] = std::string(layerKindName(l.kind));
        lj["unit"] = l.unit;
        lj["shape"] = l.shape;
        lj["precision"] = l.precision;
        lj["weight_bits"] = l.weightBits;
        lj["activation_bits"] = l.activationBits;
        lj["macs"] = l.macs;
        lj["effective_macs"] = l.effectiveMacs;
        lj["cycles"] = l.cycles;
        lj["latency_s"] = l.latencyS;
        lj["energy_pj"] = l.energyPj;
        lj["energy_breakdown_pj"] = breakdownJson(l.energyBreakdownPj);
        lj["utilization"] = l.utilization;
        lj["bound"] = l.bound;
        if (!l.fused.empty()) {
            nlohmann::ordered_json fused = nlohmann::ordered_json::array();
            for (const auto& [layer, op] : l.fused)
                fused.push_back({{"layer", layer}, {"op", op}});
            lj["fused"] = fused;
            lj["output_stage_energy_pj"] = l.outputStagePj;
        }
        if (!l.fusedInto.empty())
            lj["fused_into"] = l.fusedInto;
        nlohmann::ordered_json acc = nlohmann::ordered_json::object();
        for (const auto& a : l.accesses)
            acc[a.level][a.operand] = {{"reads", a.reads}, {"fills", a.fills}, {"updates", a.updates}};
        lj["accesses"] = acc;
        if (withMappings && !l.mapping.empty())
            lj["mapping"] = l.mapping;
        layers.push_back(std::move(lj));
    }
    j["layers"] = layers;
    nlohmann::ordered_json compression = nlohmann::ordered_json::array();
    for (const auto& c : r.compression)
        compression.push_back(layerCompressionJson(c));
    j["compression"] = compression;
    j["warnings"] = r.warnings;
    return j;
}

std::string networkResultCsv(const NetworkResult& r)
{
    std::ostringstream out;
    out << "name,layer,kind,unit,macs,cycles,latency_s,energy_pj,utilization,bound\n";
    auto quoted = [](const std::string& s) {
        if (s.find_first_of(",\"\n") == std::string::npos)
            return s;
        std::string q = "\"";
        for (char c : s)
            q += c == '"' ? std::string("\"\"") : std::string(1, c);
        return q + "\"";
    };
    char number[64];
    for (const auto& l : r.layers) {
        out << quoted(l.name) << "," << quoted(l.layer) << "," << layerKindName(l.kind) << "," << l.unit << "," << l.macs << ","
            << l.cycles << ",";
        std::snprintf(number, sizeof number, "%.9g,%.9g,%.6g", l.latencyS, l.energyPj, l.utilization);
        out << number << "," << quoted(l.bound) << "\n";
    }
    return out.str();
}

namespace {

std::vector<std::pair<std::string, double>> breakdownFrom(const nlohmann::json& j)
{
    std::vector<std::pair<std::string, double>> items;
    if (j.is_object())
        for (auto it = j.begin(); it != j.end(); ++it)
            items.emplace_back(it.key(), it.value().get<double>());
    return items;
}

FpgaResources resourcesFrom(const nlohmann::json& j)
{
    return {j.value("lut", 0.0), j.value("ff", 0.0), j.value("dsp", 0.0), j.value("bram36", 0.0), j.value("uram", 0.0)};
}

}  // namespace

Result<NetworkResult> networkResultFromJson(const nlohmann::json& j, const std::string& file)
{
    if (!j.is_object() || j.value("format", std::string()) != "cdx-result")
        return Error{ExitCode::BadInput, file, "/format", "not a cdx result file (\"format\": \"cdx-result\", as cdx estimate --json writes)"};
    const auto version = j.find("version");
    if (version == j.end() || !version->is_number_integer() || version->get<int>() != 1)
        return Error{ExitCode::BadInput, file, "/version",
                     "a result file of version " + (version == j.end() ? std::string("(none)") : version->dump()) +
                         "; this cdx reads version 1: estimate the project again with this cdx"};
    std::string where = "/";
    try {
        NetworkResult r;
        r.project = j.value("project", std::string());
        r.network = j.value("network", std::string());
        where = "/hardware";
        if (const auto h = j.find("hardware"); h != j.end()) {
            r.templateName = h->value("template", std::string());
            r.preset = h->value("preset", std::string());
            r.design = h->value("design", std::string());
            r.pipelined = h->value("pipelined", false);
        }
        r.platform = j.value("platform", std::string());
        where = "/totals";
        const nlohmann::json& t = j.at("totals");
        r.macs = t.value("macs", Dim{0});
        r.effectiveMacs = t.value("effective_macs", Dim{0});
        r.cycles = t.value("cycles", Dim{0});
        r.latencyS = t.value("latency_s", 0.0);
        r.intervalS = t.value("interval_s", 0.0);
        r.energyPj = t.value("energy_pj", 0.0);
        r.energyBreakdownPj = breakdownFrom(t.value("energy_breakdown_pj", nlohmann::json::object()));
        r.nonMacEnergyPj = breakdownFrom(t.value("non_mac_energy_pj", nlohmann::json::object()));
        r.staticPowerW = t.value("static_power_w", 0.0);
        r.powerW = t.value("power_w", 0.0);
        if (const auto scopes = t.find("power_scopes_w"); scopes != t.end())
            r.corePowerW = scopes->value("core", 0.0);
        r.corePowerBreakdownW = breakdownFrom(t.value("core_power_breakdown_w", nlohmann::json::object()));
        for (const auto& [name, watts] : r.corePowerBreakdownW)
            r.physicalPowerW += name == "clock tree" || name == "control and NoC" ? watts : 0.0;
        r.opsPerS = t.value("ops_per_s", 0.0);
        r.effectiveOpsPerS = t.value("effective_ops_per_s", 0.0);
        r.peakOpsPerS = t.value("peak_ops_per_s", 0.0);
        r.dramBytesPerS = t.value("dram_bytes_per_s", 0.0);
        r.clockHz = t.value("clock_hz", 0.0);
        r.utilization = t.value("utilization", 0.0);
        r.topsPerW = t.value("tops_per_w", 0.0);
        if (const auto a = t.find("accuracy"); a != t.end()) {
            r.accuracyDropPp = a->value("drop_pp", 0.0);
            r.accuracySource = a->value("source", std::string());
            r.accuracyMetric = a->value("metric", std::string());
            r.accuracySamples = a->value("samples", std::int64_t{0});
            r.accuracyFloat = a->value("float", 0.0);
        }
        r.weightCompressionRatio = t.value("weight_compression_ratio", 1.0);
        r.fpga = j.value("fpga", t.contains("fpga"));
        if (const auto f = t.find("fpga"); f != t.end()) {
            r.fpgaUsage.device = f->value("device", std::string());
            r.fpgaUsage.used = resourcesFrom(*f);
            r.fpgaUsage.available = resourcesFrom(f->value("available", nlohmann::json::object()));
            if (const auto parts = f->find("breakdown"); parts != f->end())
                for (auto it = parts->begin(); it != parts->end(); ++it)
                    r.fpgaUsage.breakdown.emplace_back(it.key(), resourcesFrom(it.value()));
        }
        r.areaMm2 = t.value("area_mm2", 0.0);
        if (const auto area = t.find("area_breakdown_mm2"); area != t.end())
            for (auto it = area->begin(); it != area->end(); ++it)
                r.areaBreakdown.push_back({it.key(), it.value().get<double>()});
        const nlohmann::json& layers = j.at("layers");
        for (std::size_t i = 0; i < layers.size(); ++i) {
            where = "/layers/" + std::to_string(i);
            const nlohmann::json& lj = layers.at(i);
            LayerResult l;
            l.name = lj.at("name").get<std::string>();
            l.layer = lj.value("layer", l.name);
            l.kind = layerKindFromName(lj.value("kind", std::string("other"))).value_or(LayerKind::Other);
            l.unit = lj.value("unit", std::string());
            l.shape = lj.value("shape", std::string());
            l.precision = lj.value("precision", std::string());
            l.weightBits = lj.value("weight_bits", 0);
            l.activationBits = lj.value("activation_bits", 0);
            l.macs = lj.value("macs", Dim{0});
            l.effectiveMacs = lj.value("effective_macs", Dim{0});
            l.cycles = lj.value("cycles", Dim{0});
            l.latencyS = lj.value("latency_s", 0.0);
            l.energyPj = lj.value("energy_pj", 0.0);
            l.energyBreakdownPj = breakdownFrom(lj.value("energy_breakdown_pj", nlohmann::json::object()));
            l.utilization = lj.value("utilization", 0.0);
            l.bound = lj.value("bound", std::string());
            if (const auto fused = lj.find("fused"); fused != lj.end() && fused->is_array())
                for (const auto& f : *fused)
                    if (f.is_object())
                        l.fused.emplace_back(f.value("layer", std::string()), f.value("op", std::string()));
            l.outputStagePj = lj.value("output_stage_energy_pj", 0.0);
            l.fusedInto = lj.value("fused_into", std::string());
            if (const auto acc = lj.find("accesses"); acc != lj.end())
                for (auto level = acc->begin(); level != acc->end(); ++level)
                    for (auto op = level.value().begin(); op != level.value().end(); ++op)
                        l.accesses.push_back({level.key(), op.key(), op.value().value("reads", Dim{0}), op.value().value("fills", Dim{0}),
                                              op.value().value("updates", Dim{0})});
            l.mapping = lj.value("mapping", std::string());
            r.layers.push_back(std::move(l));
        }
        where = "/warnings";
        r.warnings = j.value("warnings", std::vector<std::string>{});
        return r;
    } catch (const nlohmann::json::exception& e) {
        return Error{ExitCode::BadInput, file, where, std::string("not a cdx result: ") + e.what()};
    }
}

}  // namespace cdx
