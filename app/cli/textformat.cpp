#include "app/cli/textformat.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace cdx::cli {

std::string groupDigits(std::int64_t value)
{
    const bool negative = value < 0;
    std::string digits = std::to_string(negative ? -(value + 1) + 1 : value);
    if (negative && value == INT64_MIN)
        digits = "9223372036854775808";
    std::string out;
    const std::size_t n = digits.size();
    for (std::size_t i = 0; i < n; ++i) {
        out += digits[i];
        if ((n - i - 1) % 3 == 0 && i + 1 < n)
            out += ',';
    }
    return negative ? "-" + out : out;
}

std::string fixed(double value, int decimals)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

std::string siPrefixed(double value)
{
    static const char* prefixes[] = {"", " k", " M", " G", " T", " P", " E"};
    int p = 0;
    double v = std::abs(value);
    while (v >= 999.5 && p < 6) {
        v /= 1000.0;
        ++p;
    }
    char text[32];
    const int decimals = v >= 99.95 ? 0 : v >= 9.995 ? 1 : 2;
    std::snprintf(text, sizeof text, "%s%.*f%s", value < 0 ? "-" : "", p == 0 && v == std::floor(v) ? 0 : decimals, v,
                  prefixes[p]);
    return text;
}

TextTable::TextTable(std::vector<Column> columns) : columns_(std::move(columns)) {}

void TextTable::addRow(std::vector<std::string> cells)
{
    cells.resize(columns_.size());
    for (std::size_t c = 0; c < cells.size(); ++c) {
        const std::size_t max = columns_[c].maxWidth;
        if (max > 3 && cells[c].size() > max)
            cells[c] = cells[c].substr(0, max - 3) + "...";
    }
    rows_.push_back(std::move(cells));
}

std::string TextTable::render() const
{
    std::vector<std::size_t> widths(columns_.size());
    for (std::size_t c = 0; c < columns_.size(); ++c) {
        widths[c] = columns_[c].title.size();
        for (const auto& row : rows_)
            widths[c] = std::max(widths[c], row[c].size());
    }
    auto line = [&](const std::vector<std::string>& cells) {
        std::string text;
        for (std::size_t c = 0; c < cells.size(); ++c) {
            const std::string pad(widths[c] - cells[c].size(), ' ');
            const bool last = c + 1 == cells.size();
            if (columns_[c].align == Align::Right)
                text += pad + cells[c];
            else
                text += cells[c] + (last ? "" : pad);
            if (!last)
                text += "  ";
        }
        return text + "\n";
    };
    std::vector<std::string> titles;
    for (const auto& column : columns_)
        titles.push_back(column.title);
    std::string out = line(titles);
    for (const auto& row : rows_)
        out += line(row);
    return out;
}

}  // namespace cdx::cli
