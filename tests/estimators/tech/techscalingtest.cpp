#include "estimators/tech/techscaling.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace cdx;

namespace {

const TechLibrary& library()
{
    static const TechLibrary lib = TechLibrary::load().value();
    return lib;
}

}  // namespace

// Stillmaker and Baas (Integration 2017) fits: ratios from LP45 at 0.9 V, and with voltage scaling.
TEST_CASE("energy scaling equals the Stillmaker-Baas tables at table nodes", "[tech][scaling]")
{
    const auto& lib = library();
    CHECK(energyScale(lib, 45, 0.9) == Approx(1.0));
    CHECK(energyScale(lib, 32, 0.9) == Approx(0.541).epsilon(0.005));
    CHECK(energyScale(lib, 20, 0.9) == Approx(0.238).epsilon(0.005));
    CHECK(energyScale(lib, 16, 0.9) == Approx(0.187).epsilon(0.005));
    CHECK(energyScale(lib, 14, 0.9) == Approx(0.150).epsilon(0.005));
    CHECK(energyScale(lib, 10, 0.9) == Approx(0.127).epsilon(0.005));
    CHECK(energyScale(lib, 7, 0.9) == Approx(0.102).epsilon(0.005));
    CHECK(energyScale(lib, 28, 0.9) == Approx(0.44).epsilon(0.01));
    CHECK(energyScale(lib, 16, 0.8) == Approx(0.142).epsilon(0.005));
    CHECK(energyScale(lib, 7, 0.7) == Approx(0.0566).epsilon(0.005));
}

TEST_CASE("area scaling equals the table and interpolates 28 nm", "[tech][scaling]")
{
    const auto& lib = library();
    CHECK(areaScale(lib, 45) == Approx(1.0));
    CHECK(areaScale(lib, 32) == Approx(0.46));
    CHECK(areaScale(lib, 16) == Approx(0.19));
    CHECK(areaScale(lib, 7) == Approx(0.059));
    CHECK(areaScale(lib, 65) == Approx(1.5));
    CHECK(areaScale(lib, 28) == Approx(0.38).epsilon(0.01));
}

TEST_CASE("scaling is monotone in node and in voltage", "[tech][scaling]")
{
    const auto& lib = library();
    for (double vdd = 0.5; vdd <= 1.8; vdd += 0.05) {
        double previous = 0;
        for (double node = 7; node <= 180; node += 1) {
            if (checkNodeAndVdd(lib, node, vdd))
                continue;  // outside what this node's fit covers
            const double e = energyScale(lib, node, vdd);
            INFO("node " << node << " vdd " << vdd);
            CHECK(e > previous);
            previous = e;
        }
    }
    for (int node : {7, 16, 28, 45, 65, 130, 180}) {
        double previous = 0;
        const auto [low, high] = vddRange(lib, node);
        for (double vdd = low; vdd <= high; vdd += 0.02) {
            const double e = energyScale(lib, node, vdd);
            INFO("node " << node << " vdd " << vdd);
            CHECK(e > previous);
            previous = e;
        }
    }
    double previous = 0;
    for (double node = 7; node <= 180; node += 1) {
        CHECK(areaScale(lib, node) > previous);
        previous = areaScale(lib, node);
    }
}

TEST_CASE("nodes and voltages outside the tables are refused with a reason", "[tech][scaling]")
{
    const auto& lib = library();
    CHECK_FALSE(checkNodeAndVdd(lib, 28, 0.9).has_value());
    CHECK_FALSE(checkNodeAndVdd(lib, 65, 1.0).has_value());  // Eyeriss v1
    CHECK_THAT(*checkNodeAndVdd(lib, 3, 0.7), Catch::Contains("outside the scaling tables"));
    CHECK_THAT(*checkNodeAndVdd(lib, 28, 0.2), Catch::Contains("vdd 0.2 V"));
    CHECK_THAT(*checkNodeAndVdd(lib, 180, 0.6), Catch::Contains("180 nm fit"));
    CHECK(checkNodeAndVdd(lib, 28, 0.0).has_value());
}
