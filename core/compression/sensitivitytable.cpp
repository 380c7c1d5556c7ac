#include "core/compression/sensitivitytable.h"

#include "core/util/fileio.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <sstream>

namespace cdx {

namespace {

std::string number(double v)
{
    char text[32];
    std::snprintf(text, sizeof text, "%g", v);
    return text;
}

/// Splits one CSV line (RFC 4180 quotes) into fields; false on an unterminated quote.
bool splitCsv(const std::string& line, std::vector<std::string>& fields)
{
    fields.assign(1, "");
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char ch = line[i];
        if (quoted) {
            if (ch == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                fields.back() += '"';
                ++i;
            } else if (ch == '"') {
                quoted = false;
            } else {
                fields.back() += ch;
            }
        } else if (ch == '"') {
            quoted = true;
        } else if (ch == ',') {
            fields.emplace_back();
        } else if (ch != '\r') {
            fields.back() += ch;
        }
    }
    return !quoted;
}

std::string trimmed(const std::string& s)
{
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string::npos)
        return {};
    return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

const std::set<std::string>& numericKeys()
{
    static const std::set<std::string> keys{"density", "group", "k", "blocks", "keep", "n", "m", "size", "b", "groups", "pes"};
    return keys;
}

/// The token in its canonical spelling, or "" when it is not one.
std::string normalise(const std::string& token)
{
    if (token.size() >= 2 && (token[0] == 'w' || token[0] == 'a') && token[1] == ':')
        return numberFormatFromName(token.substr(2)) ? token : std::string();
    if (token.size() >= 2 && (token[0] == 'w' || token[0] == 'a') &&
        token.find_first_not_of("0123456789", 1) == std::string::npos)
        return token[0] + std::to_string(std::atoi(token.c_str() + 1));
    if (numberFormatFromName(token))
        return "w:" + token;
    if (token == "dense" || token == "none")
        return "dense";
    if (pruningKindFromName(token))
        return token;
    const auto eq = token.find('=');
    if (eq == std::string::npos)
        return {};
    const std::string key = token.substr(0, eq), value = token.substr(eq + 1);
    if (key == "fast")
        return fastAlgorithmFromName(value) ? token : std::string();
    if (key == "granularity")
        return quantGranularityFromName(value) ? token : std::string();
    if (!numericKeys().count(key))
        return {};
    char* end = nullptr;
    const double v = std::strtod(value.c_str(), &end);
    if (value.empty() || *end != '\0')
        return {};
    return key + "=" + number(v);
}

}  // namespace

std::vector<std::string> settingTokens(const LayerCompression& s)
{
    std::vector<std::string> t{"w" + std::to_string(s.weights.bits), "a" + std::to_string(s.activations.bits),
                               "w:" + std::string(numberFormatName(s.weights.format)),
                               "a:" + std::string(numberFormatName(s.activations.format)),
                               "granularity=" + std::string(quantGranularityName(s.weights.granularity))};
    const PruningSpec& p = s.pruning;
    t.push_back(p.kind == PruningKind::None ? "dense" : std::string(pruningKindName(p.kind)));
    auto add = [&t](const char* key, double v) { t.push_back(std::string(key) + "=" + number(v)); };
    switch (p.kind) {
    case PruningKind::Unstructured: add("density", p.density); break;
    case PruningKind::LoadBalanced:
        add("density", p.density);
        add("pes", static_cast<double>(p.pes));
        break;
    case PruningKind::TopK:
        add("group", static_cast<double>(p.group));
        add("k", static_cast<double>(p.k));
        break;
    case PruningKind::BlockDiagonal: add("blocks", static_cast<double>(p.blocks)); break;
    case PruningKind::Channel: add("keep", p.keep); break;
    case PruningKind::NM:
        add("n", static_cast<double>(p.n));
        add("m", static_cast<double>(p.m));
        break;
    case PruningKind::Block:
        add("size", static_cast<double>(p.size));
        add("density", p.density);
        break;
    case PruningKind::Circulant: add("b", static_cast<double>(p.blockSize)); break;
    case PruningKind::Group: add("groups", static_cast<double>(p.groups)); break;
    case PruningKind::None: break;
    }
    t.push_back("fast=" + std::string(fastAlgorithmName(s.fastAlgorithm)));
    return t;
}

Result<SensitivityTable> SensitivityTable::parse(const std::string& text, const std::string& file)
{
    SensitivityTable table;
    table.file_ = file;
    std::istringstream in(text);
    std::string line;
    std::vector<std::string> fields;
    int number = 0;
    bool header = false;
    auto fail = [&](const std::string& message) {
        return Error{ExitCode::BadInput, file, "line " + std::to_string(number), message};
    };
    while (std::getline(in, line)) {
        ++number;
        if (trimmed(line).empty() || trimmed(line)[0] == '#')
            continue;
        if (!splitCsv(line, fields))
            return fail("a quoted field does not end");
        if (fields.size() != 3)
            return fail("expected 3 fields (layer,setting,accuracy_drop), found " + std::to_string(fields.size()));
        if (!header) {
            if (trimmed(fields[0]) != "layer" || trimmed(fields[1]) != "setting" || trimmed(fields[2]) != "accuracy_drop")
                return fail("the first line must be the header layer,setting,accuracy_drop");
            header = true;
            continue;
        }
        Row row;
        row.line = number;
        row.layerGlob = trimmed(fields[0]);
        if (row.layerGlob.empty())
            return fail("the layer is empty (use * for every layer)");
        std::istringstream tokens(fields[1]);
        for (std::string token; tokens >> token;) {
            const std::string canonical = normalise(token);
            if (canonical.empty())
                return fail("unknown setting token \"" + token + "\" (w8, a8, w:int, fp8_e5m2, unstructured, density=0.1, fast=ffa3, ...)");
            row.tokens.push_back(canonical);
        }
        if (row.tokens.empty())
            return fail("the setting is empty");
        const std::string drop = trimmed(fields[2]);
        char* end = nullptr;
        row.drop = std::strtod(drop.c_str(), &end);
        if (drop.empty() || *end != '\0')
            return fail("accuracy_drop \"" + drop + "\" is not a number");
        table.rows_.push_back(std::move(row));
    }
    if (!header)
        return Error{ExitCode::BadInput, file, "", "the table is empty (expected the header layer,setting,accuracy_drop)"};
    return table;
}

Result<SensitivityTable> SensitivityTable::load(const std::string& path)
{
    auto text = readTextFile(path);
    if (!text)
        return text.error();
    return parse(text.value(), path);
}

const SensitivityTable::Row* SensitivityTable::find(const std::string& layerName, const LayerCompression& setting) const
{
    const std::vector<std::string> have = settingTokens(setting);
    const Row* best = nullptr;
    for (const auto& row : rows_) {
        if (!globMatch(row.layerGlob, layerName))
            continue;
        const bool all = std::all_of(row.tokens.begin(), row.tokens.end(),
                                     [&](const std::string& t) { return std::find(have.begin(), have.end(), t) != have.end(); });
        if (all && (!best || row.tokens.size() > best->tokens.size()))
            best = &row;
    }
    return best;
}

}  // namespace cdx
