#include "views/charts/chartview.h"

#include "estimators/results/networkresult.h"
#include "views/charts/chartexport.h"
#include "views/charts/chartstyle.h"

#include <QAbstractBarSeries>
#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QCursor>
#include <QFontMetricsF>
#include <QGraphicsSimpleTextItem>
#include <QLegend>
#include <QLegendMarker>
#include <QSet>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace cdx {

namespace {

constexpr int kMaxLabelChars = 24;

/// Long exporter names ("/model/layer1/layer1.0/conv1/Conv") keep both ends, stay unique.
QStringList axisLabels(const QStringList& layers)
{
    QStringList labels;
    QSet<QString> used;
    for (const QString& name : layers) {
        QString label = name.size() <= kMaxLabelChars
                            ? name
                            : name.left(kMaxLabelChars / 2 - 1) + QChar(0x2026) + name.right(kMaxLabelChars / 2);
        while (used.contains(label))
            label.append(QChar(0x200B));  // the axis needs unique labels; a zero-width space is invisible
        used.insert(label);
        labels.append(label);
    }
    return labels;
}

}  // namespace

ChartView::ChartView(QWidget* parent) : QChartView(parent), dark_(chartstyle::isDark(palette()))
{
    setRenderHint(QPainter::Antialiasing);
    setRubberBand(QChartView::NoRubberBand);
    setMinimumSize(320, 240);
    rebuild();
}

ChartView::~ChartView() = default;

void ChartView::setResult(const NetworkResult& result)
{
    setResult(std::make_shared<const NetworkResult>(result));
}

void ChartView::setResult(std::shared_ptr<const NetworkResult> result)
{
    if (!result) {
        clearResult();
        return;
    }
    result_ = std::move(result);
    if (placeholder_.isEmpty() && chart() && updateChart(chart(), *result_)) {
        ++updatesInPlace_;
        setSelectedLayer(selectedLayer_);
        return;
    }
    rebuild();
}

bool ChartView::updateChart(QChart*, const NetworkResult&)
{
    return false;
}

void ChartView::clearResult()
{
    result_.reset();
    rebuild();
}

void ChartView::setSelectedLayer(const QString& layer)
{
    selectedLayer_ = layer;
}

void ChartView::setDark(bool dark)
{
    if (dark == dark_)
        return;
    dark_ = dark;
    rebuild();
}

QString ChartView::exportTo(const QString& path, QSize size)
{
    if (!placeholder_.isEmpty())
        return QStringLiteral("cannot write %1: the chart has no data").arg(path);
    return exportChart(this, path, size);
}

void ChartView::rebuild()
{
    layerNames_.clear();
    layerAxis_ = nullptr;
    labelStride_ = 0;
    auto* chart = new QChart;
    chartstyle::applyTheme(chart, dark_);
    QChart* old = this->chart();
    setChart(chart);
    if (old) {
        if (old->scene())
            old->scene()->removeItem(old);
        old->deleteLater();  // a click on it may be what led here
    }

    placeholder_ = result_ ? buildChart(chart, *result_) : tr("No data: estimate the design to see this chart");
    chartstyle::styleAxes(chart);
    placeholderItem_ = new QGraphicsSimpleTextItem(placeholder_, chart);
    QFont font = placeholderItem_->font();
    font.setPointSize(11);
    placeholderItem_->setFont(font);
    placeholderItem_->setBrush(chart->titleBrush());
    placeholderItem_->setVisible(!placeholder_.isEmpty());
    connect(chart, &QChart::geometryChanged, this, &ChartView::placePlaceholder);
    connect(chart, &QChart::geometryChanged, this, &ChartView::fitLegend);
    placePlaceholder();
    fitLegend();
    if (!placeholder_.isEmpty())
        chart->legend()->hide();
    else
        setSelectedLayer(selectedLayer_);
}

void ChartView::placePlaceholder()
{
    if (!placeholderItem_ || !placeholderItem_->isVisible())
        return;
    const QRectF area = chart()->rect();
    const QRectF text = placeholderItem_->boundingRect();
    placeholderItem_->setPos(area.center() - text.center());
}

void ChartView::fitLegend()
{
    // A row at the bottom while the entries fit the width, else a column on the right: Qt
    // would cut every label of a long row to "weight SR...".
    QLegend* legend = chart()->legend();
    if (!legend->isVisible())
        return;
    const QFontMetricsF metrics(legend->font());
    double row = 0;
    for (const QLegendMarker* marker : legend->markers())
        if (marker->isVisible())
            row += metrics.horizontalAdvance(marker->label()) + 2.5 * metrics.height();
    const Qt::Alignment alignment = row > chart()->size().width() - 20 ? Qt::AlignRight : Qt::AlignBottom;
    if (legend->alignment() != alignment)
        legend->setAlignment(alignment);
}

void ChartView::attachLayerAxis(QChart* chart, QAbstractSeries* series, const QStringList& layers)
{
    layerNames_ = layers;
    auto* axis = new QCategoryAxis;
    axis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    axis->setGridLineVisible(false);
    axis->setRange(-0.5, std::max<qsizetype>(layers.size(), 1) - 0.5);
    axis->setStartValue(-0.5);
    chart->addAxis(axis, Qt::AlignBottom);
    series->attachAxis(axis);
    layerAxis_ = axis;
    labelStride_ = 0;
    chartstyle::styleAxes(chart);
    connect(chart, &QChart::plotAreaChanged, this, &ChartView::updateLayerLabels);
    updateLayerLabels();
}

void ChartView::updateLayerLabels()
{
    if (!layerAxis_ || layerNames_.isEmpty())
        return;
    const QStringList labels = axisLabels(layerNames_);
    const QFontMetricsF metrics(layerAxis_->labelsFont());
    double width = chart()->plotArea().width();
    if (width <= 1)
        width = chart()->size().width() - 90;  // not laid out yet: about the y axis less
    const double perLayer = std::max(1.0, width) / static_cast<double>(labels.size());
    double widest = 0;
    for (const QString& label : labels)
        widest = std::max(widest, metrics.horizontalAdvance(label));
    // The axis cuts a label to "..." when it is wider than its share of the axis less 2 x 4 px
    // padding and the text item's margins; an upright label is a line high.
    const bool upright = widest + 12 > perLayer;
    const int stride = upright ? std::max(1, static_cast<int>(std::ceil((metrics.height() + 11) / perLayer))) : 1;
    if (stride == labelStride_ && upright == labelsUpright_)
        return;
    labelStride_ = stride;
    labelsUpright_ = upright;
    for (const QString& label : layerAxis_->categoriesLabels())
        layerAxis_->remove(label);
    for (qsizetype i = 0; i < labels.size(); i += stride)
        layerAxis_->append(labels[i], static_cast<double>(i));
    layerAxis_->setLabelsAngle(upright ? -90 : 0);
}

void ChartView::connectLayerBars(QAbstractBarSeries* series, std::function<QString(int, QBarSet*)> toolTip)
{
    connect(series, &QAbstractBarSeries::clicked, this, [this](int index, QBarSet*) {
        if (index >= 0 && index < layerNames_.size())
            emit layerClicked(layerNames_[index]);
    });
    connect(series, &QAbstractBarSeries::hovered, this, [this, toolTip](bool status, int index, QBarSet* set) {
        showToolTip(status && index >= 0 && index < layerNames_.size() ? toolTip(index, set) : QString());
    });
}

void ChartView::selectLayerBars(QAbstractBarSeries* series, const QString& layer)
{
    if (!series)
        return;
    const int index = static_cast<int>(layerNames_.indexOf(layer));
    for (QBarSet* set : series->barSets()) {
        set->deselectAllBars();
        if (index >= 0)
            set->selectBar(index);
    }
}

void ChartView::showToolTip(const QString& text)
{
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(QCursor::pos(), text, this);
}

}  // namespace cdx
