// Pareto tools: dominance, non-dominated sorting, the Pareto front, crowding distance, exact
// hypervolume and the knee, against hand-made sets and brute-force oracles.
#include "core/explore/pareto.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <random>
#include <vector>

using namespace cdx;

namespace {

using Fronts = std::vector<std::vector<std::size_t>>;

constexpr double kInf = std::numeric_limits<double>::infinity();

/// Dominance written out independently of the code under test.
bool naiveDominates(const ObjectiveVector& a, const ObjectiveVector& b)
{
    if (a.size() != b.size())
        return false;
    std::size_t noWorse = 0, better = 0;
    for (std::size_t k = 0; k < a.size(); ++k) {
        noWorse += a[k] <= b[k];
        better += a[k] < b[k];
    }
    return noWorse == a.size() && better > 0;
}

/// The points no other point dominates, by definition.
std::vector<std::size_t> naiveFirstFront(const std::vector<ObjectiveVector>& points)
{
    std::vector<std::size_t> front;
    for (std::size_t i = 0; i < points.size(); ++i)
        if (std::none_of(points.begin(), points.end(), [&](const ObjectiveVector& q) { return naiveDominates(q, points[i]); }))
            front.push_back(i);
    return front;
}

/// Fronts by definition: peel off the points no remaining point dominates, again and again.
Fronts naiveFronts(const std::vector<ObjectiveVector>& points)
{
    Fronts fronts;
    std::vector<bool> done(points.size(), false);
    std::size_t left = points.size();
    while (left > 0) {
        std::vector<std::size_t> front;
        for (std::size_t i = 0; i < points.size(); ++i) {
            if (done[i])
                continue;
            bool dominated = false;
            for (std::size_t j = 0; j < points.size() && !dominated; ++j)
                dominated = !done[j] && naiveDominates(points[j], points[i]);
            if (!dominated)
                front.push_back(i);
        }
        for (const std::size_t i : front)
            done[i] = true;
        left -= front.size();
        fronts.push_back(front);
    }
    return fronts;
}

/// Random points with integer coordinates in [0, values), so ties and repeats are common.
std::vector<ObjectiveVector> randomIntegerPoints(std::mt19937& rng, std::size_t count, std::size_t objectives, int values)
{
    std::uniform_int_distribution<int> coordinate(0, values - 1);
    std::vector<ObjectiveVector> points(count, ObjectiveVector(objectives));
    for (ObjectiveVector& p : points)
        for (double& x : p)
            x = coordinate(rng);
    return points;
}

/// The number of unit cells [c, c + 1] (c integer, 0 <= c < reference) some point's box [p, reference]
/// covers: the exact hypervolume when every coordinate is a non-negative integer.
double countCoveredCells(const std::vector<ObjectiveVector>& points, const std::vector<int>& reference)
{
    const std::size_t m = reference.size();
    std::vector<int> cell(m, 0);
    double covered = 0;
    while (true) {
        const bool inside = std::any_of(points.begin(), points.end(), [&](const ObjectiveVector& p) {
            for (std::size_t k = 0; k < m; ++k)
                if (p[k] > cell[k])
                    return false;
            return true;
        });
        covered += inside ? 1 : 0;
        std::size_t k = 0;
        while (k < m && ++cell[k] == reference[k])
            cell[k++] = 0;
        if (k == m)
            return covered;
    }
}

/// A copy of `points` with a few points repeated and the order shuffled.
std::vector<ObjectiveVector> shuffledWithRepeats(std::mt19937& rng, std::vector<ObjectiveVector> points)
{
    const std::size_t n = points.size();
    for (std::size_t i = 0; i < n; i += 3)
        points.push_back(points[i]);
    std::shuffle(points.begin(), points.end(), rng);
    return points;
}

}  // namespace

TEST_CASE("Dominance needs no worse everywhere, better somewhere and equal lengths", "[explore][pareto]")
{
    CHECK(dominates({1, 2}, {1, 3}));   // tie in the first, better in the second
    CHECK(dominates({0, 0}, {1, 1}));
    CHECK_FALSE(dominates({1, 3}, {1, 2}));
    CHECK_FALSE(dominates({1, 2}, {1, 2}));  // equal vectors: neither dominates
    CHECK_FALSE(dominates({1, 2}, {2, 1}));  // a trade-off either way
    CHECK_FALSE(dominates({2, 1}, {1, 2}));
    CHECK_FALSE(dominates({1, 2}, {1, 2, 3}));  // different lengths never dominate
    CHECK_FALSE(dominates({0, 0, 0}, {1, 2}));
    CHECK_FALSE(dominates({}, {}));
    CHECK(dominates({-1, 5, 5, 5}, {0, 5, 5, 5}));
}

TEST_CASE("Exact duplicates share a front and ties count as no worse", "[explore][pareto]")
{
    //                                          0       1       2       3       4       5
    const std::vector<ObjectiveVector> points{{1, 1}, {1, 1}, {1, 2}, {2, 1}, {2, 2}, {1, 2}};
    // (1, 1) twice is best; (1, 2) twice and (2, 1) tie it once and lose once; (2, 2) loses to all.
    CHECK(nonDominatedSort(points) == Fronts{{0, 1}, {2, 3, 5}, {4}});
    CHECK(paretoFront(points) == std::vector<std::size_t>{0, 1});
    CHECK(paretoFront({{3, 3}, {3, 3}, {3, 3}}) == std::vector<std::size_t>{0, 1, 2});
    CHECK(nonDominatedSort({{3, 3}, {3, 3}, {3, 3}}) == Fronts{{0, 1, 2}});
    CHECK(nonDominatedSort({}).empty());
    CHECK(paretoFront({}).empty());
}

TEST_CASE("A 2-D set with three fronts", "[explore][pareto]")
{
    //                                          0       1       2       3       4       5       6       7
    const std::vector<ObjectiveVector> points{{4, 6}, {2, 3}, {5, 2}, {1, 5}, {6, 3}, {3, 4}, {4, 1}, {2, 6}};
    // Front 0: (1,5) (2,3) (4,1). Front 1: (2,6) under (1,5), (3,4) under (2,3), (5,2) under (4,1).
    // Front 2: (4,6) under (3,4), (6,3) under (5,2).
    CHECK(nonDominatedSort(points) == Fronts{{1, 3, 6}, {2, 5, 7}, {0, 4}});
    CHECK(paretoFront(points) == std::vector<std::size_t>{1, 3, 6});
    // Staircase under reference (7, 7), sorted by x: (2-1)(7-5) + (4-2)(7-3) + (7-4)(7-1) = 2 + 8 + 18.
    CHECK(hypervolume(points, {7, 7}) == 28);
}

TEST_CASE("Vectors of other lengths and NaN objectives dominate nothing and are never dominated", "[explore][pareto]")
{
    // (0, 0) dominates (1, 2); (1, 2, 3) is comparable with neither.
    CHECK(nonDominatedSort({{1, 2}, {1, 2, 3}, {0, 0}}) == Fronts{{1, 2}, {0}});
    CHECK(paretoFront({{1, 2}, {1, 2, 3}, {0, 0}}) == std::vector<std::size_t>{1, 2});
    const double nan = std::numeric_limits<double>::quiet_NaN();
    // (NaN, 0) compares with nothing; (1, 1) dominates (2, 2).
    CHECK(nonDominatedSort({{nan, 0}, {1, 1}, {2, 2}}) == Fronts{{0, 1}, {2}});
    CHECK(paretoFront({{nan, 0}, {1, 1}, {2, 2}}) == std::vector<std::size_t>{0, 1});
    CHECK(paretoFront({{2, 2}, {1, nan}, {1, 1}}) == std::vector<std::size_t>{1, 2});
    CHECK(paretoFront({{2, 2, 2}, {nan, 0, 0}, {1, 1, 1}, {1, 1, 1}}) == std::vector<std::size_t>{1, 2, 3});
}

TEST_CASE("A 3-objective set: fronts and hypervolume by inclusion-exclusion", "[explore][pareto]")
{
    const std::vector<ObjectiveVector> points{
        {0, 0, 2},  // 0  A
        {1, 1, 2},  // 1  under A and D
        {0, 2, 0},  // 2  B
        {2, 2, 2},  // 3  under 1 and 5
        {2, 0, 0},  // 4  C
        {2, 1, 0},  // 5  under C
        {1, 1, 1},  // 6  D
    };
    CHECK(nonDominatedSort(points) == Fronts{{0, 2, 4, 6}, {1, 5}, {3}});
    CHECK(paretoFront(points) == std::vector<std::size_t>{0, 2, 4, 6});
    // Reference (3, 3, 3). |A| = |B| = |C| = 3 x 3 x 1 = 9; each pairwise intersection starts at a
    // corner like (0, 2, 2): 3 x 1 x 1 = 3; the triple one at (2, 2, 2): 1.
    // |A u B u C| = 27 - 9 + 1 = 19 (all of [0, 3]^3 but [0, 2)^3, 27 - 8).
    const std::vector<ObjectiveVector> abc{points[0], points[2], points[4]};
    CHECK(hypervolume(abc, {3, 3, 3}) == 19);
    // D's box [1, 3]^3 adds only the part of [0, 2)^3 it covers: [1, 2)^3, 1. Dominated points add nothing.
    CHECK(hypervolume(points, {3, 3, 3}) == 20);
    // Two boxes: P (1,2,0) 2 x 1 x 3 = 6, Q (2,0,1) 1 x 3 x 2 = 6, P n Q from (2,2,1): 1 x 1 x 2 = 2.
    CHECK(hypervolume({{1, 2, 0}, {2, 0, 1}}, {3, 3, 3}) == 6 + 6 - 2);
    // Slices along z under reference (10, 10, 10): [0, 1) holds (5, 5): 5 x 5 = 25; [1, 2) adds (2, 2),
    // whose 8 x 8 = 64 covers it; [2, 10) adds (6, 1), new only below y = 2: 64 + 4 x 1 = 68, times 8.
    CHECK(hypervolume({{5, 5, 0}, {2, 2, 1}, {6, 1, 2}}, {10, 10, 10}) == 25 + 64 + 68 * 8);
}

TEST_CASE("A 4-objective set: fronts and hypervolume by inclusion-exclusion", "[explore][pareto]")
{
    const std::vector<ObjectiveVector> points{
        {2, 2, 2, 2},  // 0  under 1, 6 and the corners
        {1, 1, 1, 2},  // 1  under 5
        {0, 0, 0, 2},  // 2  e3
        {0, 0, 2, 0},  // 3  e2
        {0, 2, 0, 0},  // 4  e1
        {1, 1, 1, 1},  // 5
        {0, 0, 0, 3},  // 6  under e3 (and on the reference)
        {2, 0, 0, 0},  // 7  e0
    };
    CHECK(nonDominatedSort(points) == Fronts{{2, 3, 4, 5, 7}, {1, 6}, {0}});
    CHECK(paretoFront(points) == std::vector<std::size_t>{2, 3, 4, 5, 7});
    // The four corners e_i (2 in objective i, 0 elsewhere) under reference (3, 3, 3, 3): each box is
    // 27, each pair's intersection 9, each triple's 3, all four's 1: 4 x 27 - 6 x 9 + 4 x 3 - 1 = 65,
    // which is 81 - 16, all of [0, 3]^4 but [0, 2)^4.
    const std::vector<ObjectiveVector> corners{points[2], points[3], points[4], points[7]};
    CHECK(hypervolume(corners, {3, 3, 3, 3}) == 65);
    // (1, 1, 1, 1) adds [1, 2)^4, 1.
    CHECK(hypervolume(points, {3, 3, 3, 3}) == 66);
    // Two boxes: P (0,1,2,0) 4 x 3 x 2 x 4 = 96, Q (1,0,0,2) 3 x 4 x 4 x 2 = 96, P n Q from (1,1,2,2):
    // 3 x 3 x 2 x 2 = 36.
    CHECK(hypervolume({{0, 1, 2, 0}, {1, 0, 0, 2}}, {4, 4, 4, 4}) == 96 + 96 - 36);
}

TEST_CASE("The hypervolume of one point is the product of its gaps to the reference", "[explore][pareto]")
{
    CHECK(hypervolume({{3}}, {10}) == 7);
    CHECK(hypervolume({{3}, {1}, {5}}, {10}) == 9);  // 10 - 1
    CHECK(hypervolume({{1, 2}}, {5, 5}) == 12);      // 4 x 3
    CHECK(hypervolume({{1, 2, 3}}, {4, 6, 10}) == 84);  // 3 x 4 x 7
    CHECK(hypervolume({{0, 1, 2, 3}}, {1, 3, 5, 7}) == 24);  // 1 x 2 x 3 x 4
    CHECK(hypervolume({{0, 0, 0, 0, 0}}, {1, 2, 3, 4, 5}) == 120);  // 1 x 2 x 3 x 4 x 5
    CHECK(hypervolume({{-1.5, 0.25}}, {0.5, 1}) == Approx(2 * 0.75));
}

TEST_CASE("Points on or behind the reference add nothing to the hypervolume", "[explore][pareto]")
{
    CHECK(hypervolume({}, {4, 4}) == 0);
    CHECK(hypervolume({{4, 1}, {1, 4}, {5, 5}, {4, 4}}, {4, 4}) == 0);  // all on or behind a boundary
    CHECK(hypervolume({{4, 1}, {1, 5}, {2, 2}, {5, 5}}, {4, 4}) == 4);  // only (2, 2): 2 x 2
    CHECK(hypervolume({{1, 1, 3}, {0, 3, 0}}, {3, 3, 3}) == 0);
    CHECK(hypervolume({{1, 1, 2}, {1, 1, 3}}, {3, 3, 3}) == 4);  // 2 x 2 x 1
    CHECK(hypervolume({{1, 1, 1, 4}, {0, 0, 1, 1}}, {2, 2, 2, 2}) == 4);  // the second only: 2 x 2 x 1 x 1
    CHECK(hypervolume({{1, 2}}, {1, 2, 3}) == 0);  // a point of another length
}

TEST_CASE("The 2-D hypervolume is the area under the staircase", "[explore][pareto]")
{
    const std::vector<ObjectiveVector> front{{0, 8}, {1, 4}, {2, 2}, {4, 1}, {8, 0}};
    // Reference (10, 10): (1-0)(10-8) + (2-1)(10-4) + (4-2)(10-2) + (8-4)(10-1) + (10-8)(10-0)
    // = 2 + 6 + 16 + 36 + 20 = 80.
    CHECK(hypervolume(front, {10, 10}) == 80);
    std::vector<ObjectiveVector> more = front;
    more.insert(more.end(), {{1, 5}, {3, 3}, {8, 0}, {2, 2}, {9, 9}});  // dominated and repeated
    std::reverse(more.begin(), more.end());
    CHECK(hypervolume(more, {10, 10}) == 80);
}

TEST_CASE("The hypervolume ignores point order and repeats", "[explore][pareto]")
{
    std::mt19937 rng(7);
    for (std::size_t m = 2; m <= 5; ++m) {
        for (int trial = 0; trial < 20; ++trial) {
            const std::vector<ObjectiveVector> points = randomIntegerPoints(rng, 25, m, 7);
            const ObjectiveVector reference(m, 7);
            const double volume = hypervolume(points, reference);
            CHECK(volume > 0);
            CHECK(hypervolume(shuffledWithRepeats(rng, points), reference) == volume);
        }
    }
}

TEST_CASE("The hypervolume equals the count of covered unit cells on integer grids", "[explore][pareto]")
{
    std::mt19937 rng(2024);
    // Grid sides per objective count: 2-D 12, 3-D 8, 4-D 5, 5-D 4 (at most 1024 cells).
    const std::vector<int> sides{0, 0, 12, 8, 5, 4};
    for (std::size_t m = 2; m <= 5; ++m) {
        for (int trial = 0; trial < 60; ++trial) {
            std::uniform_int_distribution<int> sideDistribution(1, sides[m]);
            std::vector<int> reference(m);
            for (int& r : reference)
                r = trial % 2 ? sides[m] : sideDistribution(rng);
            std::uniform_int_distribution<std::size_t> countDistribution(1, 20);
            // Coordinates up to the grid side: some points lie on or behind the reference.
            const std::vector<ObjectiveVector> points = randomIntegerPoints(rng, countDistribution(rng), m, sides[m] + 1);
            const ObjectiveVector referenceVector(reference.begin(), reference.end());
            INFO("objectives " << m << ", trial " << trial);
            CHECK(hypervolume(points, referenceVector) == countCoveredCells(points, reference));
        }
    }
}

TEST_CASE("Slicing agrees with the lower-dimensional hypervolume on real-valued sets", "[explore][pareto]")
{
    std::mt19937 rng(99);
    std::uniform_real_distribution<double> unit(0, 1);
    const auto randomSet = [&](std::size_t count, std::size_t m) {
        std::vector<ObjectiveVector> set(count, ObjectiveVector(m));
        for (ObjectiveVector& p : set) {
            double norm = 0;
            for (double& x : p) {
                x = unit(rng);
                norm += x * x;
            }
            for (double& x : p)
                x /= std::sqrt(norm);  // on the unit sphere: mostly mutually non-dominated
        }
        return set;
    };
    for (std::size_t m = 2; m <= 4; ++m) {
        const std::vector<ObjectiveVector> a = randomSet(60, m), b = randomSet(60, m);
        ObjectiveVector reference(m, 1.1);
        std::vector<ObjectiveVector> both = a;
        both.insert(both.end(), b.begin(), b.end());
        // A in layer 0 and B in layer 1 of one more objective, reference 3: the slice [0, 1) holds A,
        // the slice [1, 3) holds A u B.
        std::vector<ObjectiveVector> layered;
        for (ObjectiveVector p : a) {
            p.push_back(0);
            layered.push_back(p);
        }
        for (ObjectiveVector p : b) {
            p.push_back(1);
            layered.push_back(p);
        }
        const double expected = hypervolume(a, reference) * 1 + hypervolume(both, reference) * 2;
        CHECK(hypervolume(a, reference) < hypervolume(both, reference));
        reference.push_back(3);
        CHECK(hypervolume(layered, reference) == Approx(expected).epsilon(1e-12));
    }
}

TEST_CASE("The Pareto front is the first front of non-dominated sorting", "[explore][pareto]")
{
    std::mt19937 rng(11);
    for (std::size_t m = 1; m <= 4; ++m) {
        for (int trial = 0; trial < 30; ++trial) {
            std::uniform_int_distribution<std::size_t> countDistribution(1, 80);
            const std::vector<ObjectiveVector> points = randomIntegerPoints(rng, countDistribution(rng), m, 5);
            const Fronts fronts = nonDominatedSort(points);
            INFO("objectives " << m << ", trial " << trial);
            CHECK(fronts == naiveFronts(points));
            REQUIRE_FALSE(fronts.empty());
            CHECK(paretoFront(points) == fronts.front());
        }
    }
    // Larger sets (many repeats in 2-D) against the first front only.
    for (std::size_t m = 2; m <= 3; ++m) {
        const std::vector<ObjectiveVector> points = randomIntegerPoints(rng, 3000, m, 40);
        const std::vector<std::size_t> front = paretoFront(points);
        CHECK(front.size() > 1);
        CHECK(front == nonDominatedSort(points).front());
        CHECK(front == naiveFirstFront(points));
    }
}

TEST_CASE("Crowding distance on a hand-made front", "[explore][pareto]")
{
    //                                          0        1       2       3       4       5        6
    const std::vector<ObjectiveVector> points{{6, 2}, {9, 9}, {0, 8}, {3, 3}, {1, 5}, {8, 0}, {7, 7}};
    const std::vector<std::size_t> front{3, 5, 0, 2, 4};  // (3,3) (8,0) (6,2) (0,8) (1,5)
    // Both ranges 8. x: 0 1 3 6 8 -> (1,5) (3-0)/8, (3,3) (6-1)/8, (6,2) (8-3)/8.
    // y: 0 2 3 5 8 -> (6,2) (3-0)/8, (3,3) (5-2)/8, (1,5) (8-3)/8.
    const std::vector<double> distance = crowdingDistance(points, front);
    REQUIRE(distance.size() == 5);
    CHECK(distance[0] == Approx((5.0 + 3.0) / 8));  // (3,3)
    CHECK(distance[1] == kInf);                     // (8,0)
    CHECK(distance[2] == Approx((5.0 + 3.0) / 8));  // (6,2)
    CHECK(distance[3] == kInf);                     // (0,8)
    CHECK(distance[4] == Approx((3.0 + 5.0) / 8));  // (1,5)

    // Uneven gaps: x 0 1 3 6 10 (range 10), y 10 6 4 2 0 (range 10).
    const std::vector<ObjectiveVector> uneven{{0, 10}, {1, 6}, {3, 4}, {6, 2}, {10, 0}};
    const std::vector<double> d = crowdingDistance(uneven, {0, 1, 2, 3, 4});
    CHECK(d[0] == kInf);
    CHECK(d[1] == Approx((3 - 0) / 10.0 + (10 - 4) / 10.0));  // 0.9
    CHECK(d[2] == Approx((6 - 1) / 10.0 + (6 - 2) / 10.0));   // 0.9
    CHECK(d[3] == Approx((10 - 3) / 10.0 + (4 - 0) / 10.0));  // 1.1
    CHECK(d[4] == kInf);
}

TEST_CASE("Crowding distance: small fronts and objectives without range", "[explore][pareto]")
{
    const std::vector<ObjectiveVector> points{{0, 8, 5}, {1, 5, 5}, {3, 3, 5}, {6, 1, 5}, {8, 0, 5}};
    CHECK(crowdingDistance(points, {}).empty());
    CHECK(crowdingDistance(points, {2}) == std::vector<double>{kInf});
    CHECK(crowdingDistance(points, {2, 3}) == std::vector<double>{kInf, kInf});
    CHECK(crowdingDistance({{1, 1}, {1, 1}}, {0, 1}) == std::vector<double>{kInf, kInf});  // even without range
    // The constant third objective adds nothing (no infinities either). x: 0 1 3 6 8, y: 0 1 3 5 8.
    const std::vector<double> d = crowdingDistance(points, {0, 1, 2, 3, 4});
    CHECK(d[0] == kInf);
    CHECK(d[1] == Approx((3 - 0) / 8.0 + (8 - 3) / 8.0));  // 1
    CHECK(d[2] == Approx((6 - 1) / 8.0 + (5 - 1) / 8.0));  // 9/8
    CHECK(d[3] == Approx((8 - 3) / 8.0 + (3 - 0) / 8.0));  // 1
    CHECK(d[4] == kInf);
    // Every objective constant: all zero.
    CHECK(crowdingDistance({{1, 1}, {1, 1}, {1, 1}}, {0, 1, 2}) == std::vector<double>{0, 0, 0});
}

TEST_CASE("The knee of a convex 2-D front", "[explore][pareto]")
{
    // Ranges 8: normalised sums 0+1, 1/8+4/8, 2/8+2/8, 4/8+1/8, 1+0 -> (2, 2) with 0.5.
    const std::vector<ObjectiveVector> convex{{9, 9}, {0, 8}, {1, 4}, {2, 2}, {4, 1}, {8, 0}};
    CHECK(kneePoint(convex, {1, 2, 3, 4, 5}) == 2);
    CHECK(kneePoint(convex, {5, 3, 1}) == 1);  // a position in the front, not a point index
    // A tie: sums 1, 1/8+5/8, 3/8+3/8, 6/8+1/8, 1 -> (1, 5) and (3, 3) at 0.75; the earlier entry wins.
    const std::vector<ObjectiveVector> tied{{0, 8}, {1, 5}, {3, 3}, {6, 1}, {8, 0}};
    CHECK(kneePoint(tied, {0, 1, 2, 3, 4}) == 1);
    CHECK(kneePoint(tied, {4, 3, 2, 1, 0}) == 2);
    // An objective without range counts 0: (x, 5) ranks by x alone.
    CHECK(kneePoint({{3, 5}, {1, 5}, {2, 5}}, {0, 1, 2}) == 1);
}

TEST_CASE("The knee of a 3-D set, and of empty and single fronts", "[explore][pareto]")
{
    const std::vector<ObjectiveVector> points{{8, 0, 0}, {0, 8, 0}, {0, 0, 8}, {2, 2, 2}, {3, 1, 1}, {1, 4, 2}};
    // Ranges 8: sums 1, 1, 1, 6/8, 5/8, 7/8 -> (3, 1, 1).
    CHECK(kneePoint(points, {0, 1, 2, 3, 4, 5}) == 4);
    CHECK(kneePoint(points, {0, 1, 2, 3, 5}) == 3);  // without it, (2, 2, 2)
    CHECK(kneePoint(points, {}) == 0);
    CHECK(kneePoint(points, {5}) == 0);
    CHECK(kneePoint(points, {2, 2}) == 0);
}
