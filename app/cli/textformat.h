#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cdx::cli {

/// 4089184256 -> "4,089,184,256".
std::string groupDigits(std::int64_t value);

/// 4089184256 -> "4.09 G"; 25557032 -> "25.6 M"; three significant digits, SI prefixes.
std::string siPrefixed(double value);

/// 3.14159, 2 -> "3.14".
std::string fixed(double value, int decimals);

/// A plain-text table with a header, columns left or right aligned to their widest cell.
class TextTable {
public:
    enum class Align { Left, Right };
    struct Column {
        std::string title;
        Align align = Align::Left;
        std::size_t maxWidth = 0;  ///< 0: unlimited; longer cells are cut with "..."
    };

    explicit TextTable(std::vector<Column> columns);
    void addRow(std::vector<std::string> cells);
    std::string render() const;

private:
    std::vector<Column> columns_;
    std::vector<std::vector<std::string>> rows_;
};

}  // namespace cdx::cli
