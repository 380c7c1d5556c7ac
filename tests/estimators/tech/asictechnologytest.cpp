#include "estimators/tech/asictechnology.h"
#include "estimators/tech/techscaling.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace cdx;

namespace {

std::shared_ptr<const TechLibrary> library()
{
    static const auto lib = std::make_shared<const TechLibrary>(TechLibrary::load().value());
    return lib;
}

}  // namespace

TEST_CASE("primitives at 45 nm and 0.9 V are Horowitz's numbers", "[tech][asic]")
{
    const AsicTechnology t(library(), 45, 0.9);
    CHECK(t.addEnergyPj(NumberFormat::Int, 8) == Approx(0.03));
    CHECK(t.addEnergyPj(NumberFormat::Int, 32) == Approx(0.1));
    CHECK(t.multiplyEnergyPj(NumberFormat::Int, 8, 8) == Approx(0.2));
    CHECK(t.multiplyEnergyPj(NumberFormat::Int, 32, 32) == Approx(3.1));
    CHECK(t.multiplyAreaUm2(NumberFormat::Int, 8, 8) == Approx(282));
    CHECK(t.addEnergyPj(NumberFormat::Fp16, 16) == Approx(0.4));
    CHECK(t.multiplyEnergyPj(NumberFormat::Fp32, 32, 32) == Approx(3.7));
    CHECK(t.addAreaUm2(NumberFormat::Fp32, 32) == Approx(4184));
    // Narrower formats cost less, wider more.
    const double fp8 = t.multiplyEnergyPj(NumberFormat::Fp8E4M3, 8, 8);
    const double bf16 = t.multiplyEnergyPj(NumberFormat::Bf16, 16, 16);
    const double fp16 = t.multiplyEnergyPj(NumberFormat::Fp16, 16, 16);
    CHECK(fp8 < bf16);
    CHECK(bf16 < fp16);
    CHECK(t.multiplyEnergyPj(NumberFormat::Int, 4, 4) < t.multiplyEnergyPj(NumberFormat::Int, 4, 8));
    CHECK(t.multiplyEnergyPj(NumberFormat::Int, 4, 8) < t.multiplyEnergyPj(NumberFormat::Int, 8, 8));
    CHECK(t.multiplyEnergyPj(NumberFormat::Log2, 4, 8) < t.multiplyEnergyPj(NumberFormat::Int, 4, 8));
    CHECK(t.macEnergyPj(NumberFormat::Int, 8, 8, 32) == Approx(0.2 + 0.1));
}

TEST_CASE("primitives scale with the node: Horowitz at 7 nm and 0.7 V", "[tech][asic]")
{
    // Horowitz (ISSCC 2014) scaled by Stillmaker and Baas (Integration 2017): int8 add 0.0017,
    // int32 mult 0.176, fp32 mult 0.21 pJ with the factor 0.0566.
    const AsicTechnology t(library(), 7, 0.7);
    CHECK(t.addEnergyPj(NumberFormat::Int, 8) == Approx(0.0017).epsilon(0.02));
    CHECK(t.multiplyEnergyPj(NumberFormat::Int, 32, 32) == Approx(0.176).epsilon(0.02));
    CHECK(t.multiplyEnergyPj(NumberFormat::Fp32, 32, 32) == Approx(0.21).epsilon(0.02));
    CHECK(t.multiplyAreaUm2(NumberFormat::Int, 8, 8) == Approx(282 * 0.059));
}

// Accelergy's CACTI plug-in (Wu et al., ICCAD 2019): energies per access (pJ), read / write, for 4
// arrays at 3 nodes.
TEST_CASE("the SRAM fit is within 15% of every CACTI point", "[tech][sram]")
{
    struct Point {
        int node;
        Dim depth;
        int width;
        double read;
        double write;
    };
    const Point points[] = {
        {32, 192, 16, 0.40, 0.59},       {45, 192, 16, 0.63, 1.53},       {65, 192, 16, 1.16, 2.83},
        {32, 2048, 64, 6.55, 5.75},      {45, 2048, 64, 11.6, 10.7},      {65, 2048, 64, 21.0, 20.1},
        {32, 16384, 64, 18.16, 14.11},   {45, 16384, 64, 32.29, 26.07},   {65, 16384, 64, 59.3, 49.6},
        {32, 16384, 256, 94.3, 88.3},    {45, 16384, 256, 167.9, 161.3},  {65, 16384, 256, 312, 307},
    };
    // CACTI's table is at each node's nominal voltage.
    for (const auto& p : points) {
        const AsicTechnology t(library(), p.node, nominalVdd(*library(), p.node));
        const MemoryCost c = t.sram(p.depth, p.width);
        INFO(p.node << " nm " << p.depth << "x" << p.width << ": read " << c.readPj << " vs " << p.read << ", write "
                    << c.writePj << " vs " << p.write);
        CHECK(std::abs(c.readPj - p.read) / p.read < 0.15);
        CHECK(std::abs(c.writePj - p.write) / p.write < 0.15);
    }
}

TEST_CASE("SRAM energy, area and leakage grow with size and shrink with the node", "[tech][sram]")
{
    const AsicTechnology t45(library(), 45, 0.9), t16(library(), 16, 0.8);
    const MemoryCost small = t45.sram(512, 64), large = t45.sram(8192, 64), wide = t45.sram(512, 256);
    CHECK(small.readPj < large.readPj);
    CHECK(small.readPj < wide.readPj);
    CHECK(small.areaUm2 < large.areaUm2);
    CHECK(small.leakageUw < large.leakageUw);
    CHECK(t16.sram(8192, 64).readPj < large.readPj);
    CHECK(t16.sram(8192, 64).areaUm2 < large.areaUm2);
    // The Accelergy/CACTI areas of the Timeloop references at 45 nm: 128 KiB and 192 x 16.
    CHECK(t45.sram(16384, 64).areaUm2 == Approx(429745.6).epsilon(0.05));
    CHECK(t45.sram(192, 16).areaUm2 == Approx(1419.8).epsilon(0.05));
}

TEST_CASE("DRAM, wires and overrides", "[tech]")
{
    const AsicTechnology t(library(), 40, 0.9);
    CHECK(*t.dramEnergyPjPerBit("lpddr4") == Approx(8));
    CHECK(*t.dramEnergyPjPerBit("hbm2") == Approx(3.9));
    CHECK_FALSE(t.dramEnergyPjPerBit("ddr9").has_value());
    CHECK(t.wireEnergyPjPerBitMm() == Approx(0.240));
    CHECK(AsicTechnology(library(), 10, 0.9).wireEnergyPjPerBitMm() == Approx(0.115));

    auto custom = TechLibrary::load(nlohmann::json::parse(R"({"primitives": {"int_add": {"energy_pj": [0.06, 0.1, 0.2]}},
                                                                 "dram_pj_per_bit": {"lpddr4": 4}})"));
    REQUIRE(custom.ok());
    const AsicTechnology c(std::make_shared<const TechLibrary>(custom.value()), 45, 0.9);
    CHECK(c.addEnergyPj(NumberFormat::Int, 8) == Approx(0.06));
    CHECK(*c.dramEnergyPjPerBit("lpddr4") == Approx(4));

    auto typo = TechLibrary::load(nlohmann::json::parse(R"({"primitives": {"int_ad": {"energy_pj": [1]}}})"));
    REQUIRE_FALSE(typo.ok());
    CHECK_THAT(typo.error().describe(), Catch::Contains("/primitives/int_ad: unknown key \"int_ad\" (did you mean \"int_add\"?)"));
    auto bad = TechLibrary::load(nlohmann::json::parse(R"({"sram": {"read": {"coefficient": -1}}})"));
    REQUIRE_FALSE(bad.ok());
    CHECK_THAT(bad.error().describe(), Catch::Contains("/sram/read/coefficient: must be positive"));
}
