#pragma once

#include <QString>

namespace cdx::units {

/// A value with an SI prefix and three significant digits: "12.3 µs", "4.56 mJ".
QString engineering(double value, const QString& unit);
inline QString seconds(double s) { return engineering(s, QStringLiteral("s")); }
inline QString joules(double j) { return engineering(j, QStringLiteral("J")); }
inline QString watts(double w) { return engineering(w, QStringLiteral("W")); }
inline QString hertz(double hz) { return engineering(hz, QStringLiteral("Hz")); }
/// Operations per second: "1.23 TOPS".
QString ops(double opsPerS);

}  // namespace cdx::units
