// Masks of every pruning kind checked against brute-force expectations on seeded Gaussian matrices.
#include "core/compression/pruner.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <random>
#include <string>
#include <vector>

using namespace cdx;

namespace {

WeightMatrix gaussianMatrix(Dim rows, Dim cols, Dim taps = 1, std::uint32_t seed = 7)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> values(static_cast<std::size_t>(rows * cols));
    for (auto& v : values)
        v = normal(rng);
    return WeightMatrix{"weight", rows, cols, taps, std::move(values)};
}

/// A pruning of `kind` with the fields `set` gives it.
template <class Set>
PruningSpec spec(PruningKind kind, Set set)
{
    PruningSpec s;
    s.kind = kind;
    set(s);
    return s;
}

float w(const WeightMatrix& m, Dim r, Dim c)
{
    return m.values[static_cast<std::size_t>(r * m.cols + c)];
}

bool kept(const WeightMatrix& m, const PruningMask& mask, Dim r, Dim c)
{
    return mask.keep[static_cast<std::size_t>(r * m.cols + c)] != 0;
}

double energyShareRemoved(const WeightMatrix& m, const std::vector<std::uint8_t>& keep)
{
    double total = 0, removed = 0;
    for (std::size_t i = 0; i < m.values.size(); ++i) {
        const double e = static_cast<double>(m.values[i]) * m.values[i];
        total += e;
        removed += keep[i] ? 0.0 : e;
    }
    return removed / total;
}

/// Whether every kept score is at least every pruned one.
struct Separation {
    double keptMin = INFINITY, prunedMax = -INFINITY;
    void add(bool isKept, double score)
    {
        if (isKept)
            keptMin = std::min(keptMin, score);
        else
            prunedMax = std::max(prunedMax, score);
    }
    bool holds() const { return keptMin >= prunedMax; }
};

/// The magnitudes among the cells `in` selects are separated by the mask.
template <class In>
bool largestKept(const WeightMatrix& m, const PruningMask& mask, In in)
{
    Separation s;
    for (Dim r = 0; r < m.rows; ++r)
        for (Dim c = 0; c < m.cols; ++c)
            if (in(r, c))
                s.add(kept(m, mask, r, c), std::fabs(w(m, r, c)));
    return s.holds();
}

bool isPermutation(std::vector<Dim> order, Dim size)
{
    std::sort(order.begin(), order.end());
    std::vector<Dim> identity(static_cast<std::size_t>(size));
    std::iota(identity.begin(), identity.end(), Dim{0});
    return order == identity;
}

/// A block-diagonal matrix of `blocks` blocks (input channels of `taps` columns), rows and
/// input channels shuffled, plus small noise.
WeightMatrix hiddenBlockDiagonal(Dim rows, Dim units, Dim taps, Dim blocks, std::uint32_t seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<Dim> rowPerm(static_cast<std::size_t>(rows)), unitPerm(static_cast<std::size_t>(units));
    std::iota(rowPerm.begin(), rowPerm.end(), Dim{0});
    std::iota(unitPerm.begin(), unitPerm.end(), Dim{0});
    std::shuffle(rowPerm.begin(), rowPerm.end(), rng);
    std::shuffle(unitPerm.begin(), unitPerm.end(), rng);
    WeightMatrix m{"weight", rows, units * taps, taps, std::vector<float>(static_cast<std::size_t>(rows * units * taps))};
    for (Dim r = 0; r < rows; ++r)
        for (Dim u = 0; u < units; ++u)
            for (Dim t = 0; t < taps; ++t) {
                const bool inBlock = rowPerm[static_cast<std::size_t>(r)] / (rows / blocks) == unitPerm[static_cast<std::size_t>(u)] / (units / blocks);
                m.values[static_cast<std::size_t>(r * m.cols + u * taps + t)] = (inBlock ? 1.0f : 0.02f) * normal(rng);
            }
    return m;
}

}  // namespace

TEST_CASE("unstructured pruning keeps exactly the rounded share of the largest magnitudes", "[compression]")
{
    const WeightMatrix m = gaussianMatrix(37, 53);
    for (double density : {0.01, 0.1, 0.33, 0.5, 0.9, 1.0}) {
        INFO("density " << density);
        const PruningSpec s = spec(PruningKind::Unstructured, [&](PruningSpec& p) { p.density = density; });
        const PruningMask mask = pruneMatrix(m, s);
        REQUIRE(mask.keep.size() == 37u * 53u);
        CHECK(mask.kept == std::llround(density * 37 * 53));
        CHECK(std::count(mask.keep.begin(), mask.keep.end(), 1) == mask.kept);
        CHECK(largestKept(m, mask, [](Dim, Dim) { return true; }));
        CHECK(mask.prunedEnergy == Approx(energyShareRemoved(m, mask.keep)).margin(1e-12));
    }
    // Equal magnitudes: ties go to the earlier position.
    WeightMatrix flat{"weight", 4, 5, 1, std::vector<float>(20, -0.5f)};
    const PruningSpec s = spec(PruningKind::Unstructured, [&](PruningSpec& p) { p.density = 0.25; });
    const PruningMask mask = pruneMatrix(flat, s);
    for (std::size_t i = 0; i < 20; ++i)
        CHECK(mask.keep[i] == (i < 5 ? 1 : 0));
    CHECK(mask.prunedEnergy == Approx(0.75));
}

TEST_CASE("load-balanced pruning gives every PE's interleaved rows the same count, its largest", "[compression]")
{
    for (Dim rows : {64, 30}) {
        for (Dim pes : {2, 4, 8}) {
            INFO(rows << " rows over " << pes << " PEs");
            const WeightMatrix m = gaussianMatrix(rows, 33, 1, static_cast<std::uint32_t>(rows * pes));
            const PruningSpec s = spec(PruningKind::LoadBalanced, [&](PruningSpec& p) { p.density = 0.2; p.pes = pes; });
            const PruningMask mask = pruneMatrix(m, s);
            std::vector<Dim> perPe(static_cast<std::size_t>(pes), 0);
            for (Dim r = 0; r < rows; ++r)
                for (Dim c = 0; c < m.cols; ++c)
                    perPe[static_cast<std::size_t>(r % pes)] += kept(m, mask, r, c);
            CHECK(std::all_of(perPe.begin(), perPe.end(), [&](Dim n) { return n == perPe[0]; }));
            CHECK(perPe[0] == std::llround(0.2 * static_cast<double>(rows * m.cols) / static_cast<double>(pes)));
            CHECK(nonzerosPerPe(m, mask.keep, pes) == perPe);
            if (rows % pes == 0)
                CHECK(imbalanceOf(nonzerosPerPe(m, mask.keep, pes)) == 1.0);
            for (Dim pe = 0; pe < pes; ++pe)
                CHECK(largestKept(m, mask, [&](Dim r, Dim) { return r % pes == pe; }));
        }
    }
    CHECK(imbalanceOf({4, 2, 0, 2}) == 2.0);
    CHECK(imbalanceOf({}) == 1.0);
    CHECK(imbalanceOf({0, 0}) == 1.0);
}

TEST_CASE("topk and n:m keep k of every group of a row, min(k, length) of a short last group", "[compression]")
{
    const WeightMatrix m = gaussianMatrix(12, 37);
    struct Case {
        PruningSpec spec;
        Dim group, k;
    };
    auto topk = [](Dim g, Dim k) { return Case{spec(PruningKind::TopK, [&](PruningSpec& p) { p.group = g; p.k = k; }), g, k}; };
    auto nm = [](Dim n, Dim of) { return Case{spec(PruningKind::NM, [&](PruningSpec& p) { p.n = n; p.m = of; }), of, n}; };
    for (const Case& c : {topk(8, 3), topk(8, 6), topk(16, 2), nm(2, 4), nm(2, 5)}) {
        INFO(c.spec.describe());
        const PruningMask mask = pruneMatrix(m, c.spec);
        Dim total = 0;
        for (Dim r = 0; r < m.rows; ++r)
            for (Dim start = 0; start < m.cols; start += c.group) {
                const Dim end = std::min(m.cols, start + c.group);
                Dim inGroup = 0;
                for (Dim col = start; col < end; ++col)
                    inGroup += kept(m, mask, r, col);
                CHECK(inGroup == std::min(c.k, end - start));
                total += inGroup;
                CHECK(largestKept(m, mask, [&](Dim rr, Dim cc) { return rr == r && cc >= start && cc < end; }));
            }
        CHECK(mask.kept == total);
    }
}

TEST_CASE("block pruning keeps the rounded share of blocks, constant inside each block", "[compression]")
{
    const WeightMatrix m = gaussianMatrix(30, 22);  // 8 x 6 blocks of 4, the last row and column of blocks partial
    for (double density : {0.3, 0.5}) {
        const PruningSpec s = spec(PruningKind::Block, [&](PruningSpec& p) { p.size = 4; p.density = density; });
        const PruningMask mask = pruneMatrix(m, s);
        Dim keptBlocks = 0, keptCells = 0;
        Separation byNorm;
        for (Dim br = 0; br < 8; ++br)
            for (Dim bc = 0; bc < 6; ++bc) {
                const bool first = kept(m, mask, br * 4, bc * 4);
                double energy = 0;
                for (Dim r = br * 4; r < std::min<Dim>(30, br * 4 + 4); ++r)
                    for (Dim c = bc * 4; c < std::min<Dim>(22, bc * 4 + 4); ++c) {
                        CHECK(kept(m, mask, r, c) == first);
                        energy += static_cast<double>(w(m, r, c)) * w(m, r, c);
                        keptCells += first;
                    }
                keptBlocks += first;
                byNorm.add(first, energy);
            }
        CHECK(keptBlocks == std::llround(density * 48));
        CHECK(mask.kept == keptCells);
        CHECK(byNorm.holds());
    }
}

TEST_CASE("channel pruning keeps whole rows of the largest L1 norms, at least one", "[compression]")
{
    const WeightMatrix m = gaussianMatrix(25, 40);
    for (double keep : {0.3, 0.5, 0.01, 1.0}) {
        INFO("keep " << keep);
        const PruningSpec s = spec(PruningKind::Channel, [&](PruningSpec& p) { p.keep = keep; });
        const PruningMask mask = pruneMatrix(m, s);
        Dim rowsKept = 0;
        Separation byNorm;
        for (Dim r = 0; r < m.rows; ++r) {
            const bool first = kept(m, mask, r, 0);
            double l1 = 0;
            for (Dim c = 0; c < m.cols; ++c) {
                CHECK(kept(m, mask, r, c) == first);
                l1 += std::fabs(w(m, r, c));
            }
            rowsKept += first;
            byNorm.add(first, l1);
        }
        CHECK(rowsKept == std::max<Dim>(1, std::llround(keep * 25)));
        CHECK(mask.kept == rowsKept * m.cols);
        CHECK(byNorm.holds());
    }
}

TEST_CASE("group pruning is block diagonal in consecutive rows and input channels", "[compression]")
{
    // A 3x3 convolution of 6 input channels (9 columns each) to 12 outputs, and a fully connected layer.
    for (Dim taps : {9, 1}) {
        const WeightMatrix m = gaussianMatrix(12, 6 * taps, taps);
        const PruningSpec s = spec(PruningKind::Group, [&](PruningSpec& p) { p.groups = 3; });
        const PruningMask mask = pruneMatrix(m, s);
        for (Dim r = 0; r < m.rows; ++r)
            for (Dim c = 0; c < m.cols; ++c)
                CHECK(kept(m, mask, r, c) == (r / 4 == (c / taps) / 2));
        CHECK(mask.kept == m.size() / 3);
    }
}

TEST_CASE("block-diagonal pruning: permutations that make the kept weights exactly B equal diagonal blocks", "[compression]")
{
    for (Dim taps : {1, 3}) {
        INFO("kernel taps " << taps);
        const WeightMatrix m = gaussianMatrix(16, 8 * taps, taps, 99);
        const PruningSpec s = spec(PruningKind::BlockDiagonal, [&](PruningSpec& p) { p.blocks = 4; });
        const PruningMask mask = pruneMatrix(m, s);
        CHECK(isPermutation(mask.rowOrder, 16));
        CHECK(isPermutation(mask.colOrder, m.cols));
        REQUIRE(mask.colOrder.size() == static_cast<std::size_t>(m.cols));
        for (Dim j = 0; j < m.cols; ++j)  // an input channel's taps stay together, in order
            CHECK(mask.colOrder[static_cast<std::size_t>(j)] % taps == j % taps);
        for (Dim i = 0; i < 16; ++i)
            for (Dim j = 0; j < m.cols; ++j)
                CHECK(kept(m, mask, mask.rowOrder[static_cast<std::size_t>(i)], mask.colOrder[static_cast<std::size_t>(j)]) ==
                      (i / 4 == j / (2 * taps)));
        CHECK(mask.kept == m.size() / 4);
    }
}

// On a block-diagonal matrix whose rows and input channels were shuffled the search must find the
// blocks again (a plain alternating assignment from a random start stopped in local optima that
// mixed blocks in 9 of 10 seeds and pruned 10-36% of the energy where ~0.2% is achievable).
TEST_CASE("block-diagonal pruning recovers a shuffled block-diagonal structure", "[compression]")
{
    for (Dim taps : {1, 3}) {
        int recovered = 0;
        std::string log;
        for (std::uint32_t seed = 1; seed <= 10; ++seed) {
            const WeightMatrix m = hiddenBlockDiagonal(64, 32, taps, 4, seed);
            const PruningSpec s = spec(PruningKind::BlockDiagonal, [&](PruningSpec& p) { p.blocks = 4; });
            const PruningMask mask = pruneMatrix(m, s);
            std::vector<std::uint8_t> plain(static_cast<std::size_t>(m.size()));
            for (Dim r = 0; r < m.rows; ++r)
                for (Dim c = 0; c < m.cols; ++c)
                    plain[static_cast<std::size_t>(r * m.cols + c)] = r / 16 == (c / taps) / 8;
            CHECK(mask.kept == m.size() / 4);
            CHECK(mask.prunedEnergy <= energyShareRemoved(m, plain));  // the unpermuted blocks prune ~75%
            log += "taps " + std::to_string(taps) + " seed " + std::to_string(seed) + ": pruned " + std::to_string(mask.prunedEnergy) + "\n";
            recovered += mask.prunedEnergy < 0.05;
        }
        INFO(log);
        CHECK(recovered == 10);
    }
}

TEST_CASE("expectedKept without values matches the masks' counts", "[compression]")
{
    const WeightMatrix m = gaussianMatrix(24, 10 * 3, 3);
    const std::vector<PruningSpec> specs{
        spec(PruningKind::TopK, [](PruningSpec& p) { p.group = 8; p.k = 3; }),
        spec(PruningKind::TopK, [](PruningSpec& p) { p.group = 16; p.k = 2; }),
        spec(PruningKind::TopK, [](PruningSpec& p) { p.group = 7; p.k = 7; }),
        spec(PruningKind::NM, [](PruningSpec& p) { p.n = 2; p.m = 4; }),
        spec(PruningKind::Group, [](PruningSpec& p) { p.groups = 2; }),
        spec(PruningKind::BlockDiagonal, [](PruningSpec& p) { p.blocks = 2; }),
        spec(PruningKind::Channel, [](PruningSpec& p) { p.keep = 0.3; }),
        spec(PruningKind::Channel, [](PruningSpec& p) { p.keep = 0.02; }),
        spec(PruningKind::Unstructured, [](PruningSpec& p) { p.density = 0.37; }),
        spec(PruningKind::LoadBalanced, [](PruningSpec& p) { p.density = 0.25; p.pes = 4; }),
    };
    for (const auto& s : specs) {
        INFO(s.describe());
        const WeightMatrix shapeOnly{m.name, m.rows, m.cols, m.kernelTaps, {}};
        CHECK(expectedKept(shapeOnly, s) == pruneMatrix(m, s).kept);
    }
}

TEST_CASE("expectedPrunedEnergy of magnitude pruning matches a large Gaussian sample", "[compression]")
{
    const WeightMatrix m = gaussianMatrix(1000, 1000, 1, 2024);
    for (double density : {0.05, 0.1, 0.3, 0.5, 0.8}) {
        INFO("density " << density);
        const PruningSpec s = spec(PruningKind::Unstructured, [&](PruningSpec& p) { p.density = density; });
        CHECK(expectedPrunedEnergy(s) == Approx(pruneMatrix(m, s).prunedEnergy).epsilon(0.02));
    }
    // Load balancing over interleaved rows is the same selection per PE.
    const PruningSpec balanced = spec(PruningKind::LoadBalanced, [&](PruningSpec& p) { p.density = 0.1; p.pes = 8; });
    CHECK(expectedPrunedEnergy(balanced) == Approx(pruneMatrix(m, balanced).prunedEnergy).epsilon(0.02));
    CHECK(expectedPrunedEnergy(spec(PruningKind::Unstructured, [](PruningSpec& p) { p.density = 1.0; })) == 0.0);
    // By hand at d = 0.5: t = 0.67449, phi(t) = 0.31777, kept 2 (t phi + d/2) = 0.92867.
    CHECK(expectedPrunedEnergy(spec(PruningKind::Unstructured, [](PruningSpec& p) { p.density = 0.5; })) == Approx(0.07133).margin(1e-4));
}

// topk and n:m choose the largest within each small group, not above one global threshold, so
// they remove more energy than one threshold would: order statistics of |N(0,1)| give 0.1324 for
// 2:4, 0.1926 for topk (8,3) and 0.5363 for topk (16,2). Block pruning by L2 norm keeps more than
// its share of blocks' energy when blocks are small (chi-squared block energies).
TEST_CASE("expectedPrunedEnergy of topk, n:m and block pruning matches a large Gaussian sample", "[compression]")
{
    const WeightMatrix m = gaussianMatrix(1000, 1000, 1, 2024);
    for (const PruningSpec& s : {spec(PruningKind::NM, [](PruningSpec& p) { p.n = 2; p.m = 4; }),
                                 spec(PruningKind::TopK, [](PruningSpec& p) { p.group = 8; p.k = 3; }),
                                 spec(PruningKind::TopK, [](PruningSpec& p) { p.group = 16; p.k = 2; }),
                                 spec(PruningKind::Block, [](PruningSpec& p) { p.size = 4; p.density = 0.25; }),
                                 spec(PruningKind::Block, [](PruningSpec& p) { p.size = 2; p.density = 0.5; }),
                                 spec(PruningKind::Block, [](PruningSpec& p) { p.size = 20; p.density = 0.1; })}) {
        INFO(s.describe());
        CHECK(expectedPrunedEnergy(s) == Approx(pruneMatrix(m, s).prunedEnergy).epsilon(0.02));
    }
    CHECK(expectedPrunedEnergy(spec(PruningKind::NM, [](PruningSpec& p) { p.n = 2; p.m = 4; })) == Approx(0.1324).margin(2e-4));
    CHECK(expectedPrunedEnergy(spec(PruningKind::TopK, [](PruningSpec& p) { p.group = 16; p.k = 2; })) == Approx(0.5363).margin(2e-4));
}

TEST_CASE("circulant projection: exact on circulant blocks, 1 - 1/b of Gaussian energy lost", "[compression]")
{
    const Dim b = 8;
    std::mt19937 rng(3);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> defining(static_cast<std::size_t>(3 * 2 * b));
    for (auto& v : defining)
        v = normal(rng);
    WeightMatrix c{"weight", 3 * b, 2 * b, 1, std::vector<float>(static_cast<std::size_t>(3 * b * 2 * b))};
    for (Dim r = 0; r < c.rows; ++r)
        for (Dim col = 0; col < c.cols; ++col)
            c.values[static_cast<std::size_t>(r * c.cols + col)] =
                defining[static_cast<std::size_t>(((r / b) * 2 + col / b) * b + ((r % b) - (col % b) + b) % b)];
    const CirculantProjection exact = projectCirculant(c, b);
    CHECK(exact.blockRows == 3);
    CHECK(exact.blockCols == 2);
    CHECK(exact.storedValues == c.rows * c.cols / b);
    CHECK(exact.relativeError < 1e-6);
    REQUIRE(exact.vectors.size() == defining.size());
    for (std::size_t i = 0; i < defining.size(); ++i)
        CHECK(exact.vectors[i] == Approx(defining[i]).margin(1e-6));

    // 20 x 13 pads to 3 x 2 blocks; cutting a circulant matrix leaves it exact.
    WeightMatrix cut{"weight", 20, 13, 1, {}};
    for (Dim r = 0; r < 20; ++r)
        for (Dim col = 0; col < 13; ++col)
            cut.values.push_back(c.values[static_cast<std::size_t>(r * c.cols + col)]);
    const CirculantProjection padded = projectCirculant(cut, b);
    CHECK(padded.storedValues == 3 * 2 * b);
    CHECK(padded.relativeError < 1e-6);

    const CirculantProjection random = projectCirculant(gaussianMatrix(512, 512, 1, 11), 16);
    CHECK(random.storedValues == 512 * 512 / 16);
    CHECK(random.relativeError * random.relativeError == Approx(1.0 - 1.0 / 16).epsilon(0.05));
}
