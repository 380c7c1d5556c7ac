// ParetoChart's hit testing: the x-sorted index of the drawable points and the nearest point
// to a pixel.
#include "views/charts/pointhitindex.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cdx {

void PointHitIndex::rebuild()
{
    byX_.clear();
    for (std::size_t i = 0; i < points_.size(); ++i)
        if (points_.drawable(points_.at(static_cast<int>(i))))
            byX_.push_back(static_cast<int>(i));
    std::sort(byX_.begin(), byX_.end(), [this](int a, int b) { return points_.at(a).x() < points_.at(b).x(); });
}

int PointHitIndex::nearest(const ParetoPoints::Mapping& m, QPointF c, double radius) const
{
    if (!m.valid || byX_.empty())
        return -1;
    if (!m.plot.adjusted(-radius, -radius, radius, radius).contains(c))
        return -1;
    const bool logX = points_.logX();
    const bool logY = points_.logY();
    // The x window of `radius` pixels, back in data values.
    const double lo = m.xAt(c.x() - radius);
    const double hi = m.xAt(c.x() + radius);
    const double loValue = logX ? std::pow(10.0, lo) : lo;
    const double hiValue = logX ? std::pow(10.0, hi) : hi;
    auto first = std::lower_bound(byX_.begin(), byX_.end(), loValue, [this](int id, double v) { return points_.at(id).x() < v; });
    // The nearest point, front points (drawn larger, on top) and then feasible ones first.
    auto bonus = [this](int id) { return points_.onFront(id) ? 3.0 : points_.feasible(id) ? 0.5 : 0.0; };
    int best = -1;
    double bestScore = std::numeric_limits<double>::infinity();
    for (auto it = first; it != byX_.end(); ++it) {
        const QPointF& p = points_.at(*it);
        if (p.x() > hiValue)
            break;
        const QPointF pixel = m.toPixel(ParetoPoints::transformed(p.x(), logX), ParetoPoints::transformed(p.y(), logY));
        if (!m.plot.contains(pixel))
            continue;
        const double distance = std::hypot(pixel.x() - c.x(), pixel.y() - c.y());
        if (distance > radius)
            continue;
        const double score = distance - bonus(*it);
        if (score < bestScore) {
            bestScore = score;
            best = *it;
        }
    }
    return best;
}

}  // namespace cdx
