#include "core/compression/compressionplan.h"

#include "core/util/jsonreader.h"

namespace cdx {

bool globMatch(std::string_view pattern, std::string_view text)
{
    // Iterative matching with backtracking to the last star.
    std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

bool CompressionRule::matches(const Layer& layer, Dim index) const
{
    if (!nameGlob.empty() && !globMatch(nameGlob, layer.name))
        return false;
    if (kind && layer.kind != *kind)
        return false;
    if (indexRange && (index < indexRange->first || index > indexRange->second))
        return false;
    return true;
}

namespace {

NumberFormat readFormat(const JsonValue& v)
{
    const auto f = numberFormatFromName(v.asString());
    if (!f) {
        std::string names;
        for (auto n : numberFormatNames())
            names += (names.empty() ? "" : ", ") + std::string(n);
        v.fail("unknown number format \"" + v.asString() + "\" (one of " + names + ")");
    }
    return *f;
}

CompressionSetting readSetting(JsonObject& o, const nlohmann::ordered_json& ordered)
{
    CompressionSetting s;
    if (const auto w = o.optional("weights")) {
        JsonObject wo = w->asObject();
        if (const auto bits = wo.optional("bits"))
            s.weightBits = static_cast<int>(bits->asInt(1, 32));
        if (const auto fmt = wo.optional("format"))
            s.weightFormat = readFormat(*fmt);
        wo.rejectUnknownKeys();
    }
    if (const auto a = o.optional("activations")) {
        JsonObject ao = a->asObject();
        if (const auto bits = ao.optional("bits"))
            s.activationBits = static_cast<int>(bits->asInt(1, 32));
        if (const auto fmt = ao.optional("format"))
            s.activationFormat = readFormat(*fmt);
        if (const auto density = ao.optional("density")) {
            const double d = density->asNumber();
            if (!(d > 0 && d <= 1))
                density->fail("must be in (0, 1]");
            s.activationDensity = d;
        }
        ao.rejectUnknownKeys();
    }
    if (const auto acc = o.optional("accumulator")) {
        JsonObject ac = acc->asObject();
        s.accumulatorBits = static_cast<int>(ac.requiredInt("bits", 1, 64));
        ac.rejectUnknownKeys();
    }
    for (const char* key : {"pruning", "storage", "fast_algorithm"})
        if (o.optional(key))
            s.unapplied[key] = ordered.at(key);
    return s;
}

void apply(const CompressionSetting& s, LayerCompression& c)
{
    if (s.weightBits)
        c.weights.bits = *s.weightBits;
    if (s.weightFormat) {
        c.weights.format = *s.weightFormat;
        if (!s.weightBits && impliedBits(*s.weightFormat) > 0)
            c.weights.bits = impliedBits(*s.weightFormat);
    }
    if (s.activationBits)
        c.activations.bits = *s.activationBits;
    if (s.activationFormat) {
        c.activations.format = *s.activationFormat;
        if (!s.activationBits && impliedBits(*s.activationFormat) > 0)
            c.activations.bits = impliedBits(*s.activationFormat);
    }
    if (s.activationDensity)
        c.activationDensity = *s.activationDensity;
    if (s.accumulatorBits)
        c.accumulatorBits = *s.accumulatorBits;
    for (auto it = s.unapplied.begin(); it != s.unapplied.end(); ++it)
        c.unapplied[it.key()] = it.value();
}

}  // namespace

LayerCompression CompressionPlan::forLayer(const Layer& layer, Dim index) const
{
    LayerCompression c;
    apply(defaults, c);
    c.rules.push_back("default");
    for (const auto& rule : rules)
        if (rule.matches(layer, index)) {
            apply(rule.setting, c);
            c.rules.push_back(rule.path);
        }
    return c;
}

std::vector<std::string> CompressionPlan::unmatchedRules(const Network& net) const
{
    std::vector<std::string> out;
    for (const auto& rule : rules) {
        bool any = false;
        for (std::size_t i = 0; i < net.layers().size() && !any; ++i)
            any = rule.matches(net.layers()[i], static_cast<Dim>(i));
        if (!any)
            out.push_back(rule.path);
    }
    return out;
}

Result<CompressionPlan> CompressionPlan::fromJson(const nlohmann::ordered_json& block, const std::string& file)
{
    try {
        const nlohmann::json plain = block;
        JsonObject root(plain, "/compression");
        CompressionPlan plan;
        if (const auto d = root.optional("default")) {
            JsonObject o = d->asObject();
            plan.defaults = readSetting(o, block.at("default"));
            o.rejectUnknownKeys();
        }
        if (const auto layers = root.optional("layers")) {
            const auto list = layers->asArray();
            for (std::size_t i = 0; i < list.size(); ++i) {
                JsonObject o = list[i].asObject();
                CompressionRule rule;
                rule.path = o.path();
                if (const auto m = o.optional("match"))
                    rule.nameGlob = m->asString();
                if (const auto k = o.optional("kind")) {
                    rule.kind = layerKindFromName(k->asString());
                    if (!rule.kind)
                        k->fail("unknown layer kind \"" + k->asString() + "\"");
                }
                if (const auto index = o.optional("index")) {
                    if (index->isArray()) {
                        const auto range = index->asIntArray(0);
                        if (range.size() != 2 || range[0] > range[1])
                            index->fail("expected [first, last] with first <= last");
                        rule.indexRange = std::pair{range[0], range[1]};
                    } else {
                        const auto at = index->asInt(0);
                        rule.indexRange = std::pair{at, at};
                    }
                }
                if (rule.nameGlob.empty() && !rule.kind && !rule.indexRange)
                    o.fail("a rule needs \"match\", \"kind\" or \"index\" to say which layers it sets");
                rule.setting = readSetting(o, block.at("layers").at(i));
                o.rejectUnknownKeys();
                plan.rules.push_back(std::move(rule));
            }
        }
        root.rejectUnknownKeys();
        return plan;
    } catch (const InputError& e) {
        Error error = e.error();
        error.file = file;
        return error;
    }
}

}  // namespace cdx
