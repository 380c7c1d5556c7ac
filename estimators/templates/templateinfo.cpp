#include "estimators/templates/templateinfo.h"

#include "core/util/jsonreader.h"

#include <cmath>

namespace cdx {

const char* paramTypeName(ParamType type)
{
    switch (type) {
    case ParamType::Integer: return "integer";
    case ParamType::Real: return "real";
    case ParamType::Choice: return "choice";
    case ParamType::Boolean: return "boolean";
    }
    return "?";
}

const ParamSpec* TemplateInfo::param(const std::string& wanted) const
{
    for (const auto& p : params)
        if (p.name == wanted)
            return &p;
    return nullptr;
}

nlohmann::ordered_json effectivePlatform(const PresetSpec* preset, const nlohmann::ordered_json& own)
{
    nlohmann::ordered_json block = preset && preset->platform.is_object() ? preset->platform : nlohmann::ordered_json::object();
    if (!own.is_object() || own.empty())
        return block;
    const auto kind = [](const nlohmann::ordered_json& j) {
        const auto it = j.find("kind");
        return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    if (!block.empty() && own.contains("kind") && kind(block) != kind(own))
        return own;
    block.merge_patch(own);
    return block;
}

const PresetSpec* TemplateInfo::preset(const std::string& wanted) const
{
    for (const auto& p : presets)
        if (p.name == wanted)
            return &p;
    return nullptr;
}

double TemplateParams::number(const std::string& name) const
{
    return values_.at(name).get<double>();
}

Dim TemplateParams::integer(const std::string& name) const
{
    return static_cast<Dim>(std::llround(values_.at(name).get<double>()));
}

const std::string& TemplateParams::choice(const std::string& name) const
{
    return values_.at(name).get_ref<const std::string&>();
}

bool TemplateParams::flag(const std::string& name) const
{
    return values_.at(name).get<bool>();
}

namespace {

/// Checks one value against its spec; throws an InputError at `path`.
nlohmann::json checked(const ParamSpec& spec, const nlohmann::json& value, const std::string& path)
{
    const JsonValue v(value, path);
    switch (spec.type) {
    case ParamType::Integer: {
        if (!value.is_number_integer() && !(value.is_number() && std::floor(value.get<double>()) == value.get<double>()))
            v.fail("expected an integer, got " + value.dump());
        const double x = value.get<double>();
        if (x < spec.min || x > spec.max)
            v.fail("must be between " + std::to_string(static_cast<long long>(spec.min)) + " and " +
                   std::to_string(static_cast<long long>(spec.max)) + ", got " + value.dump());
        return static_cast<std::int64_t>(x);
    }
    case ParamType::Real: {
        if (!value.is_number())
            v.fail("expected a number, got " + value.dump());
        const double x = value.get<double>();
        if (!std::isfinite(x) || x < spec.min || x > spec.max)
            v.fail("must be between " + nlohmann::json(spec.min).dump() + " and " + nlohmann::json(spec.max).dump() +
                   ", got " + value.dump());
        return x;
    }
    case ParamType::Choice: {
        if (!value.is_string())
            v.fail("expected one of the choices as a string, got " + value.dump());
        const std::string s = value.get<std::string>();
        for (const auto& c : spec.choices)
            if (c == s)
                return s;
        std::string list;
        for (const auto& c : spec.choices)
            list += (list.empty() ? "" : ", ") + c;
        std::string message = "\"" + s + "\" is not one of " + list;
        if (const auto guess = closestMatch(s, spec.choices))
            message += " (did you mean \"" + *guess + "\"?)";
        v.fail(message);
    }
    case ParamType::Boolean:
        if (!value.is_boolean())
            v.fail("expected true or false, got " + value.dump());
        return value;
    }
    return value;
}

}  // namespace

Result<TemplateParams> TemplateParams::resolve(const TemplateInfo& info, const PresetSpec* preset,
                                               const nlohmann::ordered_json& overrides, const std::string& file)
{
    try {
        TemplateParams p;
        for (const auto& spec : info.params)
            p.values_[spec.name] = spec.defaultValue;
        auto apply = [&](const nlohmann::ordered_json& block, const std::string& base) {
            if (!block.is_object())
                JsonValue(nlohmann::json(block), base).fail("must be an object");
            for (auto it = block.begin(); it != block.end(); ++it) {
                const std::string path = base + "/" + escapeJsonPointer(it.key());
                const ParamSpec* spec = info.param(it.key());
                if (!spec) {
                    std::vector<std::string> names;
                    for (const auto& s : info.params)
                        names.push_back(s.name);
                    std::string message = "template " + info.name + " has no parameter \"" + it.key() + "\"";
                    if (const auto guess = closestMatch(it.key(), names))
                        message += " (did you mean \"" + *guess + "\"?)";
                    JsonValue(nlohmann::json(it.value()), path).fail(message);
                }
                p.values_[it.key()] = checked(*spec, nlohmann::json(it.value()), path);
            }
        };
        if (preset)
            apply(preset->params, "/hardware/preset (" + preset->name + ")");
        apply(overrides, "/hardware/params");
        return p;
    } catch (const InputError& e) {
        Error error = e.error();
        error.file = file;
        return error;
    }
}

}  // namespace cdx
