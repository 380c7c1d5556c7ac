#include "views/charts/sweepchart.h"

#include "views/charts/chartstyle.h"

#include <QCategoryAxis>
#include <QChart>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace cdx {

SweepChart::SweepChart(QWidget* parent) : QChartView(parent)
{
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(320, 240);
    rebuild();
}

void SweepChart::setSweep(const QString& axisTitle, const QString& metricTitle, const std::vector<Point>& points, bool maximise, bool logY)
{
    axisTitle_ = axisTitle;
    metricTitle_ = metricTitle;
    points_ = points;
    maximise_ = maximise;
    logY_ = logY;
    rebuild();
}

void SweepChart::setDark(bool dark)
{
    dark_ = dark;
    rebuild();
}

void SweepChart::rebuild()
{
    auto* chart = new QChart;
    chartstyle::applyTheme(chart, dark_);
    QChart* old = this->chart();
    setChart(chart);
    if (old)
        old->deleteLater();
    values_.clear();
    if (points_.empty()) {
        chart->setTitle(tr("No explored points"));
        return;
    }

    // x positions: the numbers themselves when every value is one, else categories 0, 1, ...
    bool numeric = true;
    for (const Point& p : points_) {
        bool ok = false;
        p.axisValue.toDouble(&ok);
        numeric = numeric && ok;
    }
    std::map<QString, double> position;
    if (numeric) {
        std::vector<std::pair<double, QString>> sorted;
        for (const Point& p : points_)
            if (!position.count(p.axisValue)) {
                position[p.axisValue] = p.axisValue.toDouble();
                sorted.emplace_back(p.axisValue.toDouble(), p.axisValue);
            }
        std::sort(sorted.begin(), sorted.end());
        for (const auto& [x, label] : sorted)
            values_.append(label);
    } else {
        for (const Point& p : points_)
            if (!position.count(p.axisValue)) {
                position[p.axisValue] = static_cast<double>(values_.size());
                values_.append(p.axisValue);
            }
    }

    bool positive = true;
    for (const Point& p : points_)
        positive = positive && p.metric > 0;
    const bool logY = logY_ && positive;

    auto* all = new QScatterSeries;
    all->setName(tr("explored points"));
    all->setMarkerSize(5);
    all->setBorderColor(Qt::transparent);
    all->setColor(dark_ ? QColor(150, 150, 160, 110) : QColor(110, 110, 120, 90));
    std::map<double, double> best;
    for (const Point& p : points_) {
        if (!std::isfinite(p.metric))
            continue;
        const double x = position.at(p.axisValue);
        all->append(x, p.metric);
        if (!p.feasible)
            continue;
        auto it = best.find(x);
        if (it == best.end())
            best.emplace(x, p.metric);
        else
            it->second = maximise_ ? std::max(it->second, p.metric) : std::min(it->second, p.metric);
    }
    auto* line = new QLineSeries;
    line->setName(maximise_ ? tr("best (largest) feasible") : tr("best (smallest) feasible"));
    QPen pen(chartstyle::componentColor(QStringLiteral("mac")));
    pen.setWidthF(2.2);
    line->setPen(pen);
    auto* marks = new QScatterSeries;
    marks->setMarkerSize(9);
    marks->setColor(pen.color());
    marks->setBorderColor(pen.color());
    for (const auto& [x, y] : best) {
        line->append(x, y);
        marks->append(x, y);
    }
    chart->addSeries(all);
    chart->addSeries(line);
    chart->addSeries(marks);

    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const Point& p : points_)
        if (std::isfinite(p.metric)) {
            lo = std::min(lo, p.metric);
            hi = std::max(hi, p.metric);
        }
    QAbstractAxis* yAxis = nullptr;
    if (logY) {
        auto* axis = new QLogValueAxis;
        axis->setBase(10);
        axis->setLabelFormat(QStringLiteral("%.3g"));
        axis->setRange(lo / 1.3, hi * 1.3);
        yAxis = axis;
    } else {
        auto* axis = new QValueAxis;
        const double pad = hi > lo ? (hi - lo) * 0.08 : std::max(1e-12, std::abs(hi) * 0.1);
        axis->setRange(lo - pad, hi + pad);
        axis->applyNiceNumbers();
        axis->setLabelFormat(QStringLiteral("%.5g"));
        yAxis = axis;
    }
    yAxis->setTitleText(metricTitle_);
    // The axis values themselves as the ticks (a value axis would label 2.6, 10.3, ...).
    auto* xAxis = new QCategoryAxis;
    xAxis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    for (const QString& value : values_)
        xAxis->append(value, position.at(value));
    const double x0 = position.at(values_.front()), x1 = position.at(values_.back());
    const double xPad = numeric ? (x1 > x0 ? (x1 - x0) * 0.05 : 1) : 0.5;
    xAxis->setRange(x0 - xPad, x1 + xPad);
    xAxis->setTitleText(axisTitle_);
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    for (QAbstractSeries* s : chart->series()) {
        s->attachAxis(xAxis);
        s->attachAxis(yAxis);
    }
    chart->legend()->markers(marks).value(0)->setVisible(false);
    chart->setTitle(chartstyle::titleWithNote(tr("%1 over %2").arg(metricTitle_, axisTitle_),
                                              tr("%1 points; the line joins the best feasible value at each %2").arg(points_.size()).arg(axisTitle_)));
    chartstyle::styleAxes(chart);
}

}  // namespace cdx
