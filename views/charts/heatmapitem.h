#pragma once

#include <QColor>
#include <QGraphicsItem>
#include <QRectF>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>
#include <vector>

namespace cdx {

/// A grid of coloured cells with row and column labels, axis titles and a colour bar, painted
/// into a rectangle of a chart's scene (Qt Charts has no heat-map series). Everything is drawn
/// with QPainter primitives, so SVG and PDF exports stay vector. Text that does not fit is left
/// out rather than overlapped: a cell too small for its value shows only its colour, rows too
/// thin for their names label every Nth, column labels wrap at spaces and turn upright when
/// even their longest word is wider than a column. Hovering a cell shows its tool tip.
class HeatMapItem : public QGraphicsItem {
public:
    struct Cell {
        QColor color;
        QString text;     ///< written in the cell when it fits
        QString toolTip;  ///< rich text
    };
    /// The colour bar: colours at positions 0 (bottom) to 1 (top), and labelled ticks.
    struct ColorBar {
        QString title;
        std::vector<std::pair<qreal, QColor>> stops;
        std::vector<std::pair<qreal, QString>> ticks;
    };

    explicit HeatMapItem(QGraphicsItem* parent = nullptr);

    /// `cells` holds rows.size() x columns.size() entries, row after row; an empty entry is a
    /// cell with no value (drawn hatched).
    void setGrid(const QStringList& rows, const QStringList& columns, std::vector<std::optional<Cell>> cells);
    void setAxisTitles(const QString& rowTitle, const QString& columnTitle);
    void setColorBar(ColorBar bar);
    /// The colour of labels and titles (the chart theme's).
    void setTextColor(const QColor& color);
    /// The rectangle to draw in, in the parent's coordinates (the chart's plot area).
    void setArea(const QRectF& area);

    /// The cell under `pos` (item coordinates) as (row, column), if any.
    std::optional<std::pair<int, int>> cellAt(const QPointF& pos) const;
    /// The rectangle of a cell in item coordinates (empty before the first layout).
    QRectF cellRect(int row, int column) const;

    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

protected:
    void hoverMoveEvent(QGraphicsSceneHoverEvent* event) override;

private:
    /// Where everything goes for the current area; worked out again on each change.
    struct Layout {
        QRectF grid;
        qreal labelWidth = 0;       ///< of the row labels, right-aligned against the grid
        qreal columnLabelHeight = 0;
        bool columnsUpright = false;
        int rowStride = 1, columnStride = 1;
        QRectF bar;                 ///< the colour bar
    };

    void relayout();
    void paintRowLabels(QPainter* painter) const;
    void paintColumnLabels(QPainter* painter) const;
    void paintCells(QPainter* painter) const;
    void paintColorBar(QPainter* painter) const;

    QStringList rows_, columns_;
    std::vector<std::optional<Cell>> cells_;
    QString rowTitle_, columnTitle_;
    ColorBar bar_;
    QColor textColor_ = Qt::black;
    QRectF area_;
    Layout layout_;
};

}  // namespace cdx
