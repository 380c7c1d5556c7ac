#include "estimators/platform/platformspec.h"

#include "core/util/jsonreader.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace cdx {

Result<PlatformSpec> PlatformSpec::fromJson(const nlohmann::ordered_json& block, const std::string& file)
{
    try {
        const nlohmann::json plain = block;
        JsonObject o(plain, "/platform");
        PlatformSpec spec;
        const auto kind = o.required("kind");
        const std::string k = kind.asString();
        if (k == "asic")
            spec.kind = PlatformKind::Asic;
        else if (k == "fpga")
            spec.kind = PlatformKind::Fpga;
        else
            kind.fail("unknown platform kind \"" + k + "\" (asic or fpga)");
        auto positive = [&](const char* key, double fallback) {
            const auto v = o.optional(key);
            if (!v)
                return fallback;
            const double x = v->asNumber();
            if (!(x > 0) || !std::isfinite(x))
                v->fail("must be a positive number, got " + v->raw().dump());
            return x;
        };
        spec.clockMhz = positive("clock_mhz", spec.kind == PlatformKind::Asic ? 1000 : 200);
        if (spec.clockMhz > 100000)
            o.required("clock_mhz").fail("a clock of " + o.required("clock_mhz").raw().dump() + " MHz is not a real clock");
        if (o.has("dram_bandwidth_gbs"))
            spec.dramBandwidthGBs = positive("dram_bandwidth_gbs", 0);
        if (const auto dram = o.optional("dram")) {
            spec.dram = dram->asString();
            std::transform(spec.dram.begin(), spec.dram.end(), spec.dram.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        }
        if (spec.kind == PlatformKind::Asic) {
            spec.nodeNm = positive("node_nm", 45);
            if (o.has("vdd"))
                spec.vdd = positive("vdd", 0);
        } else {
            const auto device = o.required("device");
            spec.device = device.asString();
            std::transform(spec.device.begin(), spec.device.end(), spec.device.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        }
        o.rejectUnknownKeys();
        return spec;
    } catch (const InputError& e) {
        Error error = e.error();
        error.file = file;
        return error;
    }
}

nlohmann::ordered_json PlatformSpec::toJson() const
{
    nlohmann::ordered_json j;
    if (kind == PlatformKind::Asic) {
        j["kind"] = "asic";
        j["node_nm"] = nodeNm;
        if (vdd)
            j["vdd"] = *vdd;
    } else {
        j["kind"] = "fpga";
        j["device"] = device;
    }
    j["clock_mhz"] = clockMhz;
    j["dram"] = dram;
    if (dramBandwidthGBs)
        j["dram_bandwidth_gbs"] = *dramBandwidthGBs;
    return j;
}

}  // namespace cdx
