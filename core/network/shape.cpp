#include "core/network/shape.h"

#include "core/util/checkedmath.h"

namespace cdx {

std::string formatShape(const Shape& shape)
{
    if (shape.empty())
        return "scalar";
    std::string text;
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i > 0)
            text += 'x';
        text += std::to_string(shape[i]);
    }
    return text;
}

Dim elementCount(const Shape& shape)
{
    Dim n = 1;
    for (Dim d : shape)
        n = checkedMul(n, d);
    return n;
}

std::optional<Shape> broadcastShapes(const Shape& a, const Shape& b)
{
    const std::size_t rank = std::max(a.size(), b.size());
    Shape out(rank, 1);
    for (std::size_t i = 0; i < rank; ++i) {
        const Dim da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
        const Dim db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
        if (da != db && da != 1 && db != 1)
            return std::nullopt;
        out[i] = da == 1 ? db : da;
    }
    return out;
}

std::optional<std::size_t> normaliseAxis(Dim axis, std::size_t rank)
{
    const Dim r = static_cast<Dim>(rank);
    if (axis < -r || axis >= r)
        return std::nullopt;
    return static_cast<std::size_t>(axis < 0 ? axis + r : axis);
}

}  // namespace cdx
