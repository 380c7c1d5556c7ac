#include "core/explore/pareto.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <map>
#include <numeric>

namespace cdx {

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

/// A strict weak order on doubles that puts NaN after every number (all NaNs equivalent), so
/// sorting never meets the undefined behaviour of `<` on NaN.
bool lessTotal(double a, double b)
{
    return a < b || (std::isnan(b) && !std::isnan(a));
}

/// Lexicographic order under `lessTotal`; on a common prefix the shorter vector comes first.
bool lexLess(const ObjectiveVector& a, const ObjectiveVector& b)
{
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), lessTotal);
}

/// The indices of `points` in lexicographic order, equal vectors by ascending index. A point
/// can only be dominated by points before it: a dominator is the same length, no larger
/// anywhere and smaller at its first difference (which rules NaN out of both).
std::vector<std::size_t> lexOrder(const std::vector<ObjectiveVector>& points)
{
    std::vector<std::size_t> order(points.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return lexLess(points[a], points[b]); });
    return order;
}

/// Whether a point `members` indexes dominates `p`, all of them before `p` in lexicographic
/// order. The latest members come first: they are the likeliest dominators. With two objectives
/// (`planar`) and `members` mutually non-dominated, the latest has the lowest second objective, so
/// if any member dominates `p`, it does.
bool dominatedByAny(const std::vector<ObjectiveVector>& points, const std::vector<std::size_t>& members, const ObjectiveVector& p,
                    bool planar)
{
    if (planar)
        return !members.empty() && dominates(points[members.back()], p);
    for (auto it = members.rbegin(); it != members.rend(); ++it)
        if (dominates(points[*it], p))
            return true;
    return false;
}

/// Whether every point has `m` objectives and none is NaN (the condition of the sweeps).
bool allOfSizeWithoutNan(const std::vector<ObjectiveVector>& points, std::size_t m)
{
    const auto fits = [m](const ObjectiveVector& p) {
        return p.size() == m && std::none_of(p.begin(), p.end(), [](double x) { return std::isnan(x); });
    };
    return std::all_of(points.begin(), points.end(), fits);
}

/// The number of objectives every point of `front` has.
std::size_t commonObjectives(const std::vector<ObjectiveVector>& points, const std::vector<std::size_t>& front)
{
    std::size_t m = front.empty() ? 0 : points[front.front()].size();
    for (const std::size_t i : front)
        m = std::min(m, points[i].size());
    return m;
}

/// Whether `a` is no worse than `b` in the first `m` objectives.
bool weaklyDominates(const double* a, const double* b, std::size_t m)
{
    for (std::size_t k = 0; k < m; ++k)
        if (a[k] > b[k])
            return false;
    return true;
}

/// The area of the union of the rectangles [p, ref] (first two objectives) by a sweep along the
/// first: after sorting, the union's height over [x_i, x_{i+1}) is ref_y - min_{j <= i} y_j.
/// Dominated and repeated points are harmless.
double sweep2(std::vector<const double*> pts, const double* ref)
{
    std::sort(pts.begin(), pts.end(), [](const double* a, const double* b) { return a[0] < b[0] || (a[0] == b[0] && a[1] < b[1]); });
    double area = 0, lowestY = ref[1];
    for (std::size_t i = 0; i < pts.size(); ++i) {
        lowestY = std::min(lowestY, pts[i][1]);
        const double nextX = i + 1 < pts.size() ? pts[i + 1][0] : ref[0];
        area += (nextX - pts[i][0]) * (ref[1] - lowestY);
    }
    return area;
}

/// Whether the staircase `stair` (x -> y, y falling as x grows) has a corner no worse than (x, y)
/// in both objectives.
bool staircaseCovers(const std::map<double, double>& stair, double x, double y)
{
    const auto it = stair.upper_bound(x);
    return it != stair.begin() && std::prev(it)->second <= y;
}

/// Adds the corner (x, y), not covered, to the staircase, removing the corners it covers.
void addCorner(std::map<double, double>& stair, double x, double y)
{
    auto last = stair.lower_bound(x);
    const auto first = last;
    while (last != stair.end() && last->second >= y)
        ++last;
    stair.erase(first, last);
    stair[x] = y;
}

/// Adds the rectangle [(x, y), ref] to the staircase `stair` (x -> y, y falling as x grows, the
/// non-dominated corners of a union of rectangles) and returns the area it adds to the union:
/// the integral over [x, ref_x] of how far the union's old lower boundary lies above y.
double addToStaircase(std::map<double, double>& stair, double x, double y, double refX, double refY)
{
    if (staircaseCovers(stair, x, y))
        return 0;
    auto it = stair.upper_bound(x);
    double boundary = it == stair.begin() ? refY : std::prev(it)->second, cursor = x, added = 0;
    const auto firstCovered = it;
    for (; it != stair.end() && it->second >= y; ++it) {
        added += (it->first - cursor) * (boundary - y);
        cursor = it->first;
        boundary = it->second;
    }
    added += ((it == stair.end() ? refX : it->first) - cursor) * (boundary - y);
    stair.erase(firstCovered, it);  // the corners right of x and not below y, now dominated
    stair[x] = y;                   // replaces a corner at x, which lay above y
    return added;
}

/// The volume of the union of the boxes [p, ref] (first three objectives): sweep along the third
/// objective, keeping the area of the union of the slice's rectangles in a staircase updated
/// per point, O(n log n).
double sweep3(std::vector<const double*> pts, const double* ref)
{
    std::sort(pts.begin(), pts.end(), [](const double* a, const double* b) { return a[2] < b[2]; });
    std::map<double, double> stair;
    double area = 0, volume = 0;
    for (std::size_t i = 0; i < pts.size(); ++i) {
        area += addToStaircase(stair, pts[i][0], pts[i][1], ref[0], ref[1]);
        const double nextZ = i + 1 < pts.size() ? pts[i + 1][2] : ref[2];
        volume += area * (nextZ - pts[i][2]);
    }
    return volume;
}

double unionVolume(std::vector<const double*> pts, const double* ref, std::size_t m);

/// The volume for m >= 4 objectives by slicing along the last one (HSO): between consecutive
/// values of objective m, the slice is the (m - 1)-objective union of the points at or below
/// it, whose non-dominated set is kept incrementally (a slice is recomputed only when it changes).
double sliceVolume(std::vector<const double*> pts, const double* ref, std::size_t m)
{
    const std::size_t last = m - 1;
    std::sort(pts.begin(), pts.end(), [last](const double* a, const double* b) { return a[last] < b[last]; });
    std::vector<const double*> active;
    double volume = 0, slice = 0;
    bool stale = false;
    for (std::size_t i = 0; i < pts.size(); ++i) {
        const double* p = pts[i];
        const bool covered = std::any_of(active.begin(), active.end(), [&](const double* q) { return weaklyDominates(q, p, last); });
        if (!covered) {
            std::erase_if(active, [&](const double* q) { return weaklyDominates(p, q, last); });
            active.push_back(p);
            stale = true;
        }
        const double next = i + 1 < pts.size() ? pts[i + 1][last] : ref[last];
        if (next > p[last]) {
            if (stale)
                slice = unionVolume(active, ref, last);
            stale = false;
            volume += slice * (next - p[last]);
        }
    }
    return volume;
}

/// The measure of the union of the boxes [p, ref] over the first `m` objectives, every point
/// strictly better than `ref` in each of them.
double unionVolume(std::vector<const double*> pts, const double* ref, std::size_t m)
{
    if (pts.empty())
        return 0;
    if (m == 1) {
        double lowest = ref[0];
        for (const double* p : pts)
            lowest = std::min(lowest, p[0]);
        return ref[0] - lowest;
    }
    if (m == 2)
        return sweep2(std::move(pts), ref);
    if (m == 3)
        return sweep3(std::move(pts), ref);
    return sliceVolume(std::move(pts), ref, m);
}

}  // namespace

bool dominates(const ObjectiveVector& a, const ObjectiveVector& b)
{
    if (a.size() != b.size())
        return false;
    bool better = false;
    for (std::size_t k = 0; k < a.size(); ++k) {
        if (!(a[k] <= b[k]))
            return false;
        better = better || a[k] < b[k];
    }
    return better;
}

/// Produces exactly Deb's fronts (rank = 1 + the highest rank of a dominator) but by efficient
/// non-dominated sorting with binary search (Zhang et al. 2015): in lexicographic order every
/// point meets its dominators first, and it goes to the first front holding none of them. O(M N^2)
/// comparisons at worst, like Deb's, but O(N) memory instead of Deb's N^2 dominated-point lists.
std::vector<std::vector<std::size_t>> nonDominatedSort(const std::vector<ObjectiveVector>& points)
{
    const bool planar = allOfSizeWithoutNan(points, 2);
    std::vector<std::vector<std::size_t>> fronts;
    for (const std::size_t i : lexOrder(points)) {
        // A front holding no dominator of point i is followed by none that does (a dominator in a
        // later front is itself dominated by a member of this one), so binary-search the first.
        std::size_t lo = 0, hi = fronts.size();
        while (lo < hi) {
            const std::size_t mid = lo + (hi - lo) / 2;
            if (dominatedByAny(points, fronts[mid], points[i], planar))
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == fronts.size())
            fronts.emplace_back();
        fronts[lo].push_back(i);
    }
    for (std::vector<std::size_t>& front : fronts)
        std::sort(front.begin(), front.end());
    return fronts;
}

/// In lexicographic order a point is non-dominated exactly when no front point found so far
/// dominates it (a dominated dominator has a front point above it). Two objectives need only the
/// lowest second objective so far (the front's second objectives fall strictly, repeats aside);
/// three a staircase of the last two objectives of the points so far, each of which is no worse
/// in the first (a repeat of the previous point shares its fate); O(N log N) both.
std::vector<std::size_t> paretoFront(const std::vector<ObjectiveVector>& points)
{
    std::vector<std::size_t> front;
    const std::vector<std::size_t> order = lexOrder(points);
    if (allOfSizeWithoutNan(points, 2)) {
        double lowestY = kInfinity;
        for (const std::size_t i : order) {
            const ObjectiveVector& p = points[i];
            if (front.empty() || p[1] < lowestY || p == points[front.back()]) {
                front.push_back(i);
                lowestY = p[1];
            }
        }
    } else if (allOfSizeWithoutNan(points, 3)) {
        std::map<double, double> stair;
        for (std::size_t r = 0; r < order.size(); ++r) {
            const ObjectiveVector& p = points[order[r]];
            if (r > 0 && p == points[order[r - 1]]) {
                if (!front.empty() && front.back() == order[r - 1])
                    front.push_back(order[r]);
            } else if (!staircaseCovers(stair, p[1], p[2])) {
                addCorner(stair, p[1], p[2]);
                front.push_back(order[r]);
            }
        }
    } else {
        for (const std::size_t i : order)
            if (!dominatedByAny(points, front, points[i], false))
                front.push_back(i);
    }
    std::sort(front.begin(), front.end());
    return front;
}

/// An objective whose range over the front is zero (or not finite) contributes nothing, not even
/// the infinities of its extremes; fronts of one or two points are all extremes.
std::vector<double> crowdingDistance(const std::vector<ObjectiveVector>& points, const std::vector<std::size_t>& front)
{
    const std::size_t n = front.size();
    if (n <= 2)
        return std::vector<double>(n, kInfinity);
    std::vector<double> distance(n, 0.0);
    std::vector<std::size_t> byValue(n);
    const std::size_t m = commonObjectives(points, front);
    for (std::size_t k = 0; k < m; ++k) {
        const auto value = [&](std::size_t position) { return points[front[position]][k]; };
        std::iota(byValue.begin(), byValue.end(), std::size_t{0});
        std::stable_sort(byValue.begin(), byValue.end(), [&](std::size_t a, std::size_t b) { return lessTotal(value(a), value(b)); });
        const double range = value(byValue.back()) - value(byValue.front());
        if (!(range > 0) || !std::isfinite(range))
            continue;
        distance[byValue.front()] = distance[byValue.back()] = kInfinity;
        for (std::size_t r = 1; r + 1 < n; ++r)
            distance[byValue[r]] += (value(byValue[r + 1]) - value(byValue[r - 1])) / range;
    }
    return distance;
}

/// Exact for any number of objectives: points not strictly inside the reference box, repeats
/// and dominated points are dropped; then one objective is a minimum, two a sweep, three a
/// sweep with a staircase (O(n log n)), and more are sliced along the last objective down to three.
double hypervolume(const std::vector<ObjectiveVector>& points, const ObjectiveVector& reference)
{
    const std::size_t m = reference.size();
    std::vector<ObjectiveVector> inside;
    for (const ObjectiveVector& p : points) {
        bool strictlyBetter = p.size() == m;
        for (std::size_t k = 0; strictlyBetter && k < m; ++k)
            strictlyBetter = p[k] < reference[k];
        if (strictlyBetter)
            inside.push_back(p);
    }
    if (m == 0 || inside.empty())
        return 0;
    std::sort(inside.begin(), inside.end());  // no NaN is left: plain `<` is a strict weak order
    inside.erase(std::unique(inside.begin(), inside.end()), inside.end());
    std::vector<const double*> front;
    for (const std::size_t i : paretoFront(inside))
        front.push_back(inside[i].data());
    return unionVolume(std::move(front), reference.data(), m);
}

/// An objective whose range over the front is zero (or not finite) counts 0.
std::size_t kneePoint(const std::vector<ObjectiveVector>& points, const std::vector<std::size_t>& front)
{
    if (front.empty())
        return front.size();
    const std::size_t m = commonObjectives(points, front);
    std::vector<double> lo(m, kInfinity), hi(m, -kInfinity);
    for (const std::size_t i : front) {
        for (std::size_t k = 0; k < m; ++k) {
            lo[k] = std::min(lo[k], points[i][k]);
            hi[k] = std::max(hi[k], points[i][k]);
        }
    }
    std::size_t best = 0;
    double bestSum = kInfinity;
    for (std::size_t position = 0; position < front.size(); ++position) {
        double sum = 0;
        for (std::size_t k = 0; k < m; ++k) {
            const double range = hi[k] - lo[k];
            if (range > 0 && std::isfinite(range))
                sum += (points[front[position]][k] - lo[k]) / range;
        }
        if (std::isnan(sum))
            sum = kInfinity;
        if (position == 0 || sum < bestSum) {
            best = position;
            bestSum = sum;
        }
    }
    return best;
}

}  // namespace cdx
