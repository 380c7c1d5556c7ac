#pragma once
// ParetoChart's point cloud renderer: splats the infeasible and feasible points into an image
// of the plot area, one antialiased disc per pixel and layer, and keeps that image for repaints
// of the same view.
#include "views/charts/paretopoints.h"

#include <QImage>
#include <QPointF>

#include <array>
#include <cstdint>
#include <vector>

class QColor;
class QPainter;

namespace cdx {

class CloudRenderer {
public:
    /// The points or the colours changed: the next paint() draws the image afresh.
    void invalidate() { ++version_; }

    /// Draws the transformed `infeasible` points and then the `feasible` ones over the plot area
    /// of `mapping` (which must be valid), in the given colours.
    void paint(QPainter* painter, const ParetoPoints::Mapping& mapping, const std::vector<QPointF>& infeasible,
               const std::vector<QPointF>& feasible, const QColor& infeasibleColor, const QColor& feasibleColor);

private:
    QImage image_;                 ///< the cloud as last drawn, for repaints of the same view
    std::array<double, 8> key_{};  ///< the view and data it was drawn for
    std::uint64_t version_ = 0;    ///< changes with the points and the colours
};

}  // namespace cdx
