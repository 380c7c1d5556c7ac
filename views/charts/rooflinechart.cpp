#include "views/charts/rooflinechart.h"

#include "estimators/results/networkresult.h"
#include "views/charts/chartstyle.h"
#include "views/results/units.h"

#include <QChart>
#include <QHash>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPen>
#include <QScatterSeries>

#include <algorithm>
#include <cmath>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace cdx {

namespace {

/// Whether a level's name mentions DRAM, in any case.
bool containsDram(std::string_view level)
{
    for (std::size_t i = 0; i + 4 <= level.size(); ++i) {
        const auto lower = [&](std::size_t k) { return static_cast<char>(level[i + k] | 0x20); };
        if (lower(0) == 'd' && lower(1) == 'r' && lower(2) == 'a' && lower(3) == 'm')
            return true;
    }
    return false;
}

/// [lo, hi] with room around the data and at least `decades`, so that the axis, which labels
/// only powers of ten, shows a few; the ends stay off the powers (the axis drops edge labels).
std::pair<double, double> logRange(double lo, double hi, double decades)
{
    double logLo = std::log10(lo) - 0.2, logHi = std::log10(hi) + 0.2;
    if (logHi - logLo < decades) {
        const double widen = (decades - (logHi - logLo)) / 2;
        logLo -= widen;
        logHi += widen;
    }
    return {std::pow(10.0, logLo), std::pow(10.0, logHi)};
}

QLogValueAxis* logAxis(const QString& title, const QString& format, double lo, double hi)
{
    auto* axis = new QLogValueAxis;
    axis->setBase(10);
    axis->setTitleText(title);
    axis->setLabelFormat(format);
    axis->setRange(lo, hi);
    axis->setMinorTickCount(-1);  // 2..9 within each decade
    return axis;
}

/// Adds `series` to the chart on its two log axes.
void attach(QChart* chart, QAbstractSeries* series)
{
    chart->addSeries(series);
    for (QAbstractAxis* axis : chart->axes())
        series->attachAxis(axis);
}

/// Dotted, faint minor grid lines: a decade's eight would crowd the plot otherwise.
void fadeMinorGrid(QLogValueAxis* axis)
{
    QColor faint = axis->gridLineColor();
    faint.setAlphaF(0.35);
    QPen pen = axis->minorGridLinePen();
    pen.setColor(faint);
    pen.setStyle(Qt::DotLine);
    axis->setMinorGridLinePen(pen);
}

}  // namespace

RooflineChart::RooflineChart(QWidget* parent) : ChartView(parent) {}

std::vector<RooflineChart::LayerPoint> RooflineChart::collect(const NetworkResult& result)
{
    std::vector<LayerPoint> layers;
    QHash<QString, std::size_t> index;
    for (const LayerResult& workload : result.layers) {
        const QString name = QString::fromStdString(workload.layer.empty() ? workload.name : workload.layer);
        if (!index.contains(name)) {
            index.insert(name, layers.size());
            layers.push_back({name});
        }
        LayerPoint* it = &layers[index.value(name)];
        it->ops += 2.0 * static_cast<double>(workload.macs);
        it->seconds += workload.latencyS;
        it->dramBytes += dramBytes(workload);
        if (workload.latencyS > it->boundSeconds) {
            it->boundSeconds = workload.latencyS;
            it->bound = workload.bound.empty() ? QStringLiteral("unknown") : QString::fromStdString(workload.bound);
        }
    }
    return layers;
}

double RooflineChart::dramBytes(const LayerResult& workload)
{
    // A result read from a file older than its operand widths: 8 bits, as it always assumed.
    const int weightBits = workload.weightBits > 0 ? workload.weightBits : 8;
    const int activationBits = workload.activationBits > 0 ? workload.activationBits : 8;
    double bytes = 0;
    for (const OperandAccesses& access : workload.accesses) {
        if (!containsDram(access.level))
            continue;
        const bool weights = !access.operand.empty() && (access.operand[0] == 'w' || access.operand[0] == 'W');
        const double words = static_cast<double>(access.reads + access.fills + access.updates);
        bytes += words * (weights ? weightBits : activationBits) / 8.0;
    }
    return bytes;
}

std::vector<RooflineChart::LayerPoint> RooflineChart::plottable(const NetworkResult& result, Shape& shape, bool& anyDram)
{
    const std::vector<LayerPoint> layers = collect(result);
    std::vector<LayerPoint> plotted;
    anyDram = false;
    for (const LayerPoint& p : layers) {
        anyDram = anyDram || p.dramBytes > 0;
        if (p.ops > 0 && p.seconds > 0 && p.dramBytes > 0)
            plotted.push_back(p);
    }
    shape.layerBounds.clear();
    for (const LayerPoint& p : plotted)
        shape.layerBounds.emplace_back(p.layer, p.bound);
    shape.peak = result.peakOpsPerS;
    shape.bandwidth = result.dramBytesPerS;
    shape.omitted = static_cast<int>(layers.size() - plotted.size());
    return plotted;
}

void RooflineChart::placePoints(const std::vector<LayerPoint>& plotted, const Shape& shape)
{
    points_.clear();
    double xLo = 1e300, xHi = 0, yLo = 1e300, yHi = 0;
    for (const LayerPoint& p : plotted) {
        const QPointF point(p.ops / p.dramBytes, p.ops / p.seconds);
        points_[p.layer] = point;
        xLo = std::min(xLo, point.x());
        xHi = std::max(xHi, point.x());
        yLo = std::min(yLo, point.y());
        yHi = std::max(yHi, point.y());
    }
    if (shape.peak > 0 && shape.bandwidth > 0) {  // show the ridge point
        xLo = std::min(xLo, shape.peak / shape.bandwidth);
        xHi = std::max(xHi, shape.peak / shape.bandwidth);
    }
    if (shape.peak > 0)
        yHi = std::max(yHi, shape.peak);
    std::tie(xLo_, xHi_) = logRange(xLo, xHi, 2.6);
    std::tie(yLo_, yHi_) = logRange(yLo, yHi, 3.2);
}

QString RooflineChart::buildChart(QChart* chart, const NetworkResult& result)
{
    points_.clear();
    seriesLayers_.clear();
    selection_ = nullptr;
    axisX_ = axisY_ = nullptr;
    dramRoof_ = computeRoof_ = nullptr;
    bool anyDram = false;
    const std::vector<LayerPoint> plotted = plottable(result, shape_, anyDram);
    if (plotted.empty()) {
        return anyDram ? tr("No layer has MACs, DRAM traffic and a latency to place on a roofline")
                       : tr("This estimate reports no DRAM accesses per layer: there is no roofline to draw");
    }
    placePoints(plotted, shape_);
    axisX_ = logAxis(tr("ops / DRAM byte"), QStringLiteral("%g"), xLo_, xHi_);
    axisY_ = logAxis(tr("ops/s"), QStringLiteral("%.0g"), yLo_, yHi_);
    chart->addAxis(axisX_, Qt::AlignBottom);
    chart->addAxis(axisY_, Qt::AlignLeft);
    fadeMinorGrid(axisX_);  // after the theme styled the axes
    fadeMinorGrid(axisY_);

    addRoofs(chart, shape_.peak, shape_.bandwidth);
    addLayerPoints(chart, plotted);
    addSelection(chart);

    QString note = tr("%1 layers").arg(plotted.size());
    if (shape_.omitted > 0)
        note += tr("; %1 without MACs, DRAM traffic or time not shown").arg(shape_.omitted);
    chart->setTitle(chartstyle::titleWithNote(tr("Roofline (ops = 2 x dense MACs)"), note));
    return {};
}

bool RooflineChart::updateChart(QChart*, const NetworkResult& result)
{
    if (!axisX_ || !axisY_ || !selection_ || seriesLayers_.empty())
        return false;
    Shape shape;
    bool anyDram = false;
    const std::vector<LayerPoint> plotted = plottable(result, shape, anyDram);
    if (plotted.empty() || !(shape == shape_))
        return false;
    placePoints(plotted, shape);
    // Each change lays the axes out again: change only what moved.
    if (axisX_->min() != xLo_ || axisX_->max() != xHi_ || axisY_->min() != yLo_ || axisY_->max() != yHi_) {
        axisX_->setRange(xLo_, xHi_);
        axisY_->setRange(yLo_, yHi_);
        setRoofPoints(shape.peak, shape.bandwidth);
    }
    // The series are the shown chart's (a new chart refills seriesLayers_).
    for (const auto& [series, layers] : seriesLayers_) {
        QList<QPointF> points;
        for (const QString& layer : layers)
            points.append(points_.at(layer));
        if (points != series->points())
            series->replace(points);
    }
    return true;
}

void RooflineChart::addRoofs(QChart* chart, double peak, double bandwidth)
{
    const auto addLine = [chart](const QString& name, const QColor& color) {
        auto* series = new QLineSeries;
        series->setName(name);
        attach(chart, series);
        series->setPen(QPen(color, 2));
        return series;
    };
    if (bandwidth > 0)
        dramRoof_ = addLine(tr("DRAM roof: %1B/s").arg(units::engineering(bandwidth, QString())),
                            chartstyle::componentColor(QStringLiteral("DRAM")).darker(isDark() ? 100 : 130));
    if (peak > 0)
        computeRoof_ = addLine(tr("compute roof: %1").arg(units::ops(peak)), chart->titleBrush().color());
    setRoofPoints(peak, bandwidth);
}

void RooflineChart::setRoofPoints(double peak, double bandwidth)
{
    const double ridge = bandwidth > 0 && peak > 0 ? std::clamp(peak / bandwidth, xLo_, xHi_) : xLo_;
    if (dramRoof_) {
        const double end = peak > 0 ? ridge : xHi_;
        dramRoof_->replace(QList<QPointF>{{xLo_, bandwidth * xLo_}, {end, bandwidth * end}});
    }
    if (computeRoof_)
        computeRoof_->replace(QList<QPointF>{{ridge, peak}, {xHi_, peak}});
}

void RooflineChart::addLayerPoints(QChart* chart, const std::vector<LayerPoint>& plotted)
{
    QStringList bounds;
    for (const LayerPoint& p : plotted)
        if (!bounds.contains(p.bound))
            bounds.append(p.bound);
    const QList<QColor> colors = chartstyle::componentColors(bounds);
    for (qsizetype b = 0; b < bounds.size(); ++b) {
        auto* series = new QScatterSeries;
        series->setName(tr("bound: %1").arg(bounds[b]));
        series->setMarkerShape(QScatterSeries::MarkerShapeCircle);
        series->setMarkerSize(10);
        QStringList names;
        for (const LayerPoint& p : plotted)
            if (p.bound == bounds[b]) {
                series->append(points_[p.layer]);
                names.append(p.layer);
            }
        attach(chart, series);
        series->setColor(colors[b]);
        series->setBorderColor(colors[b].darker(140));
        seriesLayers_[series] = names;
        connect(series, &QScatterSeries::hovered, this, [this, series](const QPointF& point, bool state) { hover(series, point, state); });
        connect(series, &QScatterSeries::clicked, this, [this, series](const QPointF& point) {
            const QString layer = layerAt(series, point);
            if (!layer.isEmpty())
                emit layerClicked(layer);
        });
    }
}

void RooflineChart::addSelection(QChart* chart)
{
    // A ring with the layer's name around the selected point; not in the legend.
    const QColor ink = chart->titleBrush().color();
    auto* selection = new QScatterSeries;
    selection->setMarkerSize(18);
    selection->setPointLabelsColor(ink);
    selection->setPointLabelsClipping(false);
    attach(chart, selection);
    selection->setPen(QPen(ink, 2));
    selection->setBrush(Qt::NoBrush);
    for (QLegendMarker* marker : chart->legend()->markers(selection))
        marker->setVisible(false);
    selection_ = selection;
}

void RooflineChart::setSelectedLayer(const QString& layer)
{
    ChartView::setSelectedLayer(layer);
    if (!selection_)
        return;
    const auto it = points_.find(layer);
    // A new ring (and label) costs a pass over the scene: keep the one shown when it fits.
    const bool shown = selection_->count() == 1 && selection_->pointLabelsVisible();
    if (it == points_.end() ? selection_->count() == 0
                            : shown && selection_->at(0) == it->second && selection_->pointLabelsFormat() == layer)
        return;
    selection_->clear();
    if (it == points_.end()) {
        selection_->setPointLabelsVisible(false);
        return;
    }
    selection_->append(it->second);
    selection_->setPointLabelsFormat(layer);
    selection_->setPointLabelsVisible(true);
}

QString RooflineChart::layerAt(QScatterSeries* series, const QPointF& point) const
{
    const auto it = seriesLayers_.find(series);
    if (it == seriesLayers_.end())
        return {};
    // The signal passes the series' own point; the nearest in log space covers rounding.
    const QList<QPointF> seriesPoints = series->points();
    qsizetype best = -1;
    double bestDistance = 1e300;
    for (qsizetype i = 0; i < seriesPoints.size(); ++i) {
        const double dx = std::log10(seriesPoints[i].x() / point.x());
        const double dy = std::log10(seriesPoints[i].y() / point.y());
        if (dx * dx + dy * dy < bestDistance) {
            bestDistance = dx * dx + dy * dy;
            best = i;
        }
    }
    return best >= 0 ? it->second.value(best) : QString();
}

void RooflineChart::hover(QScatterSeries* series, const QPointF& point, bool state)
{
    const QString layer = state ? layerAt(series, point) : QString();
    if (layer.isEmpty()) {
        showToolTip({});
        return;
    }
    const QPointF p = points_.at(layer);
    showToolTip(tr("<b>%1</b><br>%2<br>%3 ops / DRAM byte<br>%4")
                    .arg(layer.toHtmlEscaped(), series->name().toHtmlEscaped())
                    .arg(p.x(), 0, 'g', 3)
                    .arg(units::ops(p.y())));
}

}  // namespace cdx
