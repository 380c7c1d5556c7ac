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
#include <QRegularExpression>
#include <QScatterSeries>

#include <algorithm>
#include <cmath>
#include <tuple>
#include <utility>
#include <vector>

namespace cdx {

namespace {

int precisionBits(const QString& precision, QChar prefix)
{
    const QRegularExpression pattern(QStringLiteral("(?:^|[\\s,;])%1(\\d+)").arg(prefix));
    const QRegularExpressionMatch match = pattern.match(precision);
    const int bits = match.hasMatch() ? match.captured(1).toInt() : 0;
    return bits > 0 ? bits : 8;
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
    const QString precision = QString::fromStdString(workload.precision);
    const int weightBits = precisionBits(precision, QLatin1Char('w'));
    const int activationBits = precisionBits(precision, QLatin1Char('a'));
    double bytes = 0;
    for (const OperandAccesses& access : workload.accesses) {
        if (!QString::fromStdString(access.level).contains(QLatin1String("dram"), Qt::CaseInsensitive))
            continue;
        const bool weights = QString::fromStdString(access.operand).startsWith(QLatin1Char('w'), Qt::CaseInsensitive);
        const double words = static_cast<double>(access.reads + access.fills + access.updates);
        bytes += words * (weights ? weightBits : activationBits) / 8.0;
    }
    return bytes;
}

QString RooflineChart::buildChart(QChart* chart, const NetworkResult& result)
{
    points_.clear();
    seriesLayers_.clear();
    selection_ = nullptr;
    const std::vector<LayerPoint> layers = collect(result);
    std::vector<LayerPoint> plotted;
    for (const LayerPoint& p : layers)
        if (p.ops > 0 && p.seconds > 0 && p.dramBytes > 0)
            plotted.push_back(p);
    const auto omitted = static_cast<int>(layers.size() - plotted.size());
    if (plotted.empty()) {
        const bool anyDram = std::any_of(layers.begin(), layers.end(), [](const LayerPoint& p) { return p.dramBytes > 0; });
        return anyDram ? tr("No layer has MACs, DRAM traffic and a latency to place on a roofline")
                       : tr("This estimate reports no DRAM accesses per layer: there is no roofline to draw");
    }

    const double peak = result.peakOpsPerS;
    const double bandwidth = result.dramBytesPerS;
    double xLo = 1e300, xHi = 0, yLo = 1e300, yHi = 0;
    for (const LayerPoint& p : plotted) {
        const QPointF point(p.ops / p.dramBytes, p.ops / p.seconds);
        points_[p.layer] = point;
        xLo = std::min(xLo, point.x());
        xHi = std::max(xHi, point.x());
        yLo = std::min(yLo, point.y());
        yHi = std::max(yHi, point.y());
    }
    if (peak > 0 && bandwidth > 0) {  // show the ridge point
        xLo = std::min(xLo, peak / bandwidth);
        xHi = std::max(xHi, peak / bandwidth);
    }
    if (peak > 0)
        yHi = std::max(yHi, peak);
    std::tie(xLo, xHi) = logRange(xLo, xHi, 2.6);
    std::tie(yLo, yHi) = logRange(yLo, yHi, 3.2);
    auto* axisX = logAxis(tr("ops / DRAM byte"), QStringLiteral("%g"), xLo, xHi);
    auto* axisY = logAxis(tr("ops/s"), QStringLiteral("%.0g"), yLo, yHi);
    chart->addAxis(axisX, Qt::AlignBottom);
    chart->addAxis(axisY, Qt::AlignLeft);
    fadeMinorGrid(axisX);  // after the theme styled the axes
    fadeMinorGrid(axisY);

    addRoofs(chart, peak, bandwidth);
    addLayerPoints(chart, plotted);
    addSelection(chart);

    QString note = tr("%1 layers").arg(plotted.size());
    if (omitted > 0)
        note += tr("; %1 without MACs, DRAM traffic or time not shown").arg(omitted);
    chart->setTitle(chartstyle::titleWithNote(tr("Roofline (ops = 2 x dense MACs)"), note));
    return {};
}

void RooflineChart::addRoofs(QChart* chart, double peak, double bandwidth)
{
    const auto* axisX = static_cast<QLogValueAxis*>(chart->axes(Qt::Horizontal).front());
    const double xLo = axisX->min(), xHi = axisX->max();
    const auto addLine = [chart](const QString& name, const QList<QPointF>& line, const QColor& color) {
        auto* series = new QLineSeries;
        series->setName(name);
        series->append(line);
        attach(chart, series);
        series->setPen(QPen(color, 2));
    };
    const double ridge = bandwidth > 0 && peak > 0 ? std::clamp(peak / bandwidth, xLo, xHi) : xLo;
    if (bandwidth > 0) {
        const double end = peak > 0 ? ridge : xHi;
        addLine(tr("DRAM roof: %1B/s").arg(units::engineering(bandwidth, QString())), {{xLo, bandwidth * xLo}, {end, bandwidth * end}},
                chartstyle::componentColor(QStringLiteral("DRAM")).darker(isDark() ? 100 : 130));
    }
    if (peak > 0)
        addLine(tr("compute roof: %1").arg(units::ops(peak)), {{ridge, peak}, {xHi, peak}}, chart->titleBrush().color());
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
    selection_->clear();
    const auto it = points_.find(layer);
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
