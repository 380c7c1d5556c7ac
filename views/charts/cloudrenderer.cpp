// ParetoChart's point cloud renderer: disc sprites blended into a premultiplied image, cached
// by the view and the data it shows.
#include "views/charts/cloudrenderer.h"

#include <QColor>
#include <QPaintDevice>
#include <QPainter>

#include <algorithm>
#include <cmath>
#include <utility>

namespace cdx {

namespace {

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

}  // namespace

void CloudRenderer::paint(QPainter* painter, const ParetoPoints::Mapping& m, const std::vector<QPointF>& infeasible,
                          const std::vector<QPointF>& feasible, const QColor& infeasibleColor, const QColor& feasibleColor)
{
    const double ratio = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
    // A hover ring or a tooltip repaints part of the scene: the same view reuses the image.
    const std::array<double, 8> key{m.plot.width(), m.plot.height(), m.x0, m.x1, m.y0, m.y1, ratio, static_cast<double>(version_)};
    if (!image_.isNull() && key == key_) {
        painter->drawImage(m.plot.topLeft(), image_);
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
    splat(discSprite(infeasibleColor, 5.0 * ratio), infeasible, 1);
    splat(discSprite(feasibleColor, 6.0 * ratio), feasible, 2);
    image.setDevicePixelRatio(ratio);
    painter->drawImage(m.plot.topLeft(), image);
    image_ = std::move(image);
    key_ = key;
}

}  // namespace cdx
