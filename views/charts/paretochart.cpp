#include "views/charts/paretochart.h"

#include "views/charts/chartstyle.h"

#include <QChart>
#include <QGraphicsItem>
#include <QGuiApplication>
#include <QKeyEvent>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QLogValueAxis>
#include <QMouseEvent>
#include <QOffscreenSurface>
#include <QOpenGLContext>
#include <QPainter>
#include <QScatterSeries>
#include <QValueAxis>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <functional>
#include <tuple>
#include <utility>

namespace cdx {

namespace {

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

void ParetoChart::setPoints(const std::vector<QPointF>& all, const std::vector<bool>& feasible)
{
    data_.setPoints(all, feasible);
    if (hovered_ >= static_cast<int>(data_.size()))
        setHovered(-1);
    setLogAxes(data_.wantLogX(), data_.wantLogY());  // a new value may rule a log axis out (or back in)
    rebuildCloud();
    rebuildFront();
    if (!userView_)
        fitRanges();
    updateLegend();
}

void ParetoChart::setFront(const std::vector<int>& ids)
{
    data_.setFront(ids);
    rebuildFront();
    updateLegend();
}

void ParetoChart::setDirections(bool maximiseX, bool maximiseY)
{
    data_.setDirections(maximiseX, maximiseY);
    rebuildFront();
}

void ParetoChart::setCurrent(std::optional<QPointF> point)
{
    data_.setCurrent(point);
    setLogAxes(data_.wantLogX(), data_.wantLogY());
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
    if (!data_.setLogAxes(logX, logY))
        return;
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
    axisX_ = make(data_.logX());
    axisY_ = make(data_.logY());
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
    const ParetoPoints::Ranges r = data_.fittedRanges();
    setAxisRange(axisX_, r.x0, r.x1);
    setAxisRange(axisY_, r.y0, r.y1);
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
    data_.rebuildLayers();
    hitIndex_.rebuild();
    cloud_.invalidate();

    const bool gl = openGLAllowed_ && hitIndex_.size() > kOpenGLThreshold && openGLAvailable();
    if (gl) {
        QList<QPointF> feasible, infeasible;
        feasible.reserve(static_cast<qsizetype>(data_.feasibleCount()));
        infeasible.reserve(static_cast<qsizetype>(data_.infeasibleCount()));
        for (const int id : hitIndex_.ids())
            (data_.feasible(id) ? feasible : infeasible).append(data_.at(id));
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
    const ParetoPoints::FrontShape shape = data_.rebuildFront();
    frontSeries_->replace(shape.markers);
    frontLine_->replace(shape.steps);
}

void ParetoChart::rebuildCurrent()
{
    if (data_.current() && data_.drawable(*data_.current()))
        currentSeries_->replace(QList<QPointF>{*data_.current()});
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
    cloud_.invalidate();
    cloudItem_->update();
}

void ParetoChart::setFrontTitle(const QString& title)
{
    frontTitle_ = title;
    updateLegend();
}

void ParetoChart::updateLegend()
{
    infeasibleSeries_->setName(tr("infeasible (%1)").arg(grouped(data_.infeasibleCount())));
    feasibleSeries_->setName(tr("feasible (%1)").arg(grouped(data_.feasibleCount())));
    frontSeries_->setName(tr("%1 (%2)").arg(frontTitle_.isEmpty() ? tr("Pareto front") : frontTitle_,
                                            grouped(static_cast<std::size_t>(frontSeries_->count()))));
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
    return data_.mapping(chart()->plotArea(), axisMin(axisX_), axisMax(axisX_), axisMin(axisY_), axisMax(axisY_));
}

void ParetoChart::paintCloud(QPainter* painter)
{
    if (useOpenGL_ || (data_.feasibleT().empty() && data_.infeasibleT().empty()))
        return;
    const Mapping m = mapping();
    if (!m.valid)
        return;
    cloud_.paint(painter, m, data_.infeasibleT(), data_.feasibleT(), infeasibleSeries_->color(), feasibleSeries_->color());
}

int ParetoChart::pointAt(QPoint viewPos, double radius) const
{
    return hitIndex_.nearest(mapping(), chart()->mapFromScene(mapToScene(viewPos)), radius);
}

void ParetoChart::setHovered(int id)
{
    if (id == hovered_)
        return;
    hovered_ = id;
    if (id >= 0)
        hoverSeries_->replace(QList<QPointF>{data_.at(id)});
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
