#pragma once

#include "views/charts/chartview.h"

#include <QPointF>

#include <map>
#include <utility>
#include <vector>

class QLineSeries;
class QLogValueAxis;
class QScatterSeries;

namespace cdx {

struct LayerResult;

/// A log-log roofline: each layer a point at (ops per DRAM byte, attained ops/s), with ops
/// = 2 x dense MACs; the compute roof at NetworkResult::peakOpsPerS and the memory roof
/// dramBytesPerS x intensity. One scatter series per bound, coloured like the latency chart.
/// Layers without MACs, DRAM traffic or time are left out and counted in the title.
class RooflineChart : public ChartView {
    Q_OBJECT

public:
    explicit RooflineChart(QWidget* parent = nullptr);

    void setSelectedLayer(const QString& layer) override;
    /// The plotted layers and their (intensity, ops/s) points.
    const std::map<QString, QPointF>& points() const { return points_; }

    /// DRAM bytes a workload moves: reads + fills + updates at every level whose name contains
    /// "DRAM", times the operand's bits from LayerResult::precision ("w8 a8": Weights w, Inputs
    /// and Outputs a; 8 when it does not say) over 8.
    static double dramBytes(const LayerResult& workload);

protected:
    QString buildChart(QChart* chart, const NetworkResult& result) override;
    bool updateChart(QChart* chart, const NetworkResult& result) override;

private:
    /// A layer's workloads summed; the bound is the one of its longest workload.
    struct LayerPoint {
        QString layer;
        double ops = 0;
        double seconds = 0;
        double dramBytes = 0;
        QString bound;
        double boundSeconds = -1;
    };

    /// What a new result must share with the chart shown to be drawn in it: the plotted
    /// layers with their bounds (the series), the roofs and the layers left out (the title).
    struct Shape {
        std::vector<std::pair<QString, QString>> layerBounds;
        double peak = 0;
        double bandwidth = 0;
        int omitted = 0;
        bool operator==(const Shape&) const = default;
    };

    static std::vector<LayerPoint> collect(const NetworkResult& result);
    /// The layers that can be placed, and the shape of the chart that shows them.
    static std::vector<LayerPoint> plottable(const NetworkResult& result, Shape& shape, bool& anyDram);
    /// Each plotted layer's point, and the axes' ranges.
    void placePoints(const std::vector<LayerPoint>& plotted, const Shape& shape);
    void addRoofs(QChart* chart, double peak, double bandwidth);
    void setRoofPoints(double peak, double bandwidth);
    void addLayerPoints(QChart* chart, const std::vector<LayerPoint>& plotted);
    void addSelection(QChart* chart);
    void hover(QScatterSeries* series, const QPointF& point, bool state);
    QString layerAt(QScatterSeries* series, const QPointF& point) const;

    Shape shape_;
    double xLo_ = 1, xHi_ = 10, yLo_ = 1, yHi_ = 10;
    QPointer<QLogValueAxis> axisX_, axisY_;
    QPointer<QLineSeries> dramRoof_, computeRoof_;
    std::map<QString, QPointF> points_;
    std::map<QScatterSeries*, QStringList> seriesLayers_;  ///< each point's layer, in point order
    QPointer<QScatterSeries> selection_;
};

}  // namespace cdx
