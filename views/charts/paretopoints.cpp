// The data behind ParetoChart: storage of the points, the log-axis transform, the front's
// shape, the fitted ranges and the data-to-pixel mapping.
#include "views/charts/paretopoints.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cdx {

double ParetoPoints::transformed(double value, bool log)
{
    if (!std::isfinite(value))
        return std::numeric_limits<double>::quiet_NaN();
    if (!log)
        return value;
    return value > 0 ? std::log10(value) : std::numeric_limits<double>::quiet_NaN();
}

void ParetoPoints::setPoints(const std::vector<QPointF>& all, const std::vector<bool>& feasible)
{
    points_ = all;
    feasible_ = feasible;
    feasible_.resize(points_.size(), false);
}

void ParetoPoints::setDirections(bool maximiseX, bool maximiseY)
{
    maximiseX_ = maximiseX;
    maximiseY_ = maximiseY;
}

bool ParetoPoints::setLogAxes(bool logX, bool logY)
{
    wantLogX_ = logX;
    wantLogY_ = logY;
    auto allPositive = [&](bool x) {
        for (const QPointF& p : points_) {
            const double v = x ? p.x() : p.y();
            const double other = x ? p.y() : p.x();
            if (!std::isfinite(v) || !std::isfinite(other))
                continue;  // not drawn anyway
            if (v <= 0)
                return false;
        }
        if (current_) {
            const double v = x ? current_->x() : current_->y();
            if (std::isfinite(v) && v <= 0)
                return false;
        }
        return true;
    };
    const bool effectiveX = logX && allPositive(true);
    const bool effectiveY = logY && allPositive(false);
    if (effectiveX == logX_ && effectiveY == logY_)
        return false;
    logX_ = effectiveX;
    logY_ = effectiveY;
    return true;
}

bool ParetoPoints::drawable(QPointF p) const
{
    return std::isfinite(transformed(p.x(), logX_)) && std::isfinite(transformed(p.y(), logY_));
}

void ParetoPoints::rebuildLayers()
{
    feasibleT_.clear();
    infeasibleT_.clear();
    for (std::size_t i = 0; i < points_.size(); ++i) {
        const QPointF t(transformed(points_[i].x(), logX_), transformed(points_[i].y(), logY_));
        if (!std::isfinite(t.x()) || !std::isfinite(t.y()))
            continue;
        (feasible_[i] ? feasibleT_ : infeasibleT_).push_back(t);
    }
}

ParetoPoints::FrontShape ParetoPoints::rebuildFront()
{
    std::vector<QPointF> front;
    onFront_.assign(points_.size(), 0);
    for (const int id : front_)
        if (id >= 0 && static_cast<std::size_t>(id) < points_.size() && drawable(points_[static_cast<std::size_t>(id)])) {
            front.push_back(points_[static_cast<std::size_t>(id)]);
            onFront_[static_cast<std::size_t>(id)] = 1;
        }
    // The staircase joins the points that are best in the plotted view only: with more than two
    // objectives the front holds points that these two metrics alone would dominate.
    const double sx = maximiseX_ ? -1 : 1;
    const double sy = maximiseY_ ? -1 : 1;
    std::sort(front.begin(), front.end(), [sx, sy](QPointF a, QPointF b) {
        return sx * a.x() < sx * b.x() || (a.x() == b.x() && sy * a.y() < sy * b.y());
    });
    FrontShape shape;
    shape.markers = QList<QPointF>(front.begin(), front.end());
    std::vector<QPointF> best;
    for (const QPointF& p : front)
        if (best.empty() || sy * p.y() < sy * best.back().y())
            best.push_back(p);
    for (std::size_t i = 0; i < best.size(); ++i) {
        if (i > 0)
            shape.steps.append(QPointF(best[i].x(), best[i - 1].y()));
        shape.steps.append(best[i]);
    }
    return shape;
}

ParetoPoints::Ranges ParetoPoints::fittedRanges() const
{
    double minX = std::numeric_limits<double>::infinity(), maxX = -minX, minY = minX, maxY = -minX;
    auto include = [&](QPointF p) {
        const double tx = transformed(p.x(), logX_), ty = transformed(p.y(), logY_);
        if (!std::isfinite(tx) || !std::isfinite(ty))
            return;
        minX = std::min(minX, tx);
        maxX = std::max(maxX, tx);
        minY = std::min(minY, ty);
        maxY = std::max(maxY, ty);
    };
    for (const QPointF& p : points_)
        include(p);
    if (current_)
        include(*current_);
    auto range = [](double lo, double hi, bool log, double* outLo, double* outHi) {
        if (!std::isfinite(lo)) {
            lo = log ? 0 : 0;
            hi = 1;
        }
        double pad = (hi - lo) * 0.05;
        if (!(pad > 0))
            pad = log ? 0.3 : std::max(std::abs(lo) * 0.1, 1.0);
        lo -= pad;
        hi += pad;
        *outLo = log ? std::pow(10.0, lo) : lo;
        *outHi = log ? std::pow(10.0, hi) : hi;
    };
    Ranges r;
    range(minX, maxX, logX_, &r.x0, &r.x1);
    range(minY, maxY, logY_, &r.y0, &r.y1);
    // A linear axis of positive values starts at zero when that costs little room.
    if (!logX_ && minX >= 0 && r.x0 < 0)
        r.x0 = 0;
    if (!logY_ && minY >= 0 && r.y0 < 0)
        r.y0 = 0;
    return r;
}

ParetoPoints::Mapping ParetoPoints::mapping(const QRectF& plot, double xMin, double xMax, double yMin, double yMax) const
{
    Mapping m;
    m.plot = plot;
    m.x0 = transformed(xMin, logX_);
    m.x1 = transformed(xMax, logX_);
    m.y0 = transformed(yMin, logY_);
    m.y1 = transformed(yMax, logY_);
    m.valid = m.plot.width() > 1 && m.plot.height() > 1 && std::isfinite(m.x0) && std::isfinite(m.x1) && std::isfinite(m.y0) &&
              std::isfinite(m.y1) && m.x1 > m.x0 && m.y1 > m.y0;
    return m;
}

}  // namespace cdx
