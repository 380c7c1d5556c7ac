// The platform rule shared by the estimator and the studio's hardware form.
#include "estimators/templates/templateinfo.h"

#include <catch2/catch.hpp>

using namespace cdx;

TEST_CASE("a project's platform patches its preset's, and replaces it when it names another kind", "[templates][platform]")
{
    PresetSpec preset;
    preset.platform = {{"kind", "asic"}, {"node_nm", 65}, {"clock_mhz", 200}, {"vdd", 1.0}};
    // No block of its own: the preset's.
    CHECK(effectivePlatform(&preset, nlohmann::ordered_json::object()) == preset.platform);
    CHECK(effectivePlatform(&preset, nullptr) == preset.platform);
    // Its own keys over the preset's; null removes a key (merge patch), the rest stays.
    const auto patched = effectivePlatform(&preset, {{"clock_mhz", 250}, {"vdd", nullptr}});
    CHECK(patched == nlohmann::ordered_json{{"kind", "asic"}, {"node_nm", 65}, {"clock_mhz", 250}});
    CHECK(effectivePlatform(&preset, {{"kind", "asic"}, {"node_nm", 45}}).at("clock_mhz") == 200);
    // Another kind: the project's block alone, no ASIC keys leaking into an FPGA.
    const nlohmann::ordered_json fpga = {{"kind", "fpga"}, {"device", "XC7Z020"}};
    CHECK(effectivePlatform(&preset, fpga) == fpga);
    // No preset: the project's block.
    CHECK(effectivePlatform(nullptr, fpga) == fpga);
    CHECK(effectivePlatform(nullptr, nlohmann::ordered_json::object()).empty());
}
