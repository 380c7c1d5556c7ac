#include "views/charts/heatmapitem.h"

#include <QFont>
#include <QFontMetricsF>
#include <QGraphicsSceneHoverEvent>
#include <QGuiApplication>
#include <QLinearGradient>
#include <QPainter>
#include <QScreen>

#include <algorithm>
#include <cmath>

namespace cdx {

namespace {

constexpr qreal kPad = 4;
constexpr qreal kBarWidth = 14;
constexpr qreal kTickLength = 3;
constexpr qreal kBarGap = 14;         ///< between the grid and the colour bar
constexpr qreal kMaxBarHeight = 320;
constexpr qreal kMaxLabelShare = 0.3;  ///< of the width, for row labels; of the height, for upright column labels

/// A font of `points` at the screen's resolution, set in pixels: the scene is in pixels, and a
/// font in points would be sized again for a PDF writer's 300 dpi.
QFont pixelFont(qreal points, bool bold = false)
{
    const QScreen* screen = QGuiApplication::primaryScreen();
    const qreal dpi = screen ? screen->logicalDotsPerInchY() : 96.0;
    QFont font;
    font.setPixelSize(std::max(1, static_cast<int>(std::lround(points * dpi / 72.0))));
    font.setBold(bold);
    return font;
}

QFont labelFont()
{
    return pixelFont(9);
}

QFont valueFont()
{
    return pixelFont(8.5);
}

/// Black or white, whichever reads better on `background` (by its relative luminance).
QColor textOn(const QColor& background)
{
    const qreal luminance = 0.2126 * background.redF() + 0.7152 * background.greenF() + 0.0722 * background.blueF();
    return luminance > 0.45 ? QColor(Qt::black) : QColor(Qt::white);
}

/// Draws `text` turned to read upwards in a box `length` tall that hangs below `anchor`, centred
/// on its x; along the box, AlignRight puts the text's end at `anchor`.
void drawUpright(QPainter* painter, const QPointF& anchor, qreal length, qreal lineHeight, Qt::Alignment alignment, const QString& text)
{
    painter->save();
    painter->translate(anchor);
    painter->rotate(-90);
    painter->drawText(QRectF(-length, -lineHeight / 2, length, lineHeight), static_cast<int>(alignment | Qt::AlignVCenter), text);
    painter->restore();
}

/// `text` split at the space that best balances the widths of the two lines (one line if none).
QStringList splitInTwo(const QString& text, const QFontMetricsF& fm)
{
    QStringList best{text};
    qreal widest = fm.horizontalAdvance(text);
    for (qsizetype at = text.indexOf(QLatin1Char(' ')); at > 0; at = text.indexOf(QLatin1Char(' '), at + 1)) {
        const QString first = text.left(at), second = text.mid(at + 1);
        const qreal width = std::max(fm.horizontalAdvance(first), fm.horizontalAdvance(second));
        if (width < widest) {
            widest = width;
            best = {first, second};
        }
    }
    return best;
}

}  // namespace

HeatMapItem::HeatMapItem(QGraphicsItem* parent) : QGraphicsItem(parent)
{
    setAcceptHoverEvents(true);
}

void HeatMapItem::setGrid(const QStringList& rows, const QStringList& columns, std::vector<std::optional<Cell>> cells)
{
    rows_ = rows;
    columns_ = columns;
    cells_ = std::move(cells);
    cells_.resize(static_cast<std::size_t>(rows_.size() * columns_.size()));
    relayout();
}

void HeatMapItem::setAxisTitles(const QString& rowTitle, const QString& columnTitle)
{
    rowTitle_ = rowTitle;
    columnTitle_ = columnTitle;
    relayout();
}

void HeatMapItem::setColorBar(ColorBar bar)
{
    bar_ = std::move(bar);
    relayout();
}

void HeatMapItem::setTextColor(const QColor& color)
{
    textColor_ = color;
    update();
}

void HeatMapItem::setArea(const QRectF& area)
{
    if (area == area_)
        return;
    prepareGeometryChange();
    area_ = area;
    relayout();
}

QRectF HeatMapItem::boundingRect() const
{
    return area_;
}

std::optional<std::pair<int, int>> HeatMapItem::cellAt(const QPointF& pos) const
{
    const QRectF& grid = layout_.grid;
    if (rows_.isEmpty() || columns_.isEmpty() || grid.isEmpty() || !grid.contains(pos))
        return std::nullopt;
    const int row = std::clamp(static_cast<int>((pos.y() - grid.top()) / (grid.height() / rows_.size())), 0, static_cast<int>(rows_.size()) - 1);
    const int column = std::clamp(static_cast<int>((pos.x() - grid.left()) / (grid.width() / columns_.size())), 0, static_cast<int>(columns_.size()) - 1);
    return std::make_pair(row, column);
}

QRectF HeatMapItem::cellRect(int row, int column) const
{
    const QRectF& grid = layout_.grid;
    if (rows_.isEmpty() || columns_.isEmpty() || grid.isEmpty())
        return {};
    const qreal w = grid.width() / static_cast<qreal>(columns_.size());
    const qreal h = grid.height() / static_cast<qreal>(rows_.size());
    return QRectF(grid.left() + column * w, grid.top() + row * h, w, h);
}

void HeatMapItem::relayout()
{
    layout_ = Layout{};
    update();
    if (area_.isEmpty() || rows_.isEmpty() || columns_.isEmpty())
        return;
    const QFontMetricsF fm(labelFont());
    const qreal line = fm.height();

    qreal tickWidth = 0;
    for (const auto& [at, label] : bar_.ticks)
        tickWidth = std::max(tickWidth, fm.horizontalAdvance(label));
    // Slack for the PDF and SVG fonts, whose widths differ a little from the screen's.
    const qreal legendWidth = std::max(kBarWidth + kTickLength + kPad + tickWidth, fm.horizontalAdvance(bar_.title)) + 2 * kPad;

    qreal labelWidth = 0;
    for (const QString& row : rows_)
        labelWidth = std::max(labelWidth, fm.horizontalAdvance(row));
    layout_.labelWidth = std::min(labelWidth, kMaxLabelShare * area_.width());
    const qreal rowTitleWidth = rowTitle_.isEmpty() ? 0 : line + 2 * kPad;
    const qreal left = area_.left() + rowTitleWidth + layout_.labelWidth + kPad;
    const qreal right = area_.right() - legendWidth - kBarGap;
    const qreal columnWidth = (right - left) / static_cast<qreal>(columns_.size());

    // Column labels: one word a line while the longest word fits a column, else upright.
    qreal widestWord = 0, widestLabel = 0;
    qsizetype lines = 1;
    for (const QString& column : columns_) {
        const QStringList words = column.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        for (const QString& word : words)
            widestWord = std::max(widestWord, fm.horizontalAdvance(word));
        widestLabel = std::max(widestLabel, fm.horizontalAdvance(column));
        lines = std::max(lines, words.size());
    }
    layout_.columnsUpright = widestWord > columnWidth - kPad;
    if (layout_.columnsUpright) {
        const qreal cap = kMaxLabelShare * area_.height();
        if (widestLabel > cap && columnWidth >= 2 * line) {  // the labels will take two lines (paintColumnLabels)
            widestLabel = 0;
            for (const QString& column : columns_)
                for (const QString& part : fm.horizontalAdvance(column) > cap ? splitInTwo(column, fm) : QStringList{column})
                    widestLabel = std::max(widestLabel, fm.horizontalAdvance(part));
        }
        layout_.columnLabelHeight = std::min(widestLabel, cap);
        layout_.columnStride = std::max(1, static_cast<int>(std::ceil(line / std::max(columnWidth, 1.0))));
    } else {
        layout_.columnLabelHeight = static_cast<qreal>(lines) * line;
    }
    const qreal columnTitleHeight = columnTitle_.isEmpty() ? 0 : line + kPad;
    // Room above the grid for the colour bar's title and half its top tick label.
    const qreal top = area_.top() + 1.5 * line + kPad;
    const qreal bottom = area_.bottom() - columnTitleHeight - layout_.columnLabelHeight - kPad;
    if (right <= left || bottom <= top)
        return;
    layout_.grid = QRectF(QPointF(left, top), QPointF(right, bottom));
    const qreal rowHeight = layout_.grid.height() / static_cast<qreal>(rows_.size());
    layout_.rowStride = std::max(1, static_cast<int>(std::ceil(line / std::max(rowHeight, 1.0))));
    layout_.bar = QRectF(right + kBarGap, top, kBarWidth, std::min(layout_.grid.height(), kMaxBarHeight));
}

void HeatMapItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*)
{
    if (layout_.grid.isEmpty())
        return;
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setRenderHint(QPainter::TextAntialiasing);
    paintCells(painter);
    painter->setPen(textColor_);
    painter->setFont(labelFont());
    paintRowLabels(painter);
    paintColumnLabels(painter);
    paintColorBar(painter);
    painter->restore();
}

void HeatMapItem::paintCells(QPainter* painter) const
{
    const QFont font = valueFont();
    const QFontMetricsF fm(font);
    painter->setFont(font);
    painter->setPen(Qt::NoPen);
    QColor missing = textColor_;
    missing.setAlphaF(0.2f);  // grey on either theme, unlike any colour of a scale
    for (int r = 0; r < rows_.size(); ++r)
        for (int c = 0; c < columns_.size(); ++c) {
            // A one-pixel gap between cells keeps equal colours apart.
            const QRectF rect = cellRect(r, c).adjusted(0.5, 0.5, -0.5, -0.5);
            const auto& cell = cells_[static_cast<std::size_t>(r * columns_.size() + c)];
            painter->fillRect(rect, cell ? cell->color : missing);
            const QString text = cell ? cell->text : QStringLiteral("–");
            if (text.isEmpty() || fm.horizontalAdvance(text) > rect.width() - 2 || fm.height() > rect.height())
                continue;
            painter->setPen(cell ? textOn(cell->color) : textColor_);
            painter->drawText(rect, Qt::AlignCenter, text);
            painter->setPen(Qt::NoPen);
        }
}

void HeatMapItem::paintRowLabels(QPainter* painter) const
{
    const QFontMetricsF fm(labelFont());
    const QRectF& grid = layout_.grid;
    for (int r = 0; r < rows_.size(); r += layout_.rowStride) {
        const QRectF cell = cellRect(r, 0);
        const QRectF box(grid.left() - kPad - layout_.labelWidth, cell.center().y() - fm.height() / 2, layout_.labelWidth, fm.height());
        painter->drawText(box, Qt::AlignRight | Qt::AlignVCenter, fm.elidedText(rows_[r], Qt::ElideMiddle, layout_.labelWidth));
    }
    if (!rowTitle_.isEmpty())
        drawUpright(painter, QPointF(area_.left() + fm.height() / 2, grid.top()), grid.height(), fm.height(),
                    Qt::AlignHCenter, rowTitle_);
}

void HeatMapItem::paintColumnLabels(QPainter* painter) const
{
    const QFontMetricsF fm(labelFont());
    const QRectF& grid = layout_.grid;
    const qreal top = grid.bottom() + kPad;
    for (int c = 0; c < columns_.size(); c += layout_.columnStride) {
        const QRectF cell = cellRect(0, c);
        if (layout_.columnsUpright) {
            // Reads upwards and ends just under its column; a label too long for one line takes
            // two when the column is wide enough, and is elided only past that.
            QStringList lines{columns_[c]};
            if (fm.horizontalAdvance(columns_[c]) > layout_.columnLabelHeight && cell.width() >= 2 * fm.height())
                lines = splitInTwo(columns_[c], fm);
            for (QString& line : lines)
                line = fm.elidedText(line, Qt::ElideMiddle, layout_.columnLabelHeight);
            drawUpright(painter, QPointF(cell.center().x(), top), layout_.columnLabelHeight, fm.height() * static_cast<qreal>(lines.size()),
                        Qt::AlignRight, lines.join(QLatin1Char('\n')));
        } else {
            const QString text = columns_[c].split(QLatin1Char(' '), Qt::SkipEmptyParts).join(QLatin1Char('\n'));
            painter->drawText(QRectF(cell.left(), top, cell.width(), layout_.columnLabelHeight), Qt::AlignHCenter | Qt::AlignTop, text);
        }
    }
    if (!columnTitle_.isEmpty())
        painter->drawText(QRectF(grid.left(), top + layout_.columnLabelHeight + kPad, grid.width(), fm.height()), Qt::AlignCenter,
                          columnTitle_);
}

void HeatMapItem::paintColorBar(QPainter* painter) const
{
    if (bar_.stops.empty())
        return;
    const QFontMetricsF fm(labelFont());
    const QRectF& bar = layout_.bar;
    QLinearGradient gradient(bar.bottomLeft(), bar.topLeft());
    for (const auto& [at, color] : bar_.stops)
        gradient.setColorAt(at, color);
    painter->fillRect(bar, gradient);
    if (!bar_.title.isEmpty())
        painter->drawText(QRectF(bar.left(), bar.top() - 1.5 * fm.height() - kPad, area_.right() - bar.left(), fm.height()),
                          Qt::AlignLeft | Qt::AlignVCenter, bar_.title);
    for (const auto& [at, label] : bar_.ticks) {
        const qreal y = bar.bottom() - at * bar.height();
        painter->drawLine(QPointF(bar.right(), y), QPointF(bar.right() + kTickLength, y));
        const qreal x = bar.right() + kTickLength + kPad;
        painter->drawText(QRectF(x, y - fm.height() / 2, area_.right() - x, fm.height()),
                          Qt::AlignLeft | Qt::AlignVCenter, label);
    }
}

void HeatMapItem::hoverMoveEvent(QGraphicsSceneHoverEvent* event)
{
    const auto cell = cellAt(event->pos());
    const auto& value = cell ? cells_[static_cast<std::size_t>(cell->first * columns_.size() + cell->second)] : std::nullopt;
    setToolTip(value ? value->toolTip : QString());
    QGraphicsItem::hoverMoveEvent(event);
}

}  // namespace cdx
