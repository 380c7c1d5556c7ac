#include "estimators/tech/fpgalibrary.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace cdx;

namespace {

const FpgaLibrary& library()
{
    static const FpgaLibrary lib = FpgaLibrary::load().value();
    return lib;
}

}  // namespace

TEST_CASE("every Xilinx device with published totals, and the Arria 10 of E-LSTM, is in the table", "[tech][fpga]")
{
    struct Totals {
        const char* name;
        Dim lut, ff, bram18, uram, dsp;
    };
    const Totals c3[] = {
        {"xc7z020", 53200, 106400, 280, 0, 220},     {"xc7z045", 218600, 437200, 1090, 0, 900},
        {"zu2cg", 47232, 94464, 300, 0, 240},        {"zu3eg", 70560, 141120, 432, 0, 360},
        {"zu7ev", 230400, 460800, 624, 96, 1728},    {"zu9eg", 274080, 548160, 1824, 0, 2520},
        {"xcku060", 331680, 663360, 2160, 0, 2760},  {"xcvu9p", 1182240, 2364480, 4320, 960, 6840},
    };
    for (const auto& t : c3) {
        auto d = library().device(t.name);
        REQUIRE(d.ok());
        CHECK(d->lut == t.lut);
        CHECK(d->ff == t.ff);
        CHECK(d->bram18 == t.bram18);
        CHECK(d->uram == t.uram);
        CHECK(d->dsp == t.dsp);
    }
    auto arria = library().device("arria10_sx660");
    REQUIRE(arria.ok());
    CHECK(arria->m20k > 0);
    CHECK(std::string(arria->blockMemoryKind()) == "m20k");
    auto typo = library().device("xc7z02");
    REQUIRE_FALSE(typo.ok());
    CHECK_THAT(typo.error().message, Catch::Contains("did you mean \"xc7z020\"?"));
}

TEST_CASE("FINN's LUT multiplier and adder-tree rules", "[tech][fpga]")
{
    CHECK(lutsPerMultiply(8, 8) == 80);
    CHECK(lutsPerMultiply(4, 4) == 24);
    CHECK(lutsPerMultiply(3, 3) == 6);
    CHECK(lutsPerAdderTree(4, 4, 16) == 8 * 31);
}

TEST_CASE("DSP slices per multiply: widths and INT8 packing", "[tech][fpga]")
{
    const auto& e1 = library().dspKinds.at("dsp48e1");
    const auto& e2 = library().dspKinds.at("dsp48e2");
    const auto& intel = library().dspKinds.at("intel_vp");
    CHECK(dspsForMultiplies(e1, 16, 16, 10, true) == 10);   // 25x18 holds 16x16
    CHECK(dspsForMultiplies(e1, 8, 8, 10, true) == 10);     // no packing on DSP48E1
    CHECK(dspsForMultiplies(e2, 8, 8, 10, true) == 5);      // two INT8 sharing an operand
    CHECK(dspsForMultiplies(e2, 8, 8, 10, false) == 10);
    CHECK(dspsForMultiplies(e1, 32, 32, 1, false) == 4);    // tiled 32x32
    CHECK(dspsForMultiplies(intel, 16, 16, 10, false) == 5);  // two 18x19 per block
}

TEST_CASE("block memories by aspect ratio (FINN)", "[tech][fpga]")
{
    const auto& bram = library().memoryKinds.at("bram18");
    CHECK(memoryBlocks(bram, 512, 36) == 1);
    CHECK(memoryBlocks(bram, 1024, 64) == 4);
    CHECK(memoryBlocks(bram, 16384, 1) == 1);
    CHECK(memoryBlocks(bram, 2048, 8) == 1);       // 2048 x 9
    CHECK(memoryBlocks(bram, 100000, 16) == 98);   // ceil(100000 / 1024) x 1
    const auto& uram = library().memoryKinds.at("uram");
    CHECK(memoryBlocks(uram, 4096, 72) == 1);
}

TEST_CASE("devices can be added from a project's overrides", "[tech][fpga]")
{
    auto custom = FpgaLibrary::load(nlohmann::json::parse(R"({"fpga": {"devices": {"my_board": {
        "family": "Zynq UltraScale+", "vendor": "xilinx", "lut": 1000, "ff": 2000, "bram18": 10, "dsp": 4, "dsp_kind": "dsp48e2"}}}})"));
    REQUIRE(custom.ok());
    CHECK(custom->device("my_board")->dsp == 4);
    // A family of its own needs its power coefficients too.
    auto family = FpgaLibrary::load(nlohmann::json::parse(R"({"fpga": {"devices": {"my_board": {
        "family": "custom", "vendor": "xilinx", "lut": 1000, "ff": 2000, "bram18": 10, "dsp": 4, "dsp_kind": "dsp48e2"}}}})"));
    REQUIRE_FALSE(family.ok());
    CHECK_THAT(family.error().describe(), Catch::Contains("no power coefficients for the family \"custom\""));
    auto bad = FpgaLibrary::load(nlohmann::json::parse(R"({"fpga": {"devices": {"x": {
        "family": "f", "vendor": "v", "lut": 1, "ff": 1, "dsp": 1, "dsp_kind": "dsp99"}}}})"));
    REQUIRE_FALSE(bad.ok());
    CHECK_THAT(bad.error().describe(), Catch::Contains("no DSP kind named \"dsp99\""));
}
