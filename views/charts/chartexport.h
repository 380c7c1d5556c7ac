#pragma once

#include <QSize>
#include <QString>
#include <QStringList>

class QChartView;

namespace cdx {

/// Writes the chart of `view` to `path` by its suffix: .png (at twice the pixel density),
/// .svg or .pdf (vector, the page the size of the chart). `size` is the chart's size in
/// device-independent pixels; empty keeps the view's. The file appears atomically (written
/// aside, then renamed over). Returns an empty string on success, else a message naming the
/// path and the reason.
QString exportChart(QChartView* view, const QString& path, QSize size = {});

/// Name filters for a file dialog, PNG first: "PNG image (*.png)", ...
QStringList chartExportFilters();

}  // namespace cdx
