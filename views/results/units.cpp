#include "views/results/units.h"

#include <algorithm>
#include <cmath>

namespace cdx::units {

QString engineering(double value, const QString& unit)
{
    static const char* const prefixes[] = {"f", "p", "n", "µ", "m", "", "k", "M", "G", "T", "P"};
    if (value == 0 || !std::isfinite(value))
        return QStringLiteral("%1 %2").arg(value).arg(unit);
    int exponent = static_cast<int>(std::floor(std::log10(std::abs(value)) / 3));
    exponent = std::clamp(exponent, -5, 5);
    const double scaled = value / std::pow(1000.0, exponent);
    return QStringLiteral("%1 %2%3").arg(scaled, 0, 'g', 3).arg(QString::fromUtf8(prefixes[exponent + 5]), unit);
}

QString ops(double opsPerS)
{
    return engineering(opsPerS, QStringLiteral("OPS"));
}

}  // namespace cdx::units
