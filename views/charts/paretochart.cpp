#include "views/charts/paretochart.h"

#include "views/charts/chartstyle.h"

#include <QChart>
#include <QGraphicsItem>
#include <QGuiApplication>
#include <QImage>
#include <QKeyEvent>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QLogValueAxis>
#include <QMouseEvent>
#include <QOffscreenSurface>
#include <QOpenGLContext>
#include <QPaintDevice>
#include <QPainter>
#include <QScatterSeries>
#include <QValueAxis>
#include <QWheelEvent>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <tuple>
#include <utility>

namespace cdx {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// Draws the point cloud over the plot area: the owner splats every point into an image.
class CloudItem : public QGraphicsItem {
public:
    CloudItem(QGraphicsItem* parent, std::function<void(QPainter*)> paint)
        : QGraphicsItem(parent), paint_(std::move(paint))
    {
        setAcceptedMouseButtons(Qt::NoButton);
        setAcceptHoverEvents(false);
    }

    void setArea(const QRectF& area)
    {
        if (area == area_)
            return;
        prepareGeometryChange();
        area_ = area;
    }

    QRectF boundingRect() const override { return area_; }

    void paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) override
    {
        paint_(painter);
    }

private:
    std::function<void(QPainter*)> paint_;
    QRectF area_;
};

/// An antialiased disc of `diameter` device pixels, premultiplied.
QImage discSprite(const QColor& color, double diameter)
{
    const int size = static_cast<int>(std::ceil(diameter)) + 1;
    QImage sprite(size, size, QImage::Format_ARGB32_Premultiplied);
    sprite.fill(Qt::transparent);
    QPainter p(&sprite);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    const double offset = (size - diameter) / 2;
    p.drawEllipse(QRectF(offset, offset, diameter, diameter));
    return sprite;
}

/// Source-over of a premultiplied pixel (two channels per multiply).
inline std::uint32_t blend(std::uint32_t src, std::uint32_t dst)
{
    const std::uint32_t inverse = 255 - (src >> 24);
    std::uint32_t rb = (dst & 0x00FF00FFu) * inverse;
    std::uint32_t ag = ((dst >> 8) & 0x00FF00FFu) * inverse;
    rb = ((rb + ((rb >> 8) & 0x00FF00FFu) + 0x00800080u) >> 8) & 0x00FF00FFu;
    ag = (ag + ((ag >> 8) & 0x00FF00FFu) + 0x00800080u) & 0xFF00FF00u;
    return src + (rb | ag);
}

double transformed(double value, bool log)
{
    if (!std::isfinite(value))
        return kNaN;
    if (!log)
        return value;
    return value > 0 ? std::log10(value) : kNaN;
}

double axisMin(const QAbstractAxis* axis)
{
    if (const auto* log = qobject_cast<const QLogValueAxis*>(axis))
        return log->min();
    if (const auto* value = qobject_cast<const QValueAxis*>(axis))
        return value->min();
    return 0;
}

double axisMax(const QAbstractAxis* axis)
{
    if (const auto* log = qobject_cast<const QLogValueAxis*>(axis))
        return log->max();
    if (const auto* value = qobject_cast<const QValueAxis*>(axis))
        return value->max();
    return 1;
}

/// 1, 2 or 5 times a power of ten, near span / 6.
double niceStep(double span)
{
    if (!(span > 0) || !std::isfinite(span))
        return 1;
    const double raw = span / 6;
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    const double fraction = raw / power;
    const double nice = fraction < 1.5 ? 1 : fraction < 3.5 ? 2 : fraction < 7.5 ? 5 : 10;
    return nice * power;
}

/// The narrowest span a linear axis shows: a billionth of its values' magnitude. Qt lays ticks
/// out one interval above the last; an interval below the spacing of doubles there (points
/// whose metric differs only by rounding, or a deep zoom) would never reach the end, and the
/// labels would fill the memory.
double minimumSpan(double min, double max)
{
    return std::max({std::abs(min), std::abs(max), 1e-300}) * 1e-9;
}

/// [min, max] widened about its middle to at least minimumSpan().
std::pair<double, double> widened(double min, double max)
{
    const double span = minimumSpan(min, max);
    if (max - min >= span)
        return {min, max};
    const double mid = min / 2 + max / 2;
    return {mid - span / 2, mid + span / 2};
}

void setAxisRange(QAbstractAxis* axis, double min, double max)
{
    if (auto* log = qobject_cast<QLogValueAxis*>(axis)) {
        log->setRange(min, max);
    } else if (auto* value = qobject_cast<QValueAxis*>(axis)) {
        std::tie(min, max) = widened(min, max);
        // The axis lays out its ticks inside setRange(): a much wider range with the old
        // interval would make (and label) millions of ticks, so a coarser step goes first.
        const double step = niceStep(max - min);
        if (step > value->tickInterval())
            value->setTickInterval(step);
        value->setRange(min, max);
        value->setTickInterval(step);
    }
}

QString grouped(std::size_t n)
{
    return QLocale(QLocale::English, QLocale::UnitedStates).toString(static_cast<qulonglong>(n));
}

void hideLegendMarker(QChart* chart, QAbstractSeries* series, bool hide = true)
{
    for (QLegendMarker* marker : chart->legend()->markers(series))
        marker->setVisible(!hide);
}

}  // namespace

struct ParetoChart::Mapping {
    QRectF plot;
    double x0 = 0, x1 = 1, y0 = 0, y1 = 1;  ///< axis ranges, transformed (log10 on a log axis)
    bool valid = false;

    /// Chart coordinates of a transformed value.
    QPointF toPixel(double tx, double ty) const
    {
        return {plot.left() + (tx - x0) / (x1 - x0) * plot.width(), plot.bottom() - (ty - y0) / (y1 - y0) * plot.height()};
    }
    /// The transformed x value at chart x coordinate `px`.
    double xAt(double px) const { return x0 + (px - plot.left()) / plot.width() * (x1 - x0); }
};

ParetoChart::ParetoChart(QWidget* parent)
    : QChartView(new QChart(), parent)
{
    setRenderHint(QPainter::Antialiasing);
    setRubberBand(QChartView::NoRubberBand);
    setDragMode(QGraphicsView::NoDrag);
    setMouseTracking(true);
    viewport()->setMouseTracking(true);
    setFocusPolicy(Qt::WheelFocus);
    setMinimumSize(320, 240);

    QChart* c = chart();
    chartstyle::applyTheme(c, dark_);
    c->legend()->setAlignment(Qt::AlignBottom);

    infeasibleSeries_ = new QScatterSeries(c);
    feasibleSeries_ = new QScatterSeries(c);
    frontLine_ = new QLineSeries(c);
    frontSeries_ = new QScatterSeries(c);
    currentSeries_ = new QScatterSeries(c);
    hoverSeries_ = new QScatterSeries(c);
    for (QAbstractSeries* s : std::initializer_list<QAbstractSeries*>{infeasibleSeries_, feasibleSeries_, frontLine_, frontSeries_, currentSeries_, hoverSeries_})
        c->addSeries(s);
    frontSeries_->setName(tr("Pareto front"));
    currentSeries_->setName(tr("current design"));
    currentSeries_->setMarkerShape(QScatterSeries::MarkerShapeStar);
    currentSeries_->setMarkerSize(22);
    hoverSeries_->setMarkerShape(QScatterSeries::MarkerShapeCircle);
    hoverSeries_->setMarkerSize(16);
    frontSeries_->setMarkerSize(9);
    infeasibleSeries_->setMarkerSize(6);
    feasibleSeries_->setMarkerSize(6);

    auto* cloud = new CloudItem(c, [this](QPainter* painter) { paintCloud(painter); });
    // Above the grid and the axes, below every series (ChartPresenter's SeriesZValue is 4).
    cloud->setZValue(3.5);
    cloudItem_ = cloud;
    connect(c, &QChart::plotAreaChanged, this, [this](const QRectF& area) {
        static_cast<CloudItem*>(cloudItem_)->setArea(area);
        cloudItem_->update();
    });

    buildAxes();
    applyColors();
    updateLegend();
}

ParetoChart::~ParetoChart() = default;

bool ParetoChart::openGLAvailable()
{
    static const bool available = [] {
        if (qEnvironmentVariableIsSet("CDX_NO_OPENGL"))
            return false;
        // QChartView draws OpenGL series in a QOpenGLWidget: without a context (offscreen and
        // minimal platforms, no driver) that widget fails and flushing the window crashes.
        QOpenGLContext context;
        if (!context.create())
            return false;
        QOffscreenSurface surface;
        surface.setFormat(context.format());
        surface.create();
        const bool current = surface.isValid() && context.makeCurrent(&surface);
        if (current)
            context.doneCurrent();
        return current;
    }();
    return available;
}

void ParetoChart::setOpenGLAllowed(bool allowed)
{
    if (openGLAllowed_ == allowed)
        return;
    openGLAllowed_ = allowed;
    rebuildCloud();
}

bool ParetoChart::usesOpenGL() const
{
    return useOpenGL_;
}

bool ParetoChart::drawable(QPointF p) const
{
    return std::isfinite(transformed(p.x(), logX_)) && std::isfinite(transformed(p.y(), logY_));
}

void ParetoChart::setPoints(const std::vector<QPointF>& all, const std::vector<bool>& feasible)
{
    points_ = all;
    feasible_ = feasible;
    feasible_.resize(points_.size(), false);
    if (hovered_ >= static_cast<int>(points_.size()))
        setHovered(-1);
    setLogAxes(wantLogX_, wantLogY_);  // a new value may rule a log axis out (or back in)
    rebuildCloud();
    rebuildFront();
    if (!userView_)
        fitRanges();
    updateLegend();
}

void ParetoChart::setFront(const std::vector<int>& ids)
{
    front_ = ids;
    rebuildFront();
    updateLegend();
}

void ParetoChart::setDirections(bool maximiseX, bool maximiseY)
{
    maximiseX_ = maximiseX;
    maximiseY_ = maximiseY;
    rebuildFront();
}

void ParetoChart::setCurrent(std::optional<QPointF> point)
{
    current_ = point;
    setLogAxes(wantLogX_, wantLogY_);
    rebuildCurrent();
    updateLegend();
}

void ParetoChart::setAxisTitles(const QString& x, const QString& y)
{
    titleX_ = x;
    titleY_ = y;
    axisX_->setTitleText(x);
    axisY_->setTitleText(y);
}

void ParetoChart::setLogAxes(bool logX, bool logY)
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
        return;
    logX_ = effectiveX;
    logY_ = effectiveY;
    buildAxes();
    rebuildCloud();
    rebuildFront();
    rebuildCurrent();
    fitRanges();
}

void ParetoChart::setDark(bool dark)
{
    if (dark == dark_)
        return;
    dark_ = dark;
    chartstyle::applyTheme(chart(), dark_);  // resets the series' colours and the axes' fonts
    applyColors();
    chartstyle::styleAxes(chart());
    updateLegend();
    cloudItem_->update();
}

void ParetoChart::buildAxes()
{
    QChart* c = chart();
    const QList<QAbstractSeries*> series = c->series();
    for (QAbstractAxis* axis : {axisX_, axisY_}) {
        if (!axis)
            continue;
        c->removeAxis(axis);
        delete axis;
    }
    auto make = [this](bool log) -> QAbstractAxis* {
        if (log) {
            auto* axis = new QLogValueAxis();
            axis->setBase(10);
            axis->setLabelFormat(QStringLiteral("%g"));
            axis->setMinorTickCount(8);
            connect(axis, &QLogValueAxis::rangeChanged, this, [this] { cloudItem_->update(); });
            return axis;
        }
        auto* axis = new QValueAxis();
        axis->setLabelFormat(QStringLiteral("%g"));
        axis->setTickInterval(niceStep(axis->max() - axis->min()));
        axis->setTickType(QValueAxis::TicksDynamic);
        axis->setTickAnchor(0);
        connect(axis, &QValueAxis::rangeChanged, this, [this] {
            updateTicks();
            cloudItem_->update();
        });
        return axis;
    };
    axisX_ = make(logX_);
    axisY_ = make(logY_);
    c->addAxis(axisX_, Qt::AlignBottom);
    c->addAxis(axisY_, Qt::AlignLeft);
    for (QAbstractSeries* s : series) {
        s->attachAxis(axisX_);
        s->attachAxis(axisY_);
    }
    axisX_->setTitleText(titleX_);
    axisY_->setTitleText(titleY_);
    applyColors();  // grid and label colours of the new axes
    chartstyle::styleAxes(c);
}

void ParetoChart::updateTicks()
{
    for (QAbstractAxis* axis : {axisX_, axisY_})
        if (auto* value = qobject_cast<QValueAxis*>(axis)) {
            if (const auto [min, max] = widened(value->min(), value->max()); min != value->min() || max != value->max()) {
                setAxisRange(value, min, max);  // zoomed in too far: back to the narrowest span (this runs again)
                continue;
            }
            const double step = niceStep(value->max() - value->min());
            if (value->tickInterval() != step)
                value->setTickInterval(step);
        }
}

void ParetoChart::fitRanges()
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
    double x0, x1, y0, y1;
    range(minX, maxX, logX_, &x0, &x1);
    range(minY, maxY, logY_, &y0, &y1);
    // A linear axis of positive values starts at zero when that costs little room.
    if (!logX_ && minX >= 0 && x0 < 0)
        x0 = 0;
    if (!logY_ && minY >= 0 && y0 < 0)
        y0 = 0;
    setAxisRange(axisX_, x0, x1);
    setAxisRange(axisY_, y0, y1);
    updateTicks();
    cloudItem_->update();
}

void ParetoChart::resetView()
{
    userView_ = false;
    chart()->zoomReset();
    fitRanges();
}

void ParetoChart::markUserView()
{
    userView_ = true;
}

void ParetoChart::rebuildCloud()
{
    byX_.clear();
    feasibleT_.clear();
    infeasibleT_.clear();
    for (std::size_t i = 0; i < points_.size(); ++i) {
        const QPointF t(transformed(points_[i].x(), logX_), transformed(points_[i].y(), logY_));
        if (!std::isfinite(t.x()) || !std::isfinite(t.y()))
            continue;
        byX_.push_back(static_cast<int>(i));
        (feasible_[i] ? feasibleT_ : infeasibleT_).push_back(t);
    }
    feasibleCount_ = feasibleT_.size();
    infeasibleCount_ = infeasibleT_.size();
    ++cloudVersion_;
    std::sort(byX_.begin(), byX_.end(), [this](int a, int b) { return points_[static_cast<std::size_t>(a)].x() < points_[static_cast<std::size_t>(b)].x(); });

    const bool gl = openGLAllowed_ && byX_.size() > kOpenGLThreshold && openGLAvailable();
    if (gl) {
        QList<QPointF> feasible, infeasible;
        feasible.reserve(static_cast<qsizetype>(feasibleCount_));
        infeasible.reserve(static_cast<qsizetype>(infeasibleCount_));
        for (const int id : byX_)
            (feasible_[static_cast<std::size_t>(id)] ? feasible : infeasible).append(points_[static_cast<std::size_t>(id)]);
        infeasibleSeries_->setUseOpenGL(true);
        feasibleSeries_->setUseOpenGL(true);
        infeasibleSeries_->replace(infeasible);
        feasibleSeries_->replace(feasible);
    } else if (useOpenGL_ || infeasibleSeries_->count() > 0 || feasibleSeries_->count() > 0) {
        infeasibleSeries_->clear();
        feasibleSeries_->clear();
        infeasibleSeries_->setUseOpenGL(false);
        feasibleSeries_->setUseOpenGL(false);
    }
    // QChartView draws OpenGL series in a widget above the scene: the front must be drawn there
    // too, or the cloud hides it.
    frontSeries_->setUseOpenGL(gl);
    frontLine_->setUseOpenGL(gl);
    useOpenGL_ = gl;
    cloudItem_->setVisible(!gl);
    cloudItem_->update();
}

void ParetoChart::rebuildFront()
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
    QList<QPointF> markers(front.begin(), front.end());
    std::vector<QPointF> best;
    for (const QPointF& p : front)
        if (best.empty() || sy * p.y() < sy * best.back().y())
            best.push_back(p);
    QList<QPointF> steps;
    for (std::size_t i = 0; i < best.size(); ++i) {
        if (i > 0)
            steps.append(QPointF(best[i].x(), best[i - 1].y()));
        steps.append(best[i]);
    }
    frontSeries_->replace(markers);
    frontLine_->replace(steps);
}

void ParetoChart::rebuildCurrent()
{
    if (current_ && drawable(*current_))
        currentSeries_->replace(QList<QPointF>{*current_});
    else
        currentSeries_->clear();
}

void ParetoChart::applyColors()
{
    const QColor infeasible = dark_ ? QColor(150, 150, 150, 120) : QColor(140, 140, 140, 110);
    const QColor feasible = dark_ ? QColor(0x4E79A7).lighter(140) : QColor(0x4E79A7);
    const QColor front = dark_ ? QColor(0xFFA64D) : QColor(0xF28E2B);
    const QColor frontBorder = dark_ ? QColor(0xFFE3C2) : QColor(0x8A4300);
    const QColor ink = dark_ ? QColor(0xF2F2F2) : QColor(0x1A1A1A);
    const QColor paper = dark_ ? QColor(0x1A1A1A) : QColor(0xFFFFFF);

    infeasibleSeries_->setColor(infeasible);
    infeasibleSeries_->setBorderColor(infeasible);
    infeasibleSeries_->setPen(Qt::NoPen);
    feasibleSeries_->setColor(feasible);
    feasibleSeries_->setBorderColor(feasible);
    feasibleSeries_->setPen(Qt::NoPen);
    frontSeries_->setColor(front);
    frontSeries_->setPen(QPen(frontBorder, 1.2));
    QPen line(front, 1.6);
    line.setCosmetic(true);
    frontLine_->setPen(line);
    currentSeries_->setColor(ink);
    currentSeries_->setPen(QPen(paper, 1.5));
    hoverSeries_->setBrush(Qt::NoBrush);
    hoverSeries_->setPen(QPen(ink, 2));

    const QColor label = dark_ ? QColor(0xD8D8D8) : QColor(0x303030);
    const QColor grid = dark_ ? QColor(0x4A4A4A) : QColor(0xDCDCDC);
    const QColor minor = dark_ ? QColor(0x383838) : QColor(0xEEEEEE);
    for (QAbstractAxis* axis : {axisX_, axisY_}) {
        if (!axis)
            continue;
        axis->setLabelsColor(label);
        axis->setTitleBrush(label);
        axis->setGridLineColor(grid);
        axis->setMinorGridLineColor(minor);
    }
    chart()->legend()->setLabelColor(label);
    ++cloudVersion_;
    cloudItem_->update();
}

void ParetoChart::updateLegend()
{
    infeasibleSeries_->setName(tr("infeasible (%1)").arg(grouped(infeasibleCount_)));
    feasibleSeries_->setName(tr("feasible (%1)").arg(grouped(feasibleCount_)));
    frontSeries_->setName(tr("Pareto front (%1)").arg(grouped(static_cast<std::size_t>(frontSeries_->count()))));
    QChart* c = chart();
    hideLegendMarker(c, frontLine_);
    hideLegendMarker(c, hoverSeries_);
    hideLegendMarker(c, currentSeries_, currentSeries_->count() == 0);
    // The legend markers draw the series' brushes: a dot, not the faint cloud colour, reads better.
    for (QLegendMarker* marker : c->legend()->markers(infeasibleSeries_))
        marker->setPen(Qt::NoPen);
}

ParetoChart::Mapping ParetoChart::mapping() const
{
    Mapping m;
    m.plot = chart()->plotArea();
    m.x0 = transformed(axisMin(axisX_), logX_);
    m.x1 = transformed(axisMax(axisX_), logX_);
    m.y0 = transformed(axisMin(axisY_), logY_);
    m.y1 = transformed(axisMax(axisY_), logY_);
    m.valid = m.plot.width() > 1 && m.plot.height() > 1 && std::isfinite(m.x0) && std::isfinite(m.x1) && std::isfinite(m.y0) &&
              std::isfinite(m.y1) && m.x1 > m.x0 && m.y1 > m.y0;
    return m;
}

void ParetoChart::paintCloud(QPainter* painter)
{
    if (useOpenGL_ || (feasibleT_.empty() && infeasibleT_.empty()))
        return;
    const Mapping m = mapping();
    if (!m.valid)
        return;
    const double ratio = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
    // A hover ring or a tooltip repaints part of the scene: the same view reuses the image.
    const std::array<double, 8> key{m.plot.width(), m.plot.height(), m.x0, m.x1, m.y0, m.y1, ratio, static_cast<double>(cloudVersion_)};
    if (!cloudImage_.isNull() && key == cloudKey_) {
        painter->drawImage(m.plot.topLeft(), cloudImage_);
        return;
    }
    const int width = static_cast<int>(std::ceil(m.plot.width() * ratio));
    const int height = static_cast<int>(std::ceil(m.plot.height() * ratio));
    QImage image(width, height, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    std::vector<std::uint8_t> taken(static_cast<std::size_t>(width) * static_cast<std::size_t>(height), 0);
    auto* bits = reinterpret_cast<std::uint32_t*>(image.bits());
    const qsizetype stride = image.bytesPerLine() / 4;

    const double sx = width / (m.x1 - m.x0);
    const double sy = height / (m.y1 - m.y0);
    auto splat = [&](const QImage& sprite, const std::vector<QPointF>& layer, std::uint8_t mark) {
        const int size = sprite.width();
        const int half = size / 2;
        const auto* src = reinterpret_cast<const std::uint32_t*>(sprite.constBits());
        const qsizetype srcStride = sprite.bytesPerLine() / 4;
        for (const QPointF& t : layer) {
            const double fx = (t.x() - m.x0) * sx;
            const double fy = (m.y1 - t.y()) * sy;
            if (!(fx >= 0 && fy >= 0 && fx < width && fy < height))
                continue;
            const int cx = static_cast<int>(fx);
            const int cy = static_cast<int>(fy);
            std::uint8_t& seen = taken[static_cast<std::size_t>(cy) * static_cast<std::size_t>(width) + static_cast<std::size_t>(cx)];
            if (seen == mark)
                continue;  // a point of this layer was drawn on this pixel already
            seen = mark;
            const int left = cx - half, top = cy - half;
            const int x0 = std::max(0, -left), x1 = std::min(size, width - left);
            const int y0 = std::max(0, -top), y1 = std::min(size, height - top);
            for (int y = y0; y < y1; ++y) {
                std::uint32_t* row = bits + (top + y) * stride + left;
                const std::uint32_t* srow = src + y * srcStride;
                for (int x = x0; x < x1; ++x) {
                    const std::uint32_t pixel = srow[x];
                    if (pixel >= 0xFF000000u)
                        row[x] = pixel;
                    else if (pixel != 0)
                        row[x] = blend(pixel, row[x]);
                }
            }
        }
    };
    splat(discSprite(infeasibleSeries_->color(), 5.0 * ratio), infeasibleT_, 1);
    splat(discSprite(feasibleSeries_->color(), 6.0 * ratio), feasibleT_, 2);
    image.setDevicePixelRatio(ratio);
    painter->drawImage(m.plot.topLeft(), image);
    cloudImage_ = std::move(image);
    cloudKey_ = key;
}

int ParetoChart::pointAt(QPoint viewPos, double radius) const
{
    const Mapping m = mapping();
    if (!m.valid || byX_.empty())
        return -1;
    const QPointF c = chart()->mapFromScene(mapToScene(viewPos));
    if (!m.plot.adjusted(-radius, -radius, radius, radius).contains(c))
        return -1;
    // The x window of `radius` pixels, back in data values.
    const double lo = m.xAt(c.x() - radius);
    const double hi = m.xAt(c.x() + radius);
    const double loValue = logX_ ? std::pow(10.0, lo) : lo;
    const double hiValue = logX_ ? std::pow(10.0, hi) : hi;
    auto first = std::lower_bound(byX_.begin(), byX_.end(), loValue,
                                  [this](int id, double v) { return points_[static_cast<std::size_t>(id)].x() < v; });
    // The nearest point, front points (drawn larger, on top) and then feasible ones first.
    auto bonus = [this](int id) { return onFront_[static_cast<std::size_t>(id)] ? 3.0 : feasible_[static_cast<std::size_t>(id)] ? 0.5 : 0.0; };
    int best = -1;
    double bestScore = std::numeric_limits<double>::infinity();
    for (auto it = first; it != byX_.end(); ++it) {
        const QPointF& p = points_[static_cast<std::size_t>(*it)];
        if (p.x() > hiValue)
            break;
        const QPointF pixel = m.toPixel(transformed(p.x(), logX_), transformed(p.y(), logY_));
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

void ParetoChart::setHovered(int id)
{
    if (id == hovered_)
        return;
    hovered_ = id;
    if (id >= 0)
        hoverSeries_->replace(QList<QPointF>{points_[static_cast<std::size_t>(id)]});
    else
        hoverSeries_->clear();
    emit pointHovered(id);
}

void ParetoChart::panBy(QPointF pixels)
{
    if (pixels.isNull())
        return;
    chart()->scroll(-pixels.x(), pixels.y());
    markUserView();
}

void ParetoChart::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton || event->button() == Qt::MiddleButton) {
        pressed_ = true;
        dragging_ = false;
        pressPos_ = event->position().toPoint();
        lastPos_ = pressPos_;
        event->accept();
        return;
    }
    QChartView::mousePressEvent(event);
}

void ParetoChart::mouseMoveEvent(QMouseEvent* event)
{
    const QPoint pos = event->position().toPoint();
    if (pressed_) {
        if (!dragging_ && (pos - pressPos_).manhattanLength() > 3) {
            dragging_ = true;
            setCursor(Qt::ClosedHandCursor);
            setHovered(-1);
        }
        if (dragging_) {
            panBy(QPointF(pos - lastPos_));
            lastPos_ = pos;
        }
        event->accept();
        return;
    }
    setHovered(pointAt(pos));
    event->accept();
}

void ParetoChart::mouseReleaseEvent(QMouseEvent* event)
{
    if (!pressed_) {
        QChartView::mouseReleaseEvent(event);
        return;
    }
    const bool wasDrag = dragging_;
    pressed_ = false;
    dragging_ = false;
    unsetCursor();
    if (!wasDrag && !suppressClick_ && event->button() == Qt::LeftButton) {
        const int id = pointAt(event->position().toPoint());
        if (id >= 0)
            emit pointClicked(id);
    }
    suppressClick_ = false;
    setHovered(pointAt(event->position().toPoint()));
    event->accept();
}

void ParetoChart::mouseDoubleClickEvent(QMouseEvent* event)
{
    resetView();
    suppressClick_ = true;  // the release that follows is not a click on a point
    pressed_ = true;
    dragging_ = false;
    pressPos_ = event->position().toPoint();
    lastPos_ = pressPos_;
    event->accept();
}

void ParetoChart::wheelEvent(QWheelEvent* event)
{
    const int delta = event->angleDelta().y() != 0 ? event->angleDelta().y() : event->angleDelta().x();
    const QRectF area = chart()->plotArea();
    if (delta == 0 || area.width() < 1 || area.height() < 1) {
        event->ignore();
        return;
    }
    const double factor = std::pow(1.2, delta / 120.0);
    QPointF c = chart()->mapFromScene(mapToScene(event->position().toPoint()));
    c.setX(std::clamp(c.x(), area.left(), area.right()));
    c.setY(std::clamp(c.y(), area.top(), area.bottom()));
    const double fx = event->modifiers() & Qt::ControlModifier ? 1.0 : factor;
    const double fy = event->modifiers() & Qt::ShiftModifier ? 1.0 : factor;
    const QRectF zoomed(c.x() - (c.x() - area.left()) / fx, c.y() - (c.y() - area.top()) / fy, area.width() / fx, area.height() / fy);
    chart()->zoomIn(zoomed);
    markUserView();
    setHovered(pointAt(event->position().toPoint()));
    event->accept();
}

void ParetoChart::keyPressEvent(QKeyEvent* event)
{
    if (event->key() == Qt::Key_R && !(event->modifiers() & (Qt::ControlModifier | Qt::AltModifier))) {
        resetView();
        event->accept();
        return;
    }
    QChartView::keyPressEvent(event);
}

void ParetoChart::leaveEvent(QEvent* event)
{
    setHovered(-1);
    QChartView::leaveEvent(event);
}

}  // namespace cdx
