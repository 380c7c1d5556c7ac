#pragma once
// ParetoChart's hit testing: the drawable point ids sorted by x, so that finding the point
// under the cursor looks only at the points within the radius's x window, however many there are.
#include "views/charts/paretopoints.h"

#include <QPointF>

#include <cstddef>
#include <vector>

namespace cdx {

class PointHitIndex {
public:
    /// An index of `points`' drawable points; rebuild() it when they change.
    explicit PointHitIndex(const ParetoPoints& points) : points_(points) {}

    /// Indexes the drawable points again (after new points or log axes).
    void rebuild();
    /// The drawable point ids, sorted by x.
    const std::vector<int>& ids() const { return byX_; }
    std::size_t size() const { return byX_.size(); }

    /// The id of the drawn point nearest to `pixel` (chart coordinates, mapped by `mapping`)
    /// within `radius` pixels, or -1. Front points and then feasible ones win near ties.
    int nearest(const ParetoPoints::Mapping& mapping, QPointF pixel, double radius) const;

private:
    const ParetoPoints& points_;
    std::vector<int> byX_;  ///< drawable point ids sorted by x
};

}  // namespace cdx
