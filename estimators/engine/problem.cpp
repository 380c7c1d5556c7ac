#include "estimators/engine/problem.h"

#include "core/util/checkedmath.h"

namespace cdx {

int Problem::dimIndex(std::string_view dimName) const
{
    for (int i = 0; i < dims(); ++i)
        if (dimNames[static_cast<std::size_t>(i)] == dimName)
            return i;
    return -1;
}

int Problem::dataSpaceIndex(std::string_view spaceName) const
{
    for (int i = 0; i < dataSpaceCount(); ++i)
        if (dataSpaces[static_cast<std::size_t>(i)].name == spaceName)
            return i;
    return -1;
}

Dim Problem::operations() const
{
    Dim n = 1;
    for (int i = 0; i < dims(); ++i)
        n = checkedMul(n, bounds[static_cast<std::size_t>(i)]);
    return n;
}

Dim Problem::tileSize(int d, const DimArray& extents) const
{
    Dim size = 1;
    for (const auto& axis : dataSpaces[static_cast<std::size_t>(d)].projection) {
        Dim span = 1;
        for (const auto& term : axis)
            span += term.coefficient * (extents[static_cast<std::size_t>(term.dim)] - 1);
        size = checkedMul(size, span);
    }
    return size;
}

bool Problem::relevant(int d, int dim) const
{
    for (const auto& axis : dataSpaces[static_cast<std::size_t>(d)].projection)
        for (const auto& term : axis)
            if (term.dim == dim)
                return true;
    return false;
}

}  // namespace cdx
