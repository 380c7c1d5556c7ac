// Our technology model in place of a Timeloop case's ERT: where both model the same thing (a
// CACTI SRAM, an LPDDR4 access, an 8-bit MAC) they must agree closely.
#include "estimators/tech/techlibrary.h"
#include "estimators/timeloop/timeloopcase.h"
#include "estimators/timeloop/timeloopowntech.h"

#include <catch2/catch.hpp>

using namespace cdx;

namespace {

const std::string kCases = std::string(CDX_TEST_DATA_DIR) + "/timeloop/";

std::shared_ptr<const TechLibrary> library()
{
    static const auto lib = std::make_shared<const TechLibrary>(TechLibrary::load().value());
    return lib;
}

const StorageLevel& level(const TimeloopCase& c, const std::string& name)
{
    for (const auto& s : c.architecture.storage)
        if (s.name == name)
            return s;
    FAIL("no level " << name);
    throw;
}

}  // namespace

TEST_CASE("our SRAM, DRAM and MAC costs agree with Accelergy's where they model the same parts", "[timeloop][tech]")
{
    struct Expect {
        const char* caseName;
        const char* levelName;
    };
    // Accelergy's CACTI SRAMs: the fit must be within 15% of them (as of the A5 points).
    const Expect srams[] = {
        {"simple_weight_stationary", "shared_glb"},  // 16384 x 64 at 45 nm
        {"simple_weight_stationary", "pe_spad"},     // 192 x 16 at 45 nm
        {"eyeriss_like", "shared_glb"},              // 16384 x 64 at 32 nm
    };
    for (const auto& e : srams) {
        DYNAMIC_SECTION(e.caseName << " " << e.levelName)
        {
            const auto ert = loadTimeloopCase(kCases + e.caseName);
            REQUIRE(ert.ok());
            const auto own = withOwnTechnology(ert.value(), library());
            REQUIRE(own.ok());
            const StorageLevel& a = level(ert.value(), e.levelName);
            const StorageLevel& b = level(own.value(), e.levelName);
            CHECK_THAT(b.actions.source, Catch::Contains("SRAM"));
            CHECK(b.actions.readPj == Approx(a.actions.readPj).epsilon(0.15));
            CHECK(b.actions.writePj == Approx(a.actions.writePj).epsilon(0.15));
            CHECK(b.actions.leakPj == Approx(a.actions.leakPj).epsilon(0.15));
            CHECK(b.areaUm2 == Approx(a.areaUm2).epsilon(0.15));
        }
    }
    const auto ert = loadTimeloopCase(kCases + "simple_weight_stationary");
    REQUIRE(ert.ok());
    const auto own = withOwnTechnology(ert.value(), library());
    REQUIRE(own.ok());
    CHECK(level(own.value(), "DRAM").actions.readPj == Approx(512));  // LPDDR4: 8 pJ/bit x 64 bits
    CHECK(level(own.value(), "inter_PE_spatial").actions.readPj == 0);
    // An 8x8-bit multiplier with a 16-bit adder at 45 nm: Accelergy's 0.315 pJ.
    CHECK(own->architecture.arithmetic.computePj == Approx(ert->architecture.arithmetic.computePj).epsilon(0.15));
    CHECK(own->warnings.empty());
}

TEST_CASE("own technology keeps the case's counts and names its sources", "[timeloop][tech]")
{
    auto c = loadTimeloopCase(kCases + "eyeriss_like");
    REQUIRE(c.ok());
    const auto own = withOwnTechnology(c.value(), library());
    REQUIRE(own.ok());
    const auto a = evaluateTimeloopCase(c.value(), EngineOptions{});
    const auto b = evaluateTimeloopCase(own.value(), EngineOptions{});
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK(a->cycles == b->cycles);
    for (int i = 0; i < a->levels; ++i)
        for (int pv = 0; pv < a->dataSpaces; ++pv) {
            const auto& x = a->level[static_cast<std::size_t>(i)].dataSpaces[static_cast<std::size_t>(pv)];
            const auto& y = b->level[static_cast<std::size_t>(i)].dataSpaces[static_cast<std::size_t>(pv)];
            CHECK(x.reads == y.reads);
            CHECK(x.fills == y.fills);
            CHECK(x.updates == y.updates);
        }
    CHECK_THAT(level(own.value(), "weights_spad").actions.source, Catch::Contains("register file 192x16") && Catch::Contains("32 nm"));
    CHECK_THAT(own->architecture.arithmetic.source, Catch::Contains("8x8 multiplier + 16-bit adder at 32 nm"));
}

TEST_CASE("a component without a node is costed at 45 nm with a warning", "[timeloop][tech]")
{
    auto c = loadTimeloopCase(kCases + "03_three_level_bypass");
    REQUIRE(c.ok());
    for (auto& component : c->components)
        component.technology = "SET ME";
    const auto own = withOwnTechnology(c.value(), library());
    REQUIRE(own.ok());
    REQUIRE_FALSE(own->warnings.empty());
    CHECK_THAT(own->warnings.front(), Catch::Contains("no technology node") && Catch::Contains("45 nm"));
}
