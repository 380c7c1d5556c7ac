#include "estimators/results/networkresult.h"

#include "core/compression/compressionreportjson.h"

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

nlohmann::ordered_json networkResultJson(const NetworkResult& r, bool withMappings)
{
    nlohmann::ordered_json j;
    j["format"] = "cdx-result";
    j["version"] = 1;
    j["project"] = r.project;
    j["network"] = r.network;
    j["hardware"] = {{"template", r.templateName}, {"preset", r.preset}, {"design", r.design}, {"pipelined", r.pipelined}};
    j["platform"] = r.platform;
    nlohmann::ordered_json t;
    t["macs"] = r.macs;
    t["effective_macs"] = r.effectiveMacs;
    t["cycles"] = r.cycles;
    t["latency_s"] = r.latencyS;
    t["interval_s"] = r.intervalS;
    t["energy_pj"] = r.energyPj;
    t["energy_breakdown_pj"] = breakdownJson(r.energyBreakdownPj);
    t["static_power_w"] = r.staticPowerW;
    t["power_w"] = r.powerW;
    t["ops_per_s"] = r.opsPerS;
    t["effective_ops_per_s"] = r.effectiveOpsPerS;
    t["peak_ops_per_s"] = r.peakOpsPerS;
    t["utilization"] = r.utilization;
    t["tops_per_w"] = r.topsPerW;
    t["accuracy"] = {{"drop_pp", r.accuracyDropPp}, {"source", r.accuracySource}};
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
        lj["macs"] = l.macs;
        lj["effective_macs"] = l.effectiveMacs;
        lj["cycles"] = l.cycles;
        lj["latency_s"] = l.latencyS;
        lj["energy_pj"] = l.energyPj;
        lj["energy_breakdown_pj"] = breakdownJson(l.energyBreakdownPj);
        lj["utilization"] = l.utilization;
        lj["bound"] = l.bound;
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

}  // namespace cdx
