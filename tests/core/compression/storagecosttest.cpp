// Storage costs of every format, counted by hand or by a brute-force encoder written here.
#include "core/compression/pruner.h"
#include "core/compression/storagecost.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

using namespace cdx;

namespace {

using Mask = std::vector<std::uint8_t>;

PruningSpec pruning(PruningKind kind)
{
    PruningSpec p;
    p.kind = kind;
    return p;
}

StorageSpec storage(StorageFormat format, int indexBits = 4)
{
    StorageSpec s;
    s.format = format;
    s.indexBits = indexBits;
    return s;
}

WeightMatrix shape(Dim rows, Dim cols, Dim taps = 1)
{
    return WeightMatrix{"weight", rows, cols, taps, {}};
}

Mask randomMask(Dim rows, Dim cols, double density, std::mt19937& rng)
{
    std::bernoulli_distribution keep(density);
    Mask mask(static_cast<std::size_t>(rows * cols));
    for (auto& k : mask)
        k = keep(rng) ? 1 : 0;
    return mask;
}

/// Bits that tell `count` values apart, at least 1.
Dim bitsFor(Dim count)
{
    Dim bits = 1;
    while ((Dim{1} << bits) < count)
        ++bits;
    return bits;
}

struct CscCount {
    Dim values = 0, paddingZeros = 0, indexBits = 0, pointerBits = 0;
};

/// A csc encoder as EIE describes it: each PE walks its rows (r = pe, pe + pes, ...) down each
/// column; an entry's index holds the zeros before it, at most 2^i - 1, so a run that reaches
/// 2^i zeros is cut by a stored padding zero. Pads only matter if a nonzero follows them.
CscCount encodeCsc(Dim rows, Dim cols, const Mask& keep, int indexBits, Dim pes)
{
    CscCount out;
    const Dim span = Dim{1} << indexBits;
    for (Dim pe = 0; pe < pes; ++pe) {
        Dim entries = 0;
        for (Dim c = 0; c < cols; ++c) {
            Dim run = 0, pending = 0;
            for (Dim r = pe; r < rows; r += pes) {
                if (keep[static_cast<std::size_t>(r * cols + c)]) {
                    entries += pending + 1;
                    out.paddingZeros += pending;
                    run = pending = 0;
                } else if (++run == span) {
                    ++pending;
                    run = 0;
                }
            }
        }
        out.values += entries;
        out.pointerBits += (cols + 1) * bitsFor(entries + 1);  // pointers 0 .. entries
    }
    out.indexBits = out.values * indexBits;
    return out;
}

}  // namespace

TEST_CASE("csc pads a run of 2^i zeros before a nonzero, never a trailing run", "[compression]")
{
    // 100 x 3, 4-bit indices. Column 0: a nonzero after 40 zeros (2 pads), then 59 trailing
    // zeros (none). Column 1: nonzeros at rows 15 (15 zeros: none) and 32 (16 zeros: one).
    // Column 2: empty.
    Mask keep(300, 0);
    keep[40 * 3 + 0] = 1;
    keep[15 * 3 + 1] = 1;
    keep[32 * 3 + 1] = 1;
    const WeightMatrix m = shape(100, 3);
    const StorageCost one = storageCost(m, keep, pruning(PruningKind::Unstructured), storage(StorageFormat::Csc), 8, 1);
    CHECK(one.format == StorageFormat::Csc);
    CHECK(one.exact);
    CHECK(one.paddingZeros == 3);
    CHECK(one.values == 6);
    CHECK(one.indexWidth == 4);
    CHECK(one.indexBits == 6 * 4);
    CHECK(one.valueBits == 6 * 8);
    CHECK(one.pointerBits == 4 * 3);  // 4 pointers of 0..6
    CHECK(one.totalBits() == 48 + 24 + 12);

    // Two PEs: PE 0 holds the even rows, so row 40 is its 20th (one pad) and row 32 its 16th
    // (one pad); row 15 is PE 1's 7th (none).
    const StorageCost two = storageCost(m, keep, pruning(PruningKind::Unstructured), storage(StorageFormat::Csc), 8, 2);
    CHECK(two.paddingZeros == 2);
    CHECK(two.values == 5);
    CHECK(two.pointerBits == 4 * 3 + 4 * 1);  // PE 0: pointers 0..4, PE 1: 0..1

    // With 2-bit indices (runs of 4): 40 zeros -> 10 pads; 15 -> 3; 16 -> 4.
    const StorageCost narrow = storageCost(m, keep, pruning(PruningKind::Unstructured), storage(StorageFormat::Csc, 2), 8, 1);
    CHECK(narrow.paddingZeros == 10 + 3 + 4);
}

TEST_CASE("csc storage matches a brute-force encoder on random masks", "[compression]")
{
    std::mt19937 rng(42);
    for (Dim rows : {64, 61})
        for (double density : {0.03, 0.1, 0.4}) {
            const Mask keep = randomMask(rows, 23, density, rng);
            for (Dim pes : {1, 4})
                for (int bits = 2; bits <= 5; ++bits) {
                    INFO(rows << " rows, density " << density << ", " << pes << " PEs, " << bits << "-bit index");
                    const CscCount want = encodeCsc(rows, 23, keep, bits, pes);
                    const StorageCost got =
                        storageCost(shape(rows, 23), keep, pruning(PruningKind::Unstructured), storage(StorageFormat::Csc, bits), 12, pes);
                    CHECK(got.values == want.values);
                    CHECK(got.paddingZeros == want.paddingZeros);
                    CHECK(got.indexBits == want.indexBits);
                    CHECK(got.pointerBits == want.pointerBits);
                    CHECK(got.valueBits == want.values * 12);
                    CHECK(got.totalBits() == got.valueBits + got.indexBits + got.pointerBits);
                }
        }
}

TEST_CASE("expected csc padding agrees with the mean over random masks", "[compression]")
{
    std::mt19937 rng(7);
    struct Case {
        Dim length, cols, samples, pes;
    };
    // Columns of 128 and 4096 on one PE, and 4 PEs sharing 522 rows unevenly (131 and 130 each).
    for (const Case& c : {Case{128, 64, 200, 1}, Case{4096, 16, 40, 1}, Case{522, 32, 100, 4}}) {
        INFO("columns of " << c.length << " over " << c.pes << " PEs");
        double padding = 0;
        for (Dim s = 0; s < c.samples; ++s)
            padding += static_cast<double>(encodeCsc(c.length, c.cols, randomMask(c.length, c.cols, 0.1, rng), 4, c.pes).paddingZeros);
        padding /= static_cast<double>(c.samples);
        const WeightMatrix m = shape(c.length, c.cols);
        const Dim kept = std::llround(0.1 * static_cast<double>(m.size()));
        const StorageCost expected = expectedStorageCost(m, kept, pruning(PruningKind::Unstructured), storage(StorageFormat::Csc), 8, c.pes);
        CHECK_FALSE(expected.exact);
        CHECK(static_cast<double>(expected.paddingZeros) == Approx(padding).epsilon(0.03));
        CHECK(expected.values == kept + expected.paddingZeros);
        CHECK(expected.indexBits == expected.values * 4);
    }
}

TEST_CASE("dense, bitmap, group-index and circulant costs by hand", "[compression]")
{
    const WeightMatrix m = shape(10, 12);
    std::mt19937 rng(3);
    const Mask keep = randomMask(10, 12, 0.3, rng);
    const Dim kept = std::count(keep.begin(), keep.end(), 1);

    const StorageCost dense = storageCost(m, keep, pruning(PruningKind::Unstructured), storage(StorageFormat::Dense), 8, 1);
    CHECK(dense.values == 120);  // zeros included
    CHECK(dense.valueBits == 960);
    CHECK(dense.metadataBits() == 0);
    CHECK(dense.totalBits() == 960);

    const StorageCost bitmap = storageCost(m, keep, pruning(PruningKind::Unstructured), storage(StorageFormat::Bitmap), 8, 1);
    CHECK(bitmap.values == kept);
    CHECK(bitmap.indexBits == 120);
    CHECK(bitmap.pointerBits == 0);
    CHECK(bitmap.totalBits() == 120 + kept * 8);

    struct GroupCase {
        PruningSpec spec;
        Dim positionBits;
    };
    PruningSpec topk16 = pruning(PruningKind::TopK), topk6 = topk16, nm = pruning(PruningKind::NM);
    topk16.group = 16, topk16.k = 2;
    topk6.group = 6, topk6.k = 2;
    nm.n = 2, nm.m = 4;
    for (const GroupCase& g : {GroupCase{topk16, 4}, GroupCase{topk6, 3}, GroupCase{nm, 2}}) {
        INFO(g.spec.describe());
        const StorageCost s = storageCost(m, keep, g.spec, storage(StorageFormat::Auto), 8, 1);
        CHECK(s.format == StorageFormat::GroupIndex);
        CHECK(s.values == kept);
        CHECK(s.indexWidth == g.positionBits);
        CHECK(s.totalBits() == kept * (8 + g.positionBits));
    }

    const StorageCost circulant = circulantStorageCost(shape(64, 32), 64 * 32 / 16, 6);
    CHECK(circulant.format == StorageFormat::Circulant);
    CHECK(circulant.values == 128);
    CHECK(circulant.totalBits() == 128 * 6);
    CHECK(circulant.metadataBits() == 0);
}

TEST_CASE("dense storage of structured pruning keeps only the kept part, plus permutations", "[compression]")
{
    // Block-diagonal 4 blocks of a 3-tap convolution 16 x 8 channels: 96 of 384 weights, and
    // 16 row positions of 4 bits plus 8 channel positions of 3 bits.
    const WeightMatrix conv = shape(16, 24, 3);
    PruningSpec diagonal = pruning(PruningKind::BlockDiagonal);
    diagonal.blocks = 4;
    const StorageCost s = expectedStorageCost(conv, 96, diagonal, storage(StorageFormat::Auto), 8, 1);
    CHECK(s.format == StorageFormat::Dense);
    CHECK(s.values == 96);
    CHECK(s.pointerBits == 16 * 4 + 8 * 3);
    CHECK(s.totalBits() == 96 * 8 + 88);

    PruningSpec channel = pruning(PruningKind::Channel);
    channel.keep = 0.5;
    const StorageCost c = expectedStorageCost(conv, 8 * 24, channel, storage(StorageFormat::Auto), 4, 1);
    CHECK(c.values == 8 * 24);
    CHECK(c.totalBits() == 8 * 24 * 4);
}

TEST_CASE("block storage: kept blocks, a block-column index each, block-row pointers", "[compression]")
{
    // 8 x 12 in 4 x 4 blocks (2 x 3): blocks (0, 0) and (1, 2) kept, one cell of (0, 1) kept.
    const WeightMatrix m = shape(8, 12);
    Mask keep(96, 0);
    for (Dim r = 0; r < 4; ++r)
        for (Dim c = 0; c < 4; ++c) {
            keep[static_cast<std::size_t>(r * 12 + c)] = 1;
            keep[static_cast<std::size_t>((r + 4) * 12 + c + 8)] = 1;
        }
    keep[2 * 12 + 5] = 1;
    PruningSpec block = pruning(PruningKind::Block);
    block.size = 4;
    block.density = 0.5;
    const StorageCost s = storageCost(m, keep, block, storage(StorageFormat::Auto), 8, 1);
    CHECK(s.format == StorageFormat::Block);
    CHECK(s.values == 3 * 16);  // a block with one nonzero is stored whole
    CHECK(s.indexWidth == 2);   // 3 block columns
    CHECK(s.indexBits == 3 * 2);
    CHECK(s.pointerBits == 3 * 2);  // 3 block-row pointers of 0..3
    CHECK(s.totalBits() == 48 * 8 + 6 + 6);
}

TEST_CASE("ESE-like layer: 10% unstructured, 12-bit values, 4-bit index: 2 bytes per nonzero nominally", "[compression]")
{
    std::mt19937 rng(5);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    WeightMatrix m{"gates", 1024, 153, 1, std::vector<float>(1024 * 153)};
    for (auto& v : m.values)
        v = normal(rng);
    PruningSpec p = pruning(PruningKind::Unstructured);
    p.density = 0.1;
    const PruningMask mask = pruneMatrix(m, p);
    const StorageCost s = storageCost(m, mask.keep, p, storage(StorageFormat::Auto), 12, 1);
    CHECK(s.format == StorageFormat::Csc);
    CHECK(s.values - s.paddingZeros == mask.kept);
    CHECK(mask.kept * (12 + s.indexWidth) == mask.kept * 2 * 8);
    // The real cost adds padding zeros and column pointers on top.
    CHECK(s.totalBits() > mask.kept * 16);
    const CscCount want = encodeCsc(m.rows, m.cols, mask.keep, 4, 1);
    CHECK(s.totalBits() == want.values * 16 + want.pointerBits);
}
