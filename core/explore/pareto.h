#pragma once

#include <cstddef>
#include <vector>

namespace cdx {

/// Objective vectors, every objective minimised (a maximised one is negated by the caller).
using ObjectiveVector = std::vector<double>;

/// Whether `a` Pareto-dominates `b`: no worse in every objective and better in at least one.
/// Vectors of different lengths never dominate each other.
bool dominates(const ObjectiveVector& a, const ObjectiveVector& b);

/// Fast non-dominated sorting (Deb et al., NSGA-II): the indices of `points` by front, front 0
/// first; within a front, indices ascend. Equal vectors share a front (neither dominates).
std::vector<std::vector<std::size_t>> nonDominatedSort(const std::vector<ObjectiveVector>& points);

/// The indices of the non-dominated points (front 0), ascending. Duplicates are all kept.
std::vector<std::size_t> paretoFront(const std::vector<ObjectiveVector>& points);

/// NSGA-II crowding distance of the points `front` indexes (same order as `front`): the sum
/// over objectives of the normalised gap between each point's neighbours; the extremes of
/// every objective get +infinity.
std::vector<double> crowdingDistance(const std::vector<ObjectiveVector>& points, const std::vector<std::size_t>& front);

/// Exact hypervolume dominated by `points` and bounded by `reference` (minimisation): the
/// Lebesgue measure of the union of the boxes [p, reference]. Points not strictly better than
/// the reference in every objective add nothing. Any number of objectives (sweep for two,
/// slicing by the last objective for more).
double hypervolume(const std::vector<ObjectiveVector>& points, const ObjectiveVector& reference);

/// The knee of a front: with every objective normalised to [0, 1] over the front's own range
/// (an objective with no range counts 0), the point farthest below the hyperplane through the
/// normalised extremes (sum of coordinates = 1), that is the smallest sum of normalised
/// objectives; ties go to the earlier entry. Returns a position in `front` (not a point
/// index), or `front.size()` when `front` is empty.
std::size_t kneePoint(const std::vector<ObjectiveVector>& points, const std::vector<std::size_t>& front);

}  // namespace cdx
