#include "timeloopstats.h"

#include <fstream>
#include <sstream>

namespace cdx::test {

namespace {

std::string trim(const std::string& s)
{
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos)
        return {};
    const auto e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
}

/// The leading number of "48", "20.43 pJ", "100.00%", "1 (1*1)"; nothing if there is none.
std::optional<double> number(const std::string& text)
{
    std::istringstream in(text);
    double v = 0;
    if (!(in >> v))
        return std::nullopt;
    return v;
}

int indentOf(const std::string& line)
{
    return static_cast<int>(line.find_first_not_of(' '));
}

}  // namespace

std::optional<TimeloopStats> readTimeloopStats(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        return std::nullopt;
    TimeloopStats stats;
    std::string line, level, space;
    bool summary = false, fj = false;
    while (std::getline(in, line)) {
        const std::string t = trim(line);
        if (t.rfind("=== ", 0) == 0 && t.size() > 8) {
            level = t.substr(4, t.size() - 8);
            space.clear();
            continue;
        }
        if (t == "Summary Stats") {
            summary = true;
            level.clear();
            continue;
        }
        if (t == "Networks" || t == "Operational Intensity Stats") {
            level.clear();
            continue;
        }
        if (summary) {
            if (t == "fJ/Compute") {
                fj = true;
                continue;
            }
            const auto eq = t.find(fj ? " = " : ": ");
            const auto eqAlt = t.find(" = ");
            if (fj && eq != std::string::npos) {
                if (auto v = number(t.substr(eq + 3)))
                    stats.fjPerCompute[trim(t.substr(0, eq))] = *v;
            } else if (eq != std::string::npos) {
                if (auto v = number(t.substr(eq + 2)))
                    stats.summary[trim(t.substr(0, eq))] = *v;
            } else if (eqAlt != std::string::npos) {
                if (auto v = number(t.substr(eqAlt + 3)))
                    stats.summary[trim(t.substr(0, eqAlt))] = *v;
            }
            continue;
        }
        if (level.empty())
            continue;
        if (!t.empty() && t.back() == ':' && t.find(' ') == std::string::npos) {
            space = t.substr(0, t.size() - 1);  // "Weights:"
            continue;
        }
        const auto colon = t.find(" : ");
        if (colon == std::string::npos)
            continue;
        const std::string key = trim(t.substr(0, colon));
        const auto value = number(t.substr(colon + 3));
        if (!value)
            continue;
        if (!space.empty() && indentOf(line) >= 8)
            stats.levels[level].dataSpaces[space][key] = *value;
        else
            stats.levels[level].fields[key] = *value;
    }
    return stats;
}

}  // namespace cdx::test
