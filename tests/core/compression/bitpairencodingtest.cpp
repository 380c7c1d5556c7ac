// Bit-pair encoding (FPAP; Z. Wang, Nanjing University): essential add terms of single values, of
// quantised vectors, and their expected values for uniform and Gaussian codes.
#include "core/compression/bitpairencoding.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

using namespace cdx;

TEST_CASE("Bit-pair encoding counts the nonzero radix-4 digits of small values", "[bitpair]")
{
    CHECK(bitPairTerms(0, 8) == 0);
    CHECK(bitPairTerms(1, 8) == 1);   // 001 -> 1
    CHECK(bitPairTerms(2, 8) == 2);   // 010: digit 0 is -2, digit 1 is 1 (4 - 2)
    CHECK(bitPairTerms(3, 8) == 2);   // 4 - 1
    CHECK(bitPairTerms(4, 8) == 1);   // 4
    CHECK(bitPairTerms(6, 8) == 2);   // 8 - 2
    CHECK(bitPairTerms(7, 8) == 2);   // 8 - 1
    CHECK(bitPairTerms(-1, 8) == 1);  // 111...1: -1
    CHECK(bitPairTerms(-2, 8) == 1);  // -2
    CHECK(bitPairTerms(-128, 8) == 1);  // -2 x 4^3
    CHECK(bitPairTerms(0x55, 8) == 4);  // 01010101: every digit 1
    CHECK(bitPairTerms(127, 8) == 2);   // 128 - 1: digits -1, 0, 0, 2
}

TEST_CASE("Z. Wang's bit-pair table maps each bit triple to its digit", "[bitpair]")
{
    // BPEB_i = (W_{2i+1}, W_{2i}, W_{2i-1}) -> V_i: 000 0, 001 1, 010 1, 011 2, 100 -2, 101 -1, 110 -1, 111 0.
    // Place the triple in digit 1 of a 4-bit value (bits 3, 2, 1) with bit 0 zero: digit 0 is then
    // (bit1, 0, 0) = -2 bit1.
    const int expectedDigit1Nonzero[8] = {0, 1, 1, 1, 1, 1, 1, 0};
    for (int triple = 0; triple < 8; ++triple) {
        const std::int64_t bits = static_cast<std::int64_t>(triple) << 1;  // bits 3..1
        const std::int64_t value = (bits & 0x8) ? bits - 16 : bits;        // 4-bit two's complement
        const int digit0 = (triple & 1) ? 1 : 0;
        CHECK(bitPairTerms(value, 4) == expectedDigit1Nonzero[triple] + digit0);
    }
}

TEST_CASE("Mean essential terms over a vector and over the uniform codes", "[bitpair]")
{
    const std::vector<std::int64_t> codes{0, 1, 3, 7, -1};
    const BitPairStats s = bitPairStats(codes, 8);
    CHECK(s.mean == Approx((0 + 1 + 2 + 2 + 1) / 5.0));
    CHECK(s.zeroShare == Approx(0.2));
    // 2 bits: -2, -1, 0, 1 -> 1, 1, 0, 1 terms.
    CHECK(uniformBitPairStats(2).mean == Approx(0.75));
    // Each digit of uniform codes is zero for 2 of its 8 triples: n/2 x 3/4 terms.
    CHECK(uniformBitPairStats(8).mean == Approx(4 * 0.75));
    CHECK(uniformBitPairStats(16).mean == Approx(8 * 0.75));
}

TEST_CASE("Gaussian essential terms grow with precision and fall with pruning", "[bitpair]")
{
    const auto step = [](int bits) { return 4.0 / ((1 << (bits - 1)) - 1); };
    const BitPairStats g8 = gaussianBitPairStats(8, step(8));
    const BitPairStats g16 = gaussianBitPairStats(16, step(16));
    CHECK(g8.mean > 1.5);
    CHECK(g8.mean < 4);
    CHECK(g16.mean > g8.mean + 2);
    CHECK(g16.mean < 8 * 0.75 + 0.5);
    const BitPairStats pruned = gaussianBitPairStats(16, step(16), 0.44);
    CHECK(pruned.zeroShare == Approx(0.56).margin(0.001));
    // The kept values are the large ones: more terms each than the average value.
    CHECK(pruned.mean / 0.44 > g16.mean);
    // Quantised real values: the codes of 0.5 steps round to their integers.
    QuantParams q;
    q.format = NumberFormat::Int;
    q.bits = 8;
    q.scale = 0.5;
    const std::vector<float> values{0.0f, 0.5f, 1.5f, 3.5f, -0.5f};
    CHECK(bitPairStatsOf(values, q).mean == Approx((0 + 1 + 2 + 2 + 1) / 5.0));
}
