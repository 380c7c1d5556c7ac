#include "views/charts/chartexport.h"

#include "views/charts/chartstyle.h"

#include <QChart>
#include <QChartView>
#include <QFileInfo>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QImage>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>

#include <functional>

namespace cdx {

namespace {

constexpr qreal kPngPixelRatio = 2.0;

/// Lays the chart out at `size` for the export and back to its old size afterwards.
class ChartResize {
public:
    ChartResize(QChart* chart, QSizeF size) : chart_(chart), old_(chart->size())
    {
        if (size != old_)
            resize(size);
    }
    ~ChartResize()
    {
        if (chart_->size() != old_)
            resize(old_);
    }
    ChartResize(const ChartResize&) = delete;
    ChartResize& operator=(const ChartResize&) = delete;

private:
    void resize(QSizeF size)
    {
        chart_->resize(size);
        // The layout otherwise waits for the event loop; a second pass settles axes whose
        // labels depend on the plot area (the layer axes thin their labels).
        for (int pass = 0; pass < 3; ++pass)
            chart_->layout()->activate();
    }

    QChart* chart_;
    QSizeF old_;
};

/// Draws the chart's scene rectangle into `target` on `painter`: explicit source and target
/// rectangles, since the defaults draw a quarter into a 2x image.
void drawChart(QChartView* view, QPainter* painter, const QRectF& target)
{
    QChart* chart = view->chart();
    const QRectF source = chart->mapRectToScene(chart->rect());
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setRenderHint(QPainter::TextAntialiasing);
    view->scene()->render(painter, target, source, Qt::KeepAspectRatio);
}

QString cannotWrite(const QString& path, const QString& reason)
{
    return QStringLiteral("cannot write %1: %2").arg(path, reason);
}

QString writePng(QChartView* view, QSaveFile& file, QSizeF size)
{
    QImage image((size * kPngPixelRatio).toSize(), QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(kPngPixelRatio);
    image.fill(Qt::transparent);
    {
        QPainter painter(&image);
        drawChart(view, &painter, QRectF(QPointF(0, 0), size));
    }
    if (!image.save(&file, "PNG"))
        return file.error() == QFileDevice::NoError ? QStringLiteral("PNG encoding failed") : file.errorString();
    return {};
}

QString writeSvg(QChartView* view, QSaveFile& file, QSizeF size)
{
    QSvgGenerator generator;
    generator.setOutputDevice(&file);
    generator.setSize(size.toSize());
    generator.setViewBox(QRectF(QPointF(0, 0), size));
    generator.setResolution(view->logicalDpiX());  // else text comes out at the wrong size
    const QString title = view->chart()->title();
    generator.setTitle(title.isEmpty() ? QStringLiteral("Codesign Explorer chart") : chartstyle::plainTitle(title));
    generator.setDescription(QStringLiteral("Exported by Codesign Explorer"));
    QPainter painter;
    if (!painter.begin(&generator))
        return QStringLiteral("the SVG generator did not start");
    drawChart(view, &painter, QRectF(QPointF(0, 0), size));
    painter.end();
    return {};
}

QString writePdf(QChartView* view, QSaveFile& file, QSizeF size)
{
    QPdfWriter writer(&file);
    writer.setCreator(QStringLiteral("Codesign Explorer"));
    writer.setTitle(chartstyle::plainTitle(view->chart()->title()));
    writer.setResolution(300);
    // A page the shape of the chart, one device-independent pixel to a point: the chart fills it.
    writer.setPageLayout(QPageLayout(QPageSize(size, QPageSize::Point, QString(), QPageSize::ExactMatch),
                                     QPageLayout::Portrait, QMarginsF(0, 0, 0, 0)));
    QPainter painter;
    if (!painter.begin(&writer))
        return QStringLiteral("the PDF writer did not start");
    const QRect page = writer.pageLayout().paintRectPixels(writer.resolution());
    drawChart(view, &painter, QRectF(QPointF(0, 0), QSizeF(page.size())));
    painter.end();
    return {};
}

}  // namespace

QString exportChart(QChartView* view, const QString& path, QSize size)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    std::function<QString(QChartView*, QSaveFile&, QSizeF)> write;
    if (suffix == QLatin1String("png"))
        write = writePng;
    else if (suffix == QLatin1String("svg"))
        write = writeSvg;
    else if (suffix == QLatin1String("pdf"))
        write = writePdf;
    else
        return QStringLiteral("unknown chart format \"%1\": use .png, .svg or .pdf")
            .arg(suffix.isEmpty() ? QString() : QStringLiteral(".") + QFileInfo(path).suffix());
    if (!view || !view->chart())
        return cannotWrite(path, QStringLiteral("there is no chart"));

    const QSizeF chartSize = size.isEmpty() ? view->chart()->size() : QSizeF(size);
    if (chartSize.isEmpty())
        return cannotWrite(path, QStringLiteral("the chart has no size"));

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return cannotWrite(path, file.errorString());
    QString error;
    {
        ChartResize resize(view->chart(), chartSize);
        error = write(view, file, chartSize);
    }
    if (error.isEmpty() && file.error() != QFileDevice::NoError)
        error = file.errorString();
    if (!error.isEmpty()) {
        file.cancelWriting();
        return cannotWrite(path, error);
    }
    if (!file.commit())
        return cannotWrite(path, file.errorString());
    return {};
}

QStringList chartExportFilters()
{
    return {QStringLiteral("PNG image (*.png)"), QStringLiteral("SVG vector image (*.svg)"),
            QStringLiteral("PDF document (*.pdf)")};
}

}  // namespace cdx
