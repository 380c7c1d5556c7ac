#include "core/compression/quantizer.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

using namespace cdx;

namespace {

QuantSpec spec(NumberFormat format, int bits = 8)
{
    QuantSpec s;
    s.format = format;
    s.bits = bits;
    return s;
}

std::vector<float> gaussianSample(std::size_t count, std::uint32_t seed = 12345)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> values(count);
    for (auto& v : values)
        v = normal(rng);
    return values;
}

double quantizeWith(NumberFormat format, double x)
{
    return Quantizer::fit(spec(format), ValueRange{}).quantize(x);
}

// bfloat16 by the usual bit trick on a float: round to nearest even on the upper 16 bits.
double bf16Reference(float f)
{
    std::uint32_t bits = 0;
    std::memcpy(&bits, &f, sizeof bits);
    bits += 0x7fffu + ((bits >> 16) & 1u);
    bits &= 0xffff0000u;
    float rounded = 0;
    std::memcpy(&rounded, &bits, sizeof rounded);
    return rounded;
}

}  // namespace

TEST_CASE("ValueRange from data and for an assumed Gaussian", "[compression]")
{
    const std::vector<float> values{0.0f, -3.0f, 1.0f, 2.0f, 0.0f, 4.0f, -5.0f};
    const ValueRange r = ValueRange::fromData(values);
    CHECK(r.measured);
    CHECK(r.minValue == -5.0);
    CHECK(r.maxValue == 4.0);
    CHECK(r.maxAbs == 5.0);
    CHECK(r.medianAbs == 3.0);  // of the nonzero magnitudes 1 2 3 4 5
    CHECK(r.rms == Approx(std::sqrt(55.0 / 7.0)));
    CHECK_FALSE(ValueRange::fromData({}).measured);

    const ValueRange g = ValueRange::gaussian(2);
    CHECK_FALSE(g.measured);
    CHECK(g.maxAbs == 8.0);
    CHECK(g.minValue == -8.0);
    CHECK(g.rms == 2.0);
    CHECK(g.medianAbs == Approx(1.349));
}

TEST_CASE("int quantisers round-trip their levels and saturate", "[compression]")
{
    ValueRange range;
    range.maxAbs = 1.27;
    const Quantizer q = Quantizer::fit(spec(NumberFormat::Int, 8), range);
    CHECK(q.params().scale == Approx(0.01));
    for (int code = -127; code <= 127; code += 7)
        CHECK(q.quantize(code * q.params().scale) == Approx(code * q.params().scale).margin(1e-12));
    CHECK(q.quantize(5.0) == Approx(1.27));
    CHECK(q.quantize(-5.0) == Approx(-1.27));
    CHECK(q.params().describe() == "int8 symmetric, scale 0.01");

    SECTION("asymmetric reaches min and max within half a step")
    {
        std::vector<float> values{-1.0f, 3.0f};
        for (int i = 0; i < 100; ++i)
            values.push_back(-1.0f + 0.04f * static_cast<float>(i));
        const Quantizer a = Quantizer::fit({8, NumberFormat::Int, false, {}, FpBias::Standard, 0}, values);
        const double step = a.params().scale;
        CHECK(step == Approx(4.0 / 255));
        CHECK(a.params().zeroPoint == 64);
        CHECK(a.quantize(-1.0) == Approx(-1.0).margin(step / 2));
        CHECK(a.quantize(3.0) == Approx(3.0).margin(step / 2));
        CHECK(a.quantize(0.0) == 0.0);
        CHECK(a.quantize(100.0) == a.params().highest);
        CHECK(a.quantize(-100.0) == a.params().lowest);
        CHECK(a.params().describe().find("asymmetric") != std::string::npos);
    }
    SECTION("1-bit int behaves as binary")
    {
        const std::vector<float> values{-2.0f, -1.0f, 1.0f, 2.0f};
        const Quantizer b = Quantizer::fit(spec(NumberFormat::Int, 1), values);
        CHECK(b.quantize(0.3) == 1.5);
        CHECK(b.quantize(-7.0) == -1.5);
    }
}

TEST_CASE("fixed point picks the radix from the magnitude", "[compression]")
{
    ValueRange range;
    range.maxAbs = 3.7;
    const Quantizer q = Quantizer::fit(spec(NumberFormat::Fixed, 8), range);
    CHECK(q.params().fracBits == 5);
    CHECK(q.params().describe() == "fixed<8,5>");
    CHECK(q.quantize(3.7) == 3.6875);
    CHECK(q.quantize(100.0) == 127.0 / 32);
    CHECK(q.quantize(-100.0) == -4.0);
    CHECK(q.quantize(-1.03125) == -1.03125);

    QuantSpec given = spec(NumberFormat::Fixed, 8);
    given.fracBits = 9;
    CHECK(Quantizer::fit(given, range).params().fracBits == 9);
    range.maxAbs = 0;
    CHECK(Quantizer::fit(spec(NumberFormat::Fixed, 8), range).params().fracBits == 7);
}

TEST_CASE("SQNR rises with the width of int and fixed", "[compression]")
{
    const auto values = gaussianSample(20000);
    for (auto format : {NumberFormat::Int, NumberFormat::Fixed}) {
        double previous = -std::numeric_limits<double>::infinity();
        for (int bits = 2; bits <= 16; ++bits) {
            const double sqnr = measureQuantization(Quantizer::fit(spec(format, bits), values), values).sqnrDb;
            INFO(numberFormatName(format) << bits);
            CHECK(sqnr > previous + 3);
            previous = sqnr;
        }
    }
}

TEST_CASE("floating point formats round to nearest even and saturate", "[compression]")
{
    CHECK(quantizeWith(NumberFormat::Fp16, 1.0 / 3) == 0.333251953125);
    CHECK(quantizeWith(NumberFormat::Bf16, 1.0 / 3) == 0.333984375);
    CHECK(quantizeWith(NumberFormat::Fp16, 0.1) == 0.0999755859375);
    CHECK(quantizeWith(NumberFormat::Fp16, 1 + std::ldexp(1.0, -11)) == 1.0);  // tie to even
    CHECK(quantizeWith(NumberFormat::Fp16, 1 + 3 * std::ldexp(1.0, -11)) == 1 + std::ldexp(1.0, -9));
    CHECK(quantizeWith(NumberFormat::Fp16, 65519.0) == 65504.0);
    CHECK(quantizeWith(NumberFormat::Fp16, 1e6) == 65504.0);
    CHECK(quantizeWith(NumberFormat::Fp16, -1e9) == -65504.0);
    CHECK(quantizeWith(NumberFormat::Fp16, std::ldexp(1.0, -24)) == std::ldexp(1.0, -24));
    CHECK(quantizeWith(NumberFormat::Fp16, std::ldexp(1.0, -25)) == 0.0);
    CHECK(quantizeWith(NumberFormat::Fp8E4M3, 1000.0) == 448.0);
    CHECK(quantizeWith(NumberFormat::Fp8E4M3, 464.0) == 448.0);
    CHECK(quantizeWith(NumberFormat::Fp8E4M3, 1.0625) == 1.0);     // tie to even
    CHECK(quantizeWith(NumberFormat::Fp8E4M3, 1.1875) == 1.25);    // tie to even
    CHECK(quantizeWith(NumberFormat::Fp8E5M2, 1e6) == 57344.0);
    CHECK(quantizeWith(NumberFormat::Fp8E5M2, -57344.0) == -57344.0);
    CHECK(Quantizer::fit(spec(NumberFormat::Fp8E5M2), ValueRange{}).params().describe() == "fp8_e5m2 bias 15");

    SECTION("E5M2 subnormals at bias 15")
    {
        const double tiny = std::ldexp(1.0, -16);
        CHECK(quantizeWith(NumberFormat::Fp8E5M2, tiny) == tiny);
        CHECK(quantizeWith(NumberFormat::Fp8E5M2, 0.6 * tiny) == tiny);
        CHECK(quantizeWith(NumberFormat::Fp8E5M2, 0.5 * tiny) == 0.0);       // tie to even
        CHECK(quantizeWith(NumberFormat::Fp8E5M2, 1.5 * tiny) == 2 * tiny);  // tie to even
        CHECK(quantizeWith(NumberFormat::Fp8E5M2, 3 * tiny) == 3 * tiny);
        CHECK(quantizeWith(NumberFormat::Fp8E5M2, 0.4 * tiny) == 0.0);
    }
    SECTION("exactly representable values round-trip")
    {
        for (double v : {0.5, 1.125, 448.0, -0.01171875, std::ldexp(1.0, -9), std::ldexp(7.0, -9)})
            CHECK(quantizeWith(NumberFormat::Fp8E4M3, v) == v);
        for (double v : {0.75, 57344.0, std::ldexp(3.0, -16), -1.5})
            CHECK(quantizeWith(NumberFormat::Fp8E5M2, v) == v);
    }
    SECTION("fp32 is the float cast and bf16 matches the bit trick")
    {
        std::mt19937 rng(7);
        std::uniform_real_distribution<double> mantissa(-1.0, 1.0);
        std::uniform_int_distribution<int> exponent(-150, 120);
        for (int i = 0; i < 5000; ++i) {
            const double x = std::ldexp(mantissa(rng), exponent(rng));
            REQUIRE(quantizeWith(NumberFormat::Fp32, x) == static_cast<double>(static_cast<float>(x)));
            if (std::fabs(x) > 1e-30) {  // leave bf16's subnormals (which the bit trick does handle) aside
                const auto f = static_cast<float>(x);
                REQUIRE(quantizeWith(NumberFormat::Bf16, f) == bf16Reference(f));
            }
        }
    }
}

TEST_CASE("fp8 adaptive bias follows the SustainML table", "[compression]")
{
    for (int bias = 10; bias <= 31; ++bias) {
        INFO("bias " << bias);
        CHECK(fp8AdaptiveBias(std::ldexp(1.0, 16 - bias), 5) == bias);
    }
    CHECK(fp8AdaptiveBias(64, 5) == 10);
    CHECK(fp8AdaptiveBias(1, 5) == 16);
    CHECK(fp8AdaptiveBias(0.0000305175, 5) == 31);
    CHECK(fp8AdaptiveBias(2.9, 5) == 15);
    CHECK(fp8AdaptiveBias(3.1, 5) == 14);
    CHECK(fp8AdaptiveBias(0.7, 5) == 17);  // |0.7 - 0.5| < |0.7 - 1|
    CHECK(fp8AdaptiveBias(1000, 5) == 10);
    CHECK(fp8AdaptiveBias(1e-9, 5) == 31);
    CHECK(fp8AdaptiveBias(0, 5) == 15);
    CHECK(fp8AdaptiveBias(-1, 4) == 7);
    CHECK(fp8AdaptiveBias(1, 4) == 8);
    CHECK(fp8AdaptiveBias(64, 4) == 2);
    CHECK(fp8AdaptiveBias(1e-9, 4) == 15);

    QuantSpec adaptive = spec(NumberFormat::Fp8E5M2);
    adaptive.biasMode = FpBias::Adaptive;
    ValueRange range;
    range.medianAbs = 0.25;
    CHECK(Quantizer::fit(adaptive, range).params().bias == 15);  // assumed range: standard
    range.measured = true;
    const Quantizer q = Quantizer::fit(adaptive, range);
    CHECK(q.params().bias == 18);
    CHECK(q.params().describe() == "fp8_e5m2 bias 18");
    CHECK(q.params().highest == 1.75 * std::ldexp(1.0, 30 - 18));
    QuantSpec fixed = spec(NumberFormat::Fp8E4M3);
    fixed.biasMode = FpBias::Fixed;
    fixed.bias = 10;
    CHECK(Quantizer::fit(fixed, range).quantize(1000.0) == 1.75 * 32);
}

TEST_CASE("log2 quantisation is Z. Wang's LogQ", "[compression]")
{
    const std::vector<float> values{2.0f, -1.0f, 0.3f, 0.01f};
    const Quantizer q = Quantizer::fit(spec(NumberFormat::Log2, 4), values);
    CHECK(q.params().describe().find("LogQ_{1,-5}") != std::string::npos);
    CHECK(q.quantize(0.75) == 1.0);
    CHECK(q.quantize(-0.3) == -0.25);
    CHECK(q.quantize(3.0) == 2.0);
    CHECK(q.quantize(std::ldexp(1.0, -5)) == std::ldexp(1.0, -5));
    CHECK(q.quantize(std::ldexp(1.01, -6)) == std::ldexp(1.0, -5));
    CHECK(q.quantize(std::ldexp(0.99, -6)) == 0.0);
    CHECK(q.quantize(0.0) == 0.0);
    const Quantizer one = Quantizer::fit(spec(NumberFormat::Log2, 1), values);
    CHECK(one.quantize(0.001) == 2.0);
    CHECK(one.quantize(-0.001) == -2.0);
}

TEST_CASE("codebooks cluster by k-means", "[compression]")
{
    SECTION("exact when the codebook holds every distinct value")
    {
        std::vector<float> values;
        for (int i = 0; i < 300; ++i)
            values.push_back(static_cast<float>((i * 7) % 12) * 0.37f - 2.0f);
        const Quantizer q = Quantizer::fit(spec(NumberFormat::Codebook, 4), values);
        CHECK(q.params().codebook.size() == 12);
        const QuantStats stats = measureQuantization(q, values);
        CHECK(stats.noiseToSignal == 0);
        CHECK(std::isinf(stats.sqnrDb));
    }
    SECTION("beats a uniform quantiser of the same width on Gaussian data, deterministically")
    {
        const auto values = gaussianSample(50000);
        const Quantizer q = Quantizer::fit(spec(NumberFormat::Codebook, 4), values);
        CHECK(q.params().codebook.size() == 16);
        CHECK(std::is_sorted(q.params().codebook.begin(), q.params().codebook.end()));
        const double codebook = measureQuantization(q, values).sqnrDb;
        const double uniform = measureQuantization(Quantizer::fit(spec(NumberFormat::Int, 4), values), values).sqnrDb;
        CHECK(codebook > uniform + 3);
        CHECK(codebook > 17.5);  // Lloyd-Max for 16 levels reaches 20.2 dB; 20 iterations come near
        CHECK(Quantizer::fit(spec(NumberFormat::Codebook, 4), values).params().codebook == q.params().codebook);
    }
    SECTION("without data a uniform grid over the range")
    {
        const Quantizer q = Quantizer::fit(spec(NumberFormat::Codebook, 2), ValueRange::gaussian(1));
        CHECK(q.params().codebook == std::vector<float>{-4.0f, -4.0f / 3, 4.0f / 3, 4.0f});
    }
}

TEST_CASE("measured statistics", "[compression]")
{
    ValueRange range;
    range.maxAbs = 1;
    const Quantizer q = Quantizer::fit(spec(NumberFormat::Int, 8), range);
    const std::vector<float> values{0.5f, 2.0f, -3.0f, 0.1f};
    const QuantStats stats = measureQuantization(q, values);
    CHECK(stats.measured);
    CHECK(stats.values == 4);
    CHECK(stats.clippedFraction == 0.5);
    CHECK(stats.maxAbsError == Approx(2.0));

    const auto gaussian = gaussianSample(1000);
    const QuantStats exact = measureQuantization(Quantizer::fit(spec(NumberFormat::Fp32), gaussian), gaussian);
    CHECK(exact.noiseToSignal == 0);
    CHECK(exact.sqnrDb == std::numeric_limits<double>::infinity());
    const std::vector<float> zeros(10, 0.0f);
    const QuantStats silent = measureQuantization(Quantizer::fit(spec(NumberFormat::Int, 4), zeros), zeros);
    CHECK(silent.sqnrDb == std::numeric_limits<double>::infinity());
    CHECK(silent.noiseToSignal == 0);
}

TEST_CASE("the analytical model agrees with measurement on Gaussian data", "[compression]")
{
    const auto values = gaussianSample(400000, 2024);
    const auto measuredNsr = [&](const QuantSpec& s, bool fitToData) {
        const Quantizer q = fitToData ? Quantizer::fit(s, values) : Quantizer::fit(s, ValueRange::gaussian(1));
        return measureQuantization(q, values).noiseToSignal;
    };
    const QuantStats binary = modelQuantization(spec(NumberFormat::Binary));
    CHECK_FALSE(binary.measured);
    CHECK(binary.noiseToSignal == Approx(1 - 2 / 3.14159265358979).epsilon(1e-9));
    CHECK(measuredNsr(spec(NumberFormat::Binary), true) == Approx(binary.noiseToSignal).epsilon(0.02));
    CHECK(measuredNsr(spec(NumberFormat::Ternary), true) ==
          Approx(modelQuantization(spec(NumberFormat::Ternary)).noiseToSignal).epsilon(0.02));

    const QuantStats int8 = modelQuantization(spec(NumberFormat::Int, 8));
    CHECK(int8.values == 0);
    CHECK(int8.model.find("analytical") == 0);
    CHECK(int8.sqnrDb == Approx(10 * std::log10(1 / measuredNsr(spec(NumberFormat::Int, 8), false))).margin(1.0));
    CHECK(int8.sqnrDb == Approx(40.5).margin(0.3));
    for (auto format : {NumberFormat::Fixed, NumberFormat::Codebook}) {
        const double model = modelQuantization(spec(format, 6)).sqnrDb;
        CHECK(model == Approx(10 * std::log10(1 / measuredNsr(spec(format, 6), false))).margin(1.0));
    }
    for (auto format : {NumberFormat::Fp8E4M3, NumberFormat::Fp16, NumberFormat::Bf16}) {
        INFO(numberFormatName(format));
        const double model = modelQuantization(spec(format)).sqnrDb;
        CHECK(model == Approx(10 * std::log10(1 / measuredNsr(spec(format), true))).margin(1.5));
    }
    CHECK(modelQuantization(spec(NumberFormat::Fp16)).sqnrDb == Approx(10 * std::log10(6.0 * std::ldexp(1.0, 22))));
    const double log2Model = modelQuantization(spec(NumberFormat::Log2, 8)).noiseToSignal;
    CHECK(measuredNsr(spec(NumberFormat::Log2, 8), true) == Approx(log2Model).epsilon(0.1));
}

TEST_CASE("quantize over a span gives the values of the scalar quantize, ties and clipping included", "[quantizer]")
{
    std::vector<float> values;
    for (int i = -3000; i <= 3000; ++i)
        values.push_back(static_cast<float>(i) * 0.0137f);
    for (float v : {0.0f, -0.0f, 1e30f, -1e30f, 3.5f, -2.5f, 0.5f, 1e-30f, std::numeric_limits<float>::quiet_NaN()})
        values.push_back(v);
    ValueRange range = ValueRange::fromData(std::span<const float>(values.data(), values.size() - 5));
    for (const char* format : {"int", "fixed", "fp8_e4m3", "log2", "ternary"})
        for (int bits : {2, 3, 4, 8, 12, 16, 24, 32})
            for (bool symmetric : {true, false}) {
                QuantSpec spec;
                spec.format = *numberFormatFromName(format);
                spec.bits = bits;
                spec.symmetric = symmetric;
                const Quantizer q = Quantizer::fit(spec, range);
                std::vector<float> out(values.size());
                q.quantize(values, out);
                std::size_t mismatches = 0;
                std::string first;
                for (std::size_t i = 0; i < values.size(); ++i) {
                    const float expected = static_cast<float>(q.quantize(static_cast<double>(values[i])));
                    const bool same = std::isnan(expected) ? std::isnan(out[i]) : out[i] == expected;  // -0 == +0
                    if (!same && mismatches++ == 0)
                        first = "x = " + std::to_string(values[i]) + ": " + std::to_string(out[i]) + " against " + std::to_string(expected);
                }
                INFO(format << " " << bits << " bits, symmetric " << symmetric << "; first: " << first);
                CHECK(mismatches == 0);
            }
}
