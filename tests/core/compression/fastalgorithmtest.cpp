#include "core/compression/fastalgorithm.h"

#include <catch2/catch.hpp>

using namespace cdx;

namespace {

FastConvShape kernelShape(Dim r, Dim s, Dim p = 1, Dim q = 1)
{
    FastConvShape shape;
    shape.r = r;
    shape.s = s;
    shape.p = p;
    shape.q = q;
    return shape;
}

FastConvShape layer(Dim c, Dim m, Dim p, Dim q, Dim kernel)
{
    FastConvShape shape = kernelShape(kernel, kernel, p, q);
    shape.c = c;
    shape.m = m;
    return shape;
}

Dim ceilDiv(Dim a, Dim b)
{
    return (a + b - 1) / b;
}

}  // namespace

TEST_CASE("fast algorithm names round-trip", "[compression]")
{
    const auto names = fastAlgorithmNames();
    REQUIRE(names.size() == 6);
    CHECK(names.front() == "none");
    for (auto name : names) {
        const auto algorithm = fastAlgorithmFromName(name);
        REQUIRE(algorithm);
        CHECK(fastAlgorithmName(*algorithm) == name);
    }
    CHECK(fastAlgorithmFromName("winograd_f4x3") == FastAlgorithm::WinogradF4x3);
    CHECK_FALSE(fastAlgorithmFromName("winograd"));
}

TEST_CASE("FFA per-output counts are Z. Wang's table", "[compression]")
{
    struct Row {
        FastAlgorithm algorithm;
        Dim kernel;
        double multiplications;
        double additions;
    };
    for (const Row& row : {Row{FastAlgorithm::Ffa3, 3, 6, 12}, Row{FastAlgorithm::Ffa5, 5, 15, 35},
                           Row{FastAlgorithm::Ffa7, 7, 28, 64}}) {
        INFO("kernel " << row.kernel);
        const FastConvCounts fast = countFastConvolution(row.algorithm, kernelShape(row.kernel, row.kernel));
        REQUIRE(fast.applicable);
        CHECK(fast.multiplicationsPerOutput == row.multiplications);
        CHECK(fast.additionsPerOutput == row.additions);
        const FastConvCounts direct = countFastConvolution(FastAlgorithm::None, kernelShape(row.kernel, row.kernel));
        REQUIRE(direct.applicable);
        CHECK(direct.multiplicationsPerOutput == static_cast<double>(row.kernel * row.kernel));
        CHECK(direct.additionsPerOutput == static_cast<double>(row.kernel * row.kernel - 1));
        CHECK(direct.multiplications == row.kernel * row.kernel);
        CHECK(direct.additions == row.kernel * row.kernel - 1);
        CHECK(fast.directMultiplications == row.kernel * row.kernel);
        CHECK(fast.directAdditions == row.kernel * row.kernel - 1);
    }
}

TEST_CASE("Winograd tiles", "[compression]")
{
    const FastConvCounts f2 = countFastConvolution(FastAlgorithm::WinogradF2x3, kernelShape(3, 3, 2, 2));
    REQUIRE(f2.applicable);
    CHECK(f2.multiplications == 16);
    CHECK(f2.directMultiplications == 36);
    // B^T: 1+1+1+1 adds per pass, 2 passes of 4 -> 32; A^T: 2+2 per pass, 4 columns + 2 rows -> 24.
    CHECK(f2.additions == 32 + 24);
    CHECK(f2.multiplicationsPerOutput == 4.0);
    CHECK(f2.additionsPerOutput == 14.0);

    const FastConvCounts f4 = countFastConvolution(FastAlgorithm::WinogradF4x3, kernelShape(3, 3, 4, 4));
    REQUIRE(f4.applicable);
    CHECK(f4.multiplications == 36);
    CHECK(f4.directMultiplications == 144);
    // B^T: 2+3+3+3+3+2 = 16 per pass, 2 passes of 6 -> 192; A^T: 4+3+3+4 = 14, 6 columns + 4 rows -> 140.
    CHECK(f4.additions == 192 + 140);

    // Edge tiles are padded: 3x3 outputs take four F(2,3) tiles.
    CHECK(countFastConvolution(FastAlgorithm::WinogradF2x3, kernelShape(3, 3, 3, 3)).multiplications == 4 * 16);
}

TEST_CASE("whole-layer counts follow the construction", "[compression]")
{
    const Dim c = 64, m = 64, p = 56, q = 56;
    SECTION("Winograd")
    {
        struct Case {
            FastAlgorithm algorithm;
            Dim tile, t, inputAdds, outputAdds;
        };
        for (const Case& k : {Case{FastAlgorithm::WinogradF2x3, 2, 4, 32, 24}, Case{FastAlgorithm::WinogradF4x3, 4, 6, 192, 140}}) {
            const FastConvCounts counts = countFastConvolution(k.algorithm, layer(c, m, p + 1, q, 3));
            const Dim tiles = ceilDiv(p + 1, k.tile) * ceilDiv(q, k.tile);
            REQUIRE(counts.applicable);
            CHECK(counts.multiplications == tiles * c * m * k.t * k.t);
            CHECK(counts.additions == tiles * (c * k.inputAdds + m * k.outputAdds + m * k.t * k.t * (c - 1)));
            CHECK(counts.directMultiplications == m * c * (p + 1) * q * 9);
            CHECK(counts.directAdditions == m * (p + 1) * q * (c * 9 - 1));
        }
    }
    SECTION("3-parallel FFA on 3x3 and 7x7 kernels")
    {
        // 3x3: one subfilter tap, 6 products and 3 + 7 additions per block of 3 outputs.
        const Dim blocks3 = 2 * m * c * 3 * q * ceilDiv(p, 3);
        const FastConvCounts k3 = countFastConvolution(FastAlgorithm::Ffa3, [&] {
            FastConvShape s = layer(c, m, p, q, 3);
            s.n = 2;
            return s;
        }());
        REQUIRE(k3.applicable);
        CHECK(k3.multiplications == blocks3 * 6);
        CHECK(k3.additions == blocks3 * 10 + 2 * m * p * q * (c * 3 - 1));
        // 7x7: subfilters of 3 taps, 18 products and 10 + 6 * 2 additions per block.
        const Dim blocks7 = m * c * 7 * q * ceilDiv(p, 3);
        const FastConvCounts k7 = countFastConvolution(FastAlgorithm::Ffa3, layer(c, m, p, q, 7));
        REQUIRE(k7.applicable);
        CHECK(k7.multiplications == blocks7 * 18);
        CHECK(k7.additions == blocks7 * 22 + m * p * q * (c * 7 - 1));
        CHECK(k7.multiplications < k7.directMultiplications);
    }
    SECTION("5- and 7-parallel FFA")
    {
        const FastConvCounts k5 = countFastConvolution(FastAlgorithm::Ffa5, layer(c, m, p, q, 5));
        const Dim blocks5 = m * c * 5 * q * ceilDiv(p, 5);
        CHECK(k5.multiplications == blocks5 * 15);
        CHECK(k5.additions == blocks5 * 31 + m * p * q * (c * 5 - 1));
        const FastConvCounts k7 = countFastConvolution(FastAlgorithm::Ffa7, layer(c, m, p, q, 7));
        const Dim blocks7 = m * c * 7 * q * ceilDiv(p, 7);
        CHECK(k7.multiplications == blocks7 * 28);
        CHECK(k7.additions == blocks7 * 58 + m * p * q * (c * 7 - 1));
    }
}

TEST_CASE("fast algorithms that do not apply say why", "[compression]")
{
    const auto check = [](FastAlgorithm algorithm, const FastConvShape& shape, const char* word) {
        const FastConvCounts counts = countFastConvolution(algorithm, shape);
        CHECK_FALSE(counts.applicable);
        CHECK(counts.reason.find(word) != std::string::npos);
        CHECK(counts.multiplications == 0);
        // The direct figures stay available for the fallback.
        CHECK(counts.directMultiplications == shape.n * shape.m * shape.c * shape.p * shape.q * shape.r * shape.s);
    };
    check(FastAlgorithm::WinogradF2x3, kernelShape(5, 5, 8, 8), "3x3");
    check(FastAlgorithm::WinogradF4x3, kernelShape(1, 1, 8, 8), "3x3");
    FastConvShape strided = kernelShape(3, 3, 8, 8);
    strided.stride = 2;
    check(FastAlgorithm::WinogradF2x3, strided, "stride");
    check(FastAlgorithm::Ffa3, strided, "stride");
    FastConvShape dilated = kernelShape(3, 3, 8, 8);
    dilated.dilation = 2;
    check(FastAlgorithm::WinogradF4x3, dilated, "dilation");
    check(FastAlgorithm::Ffa5, kernelShape(3, 3, 8, 8), "at least 5");
    check(FastAlgorithm::Ffa3, kernelShape(4, 4, 8, 8), "saves no multiplications");
    CHECK_FALSE(countFastConvolution(FastAlgorithm::None, kernelShape(3, 0)).applicable);
}
