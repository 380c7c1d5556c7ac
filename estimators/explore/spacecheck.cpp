// The names a design space sets, checked against the templates and platforms it reaches.
#include "estimators/explore/spacecheck.h"

#include "core/util/jsonreader.h"
#include "estimators/estimate/hardwarespec.h"
#include "estimators/platform/platformspec.h"
#include "estimators/tech/fpgalibrary.h"
#include "estimators/tech/techlibrary.h"
#include "estimators/templates/acceleratortemplate.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace cdx {

namespace {

std::string listed(const std::vector<std::string>& names)
{
    std::string list;
    for (const auto& name : names)
        list += (list.empty() ? "" : ", ") + name;
    return list;
}

/// " (did you mean "x"?)", or nothing when no candidate is close.
std::string suggestion(const std::string& word, const std::vector<std::string>& candidates)
{
    const auto guess = closestMatch(word, candidates);
    return guess ? " (did you mean \"" + *guess + "\"?)" : std::string();
}

/// The JSON pointer of keys[from..].
std::string pointerOf(const std::vector<std::string>& keys, std::size_t from)
{
    std::string pointer;
    for (std::size_t i = from; i < keys.size(); ++i)
        pointer += "/" + escapeJsonPointer(keys[i]);
    return pointer;
}

/// Whether a block reader's error is an unknown key on the path an axis sets (`pointer`, as the
/// reader locates it): then the name is wrong, not the value. The technology tables' readers put
/// their own place first ("/tech (the built-in table ...): /sram/...").
bool unknownKeyOn(const Error& e, const std::string& pointer)
{
    if (e.message.rfind("unknown key", 0) != 0)
        return false;
    std::string at = e.location;
    if (const auto colon = at.rfind("): "); colon != std::string::npos)
        at = at.substr(colon + 3);
    return !at.empty() && pointer.rfind(at, 0) == 0 && (pointer.size() == at.size() || pointer[at.size()] == '/');
}

/// A template the space reaches, and where it is named ("/hardware/template", "/explore/axes/0/values/1").
struct Reached {
    const AcceleratorTemplate* tmpl = nullptr;
    std::string at;
};

/// A name the space reaches ("sparse", "/explore/axes/2/values/0").
using Named = std::pair<std::string, std::string>;

/// The checks of checkSpaceNames, one method each, over the templates and platform kinds the
/// space reaches.
class SpaceNameChecker {
public:
    SpaceNameChecker(const Project& project, const DesignSpace& space) : project_(project), space_(space)
    {
        for (const Axis& a : space.axes()) {
            if (a.kind != Axis::Kind::Project)
                continue;
            const std::string pointer = a.pointer.to_string();
            if (pointer == "/hardware/template")
                templateAxis_ = &a;
            else if (pointer == "/hardware/preset")
                presetAxis_ = &a;
            else if (pointer == "/platform/kind")
                kindAxis_ = &a;
        }
    }

    std::optional<Error> check()
    {
        if (auto error = findTemplates())
            return error;
        if (auto error = checkPresets())
            return error;
        if (const auto params = project_.hardware.find("params"); params != project_.hardware.end() && params->is_object())
            for (auto it = params->begin(); it != params->end(); ++it)
                if (auto error = checkParam(it.key(), "/hardware/params/" + escapeJsonPointer(it.key())))
                    return error;
        findKinds();
        for (const Axis& a : space_.axes()) {
            if (a.kind != Axis::Kind::Project || a.values.empty())
                continue;
            try {
                if (auto error = checkAxis(a))
                    return error;
            } catch (const nlohmann::json::exception&) {
                continue;  // a pointer through a value that is not an object: the estimate says where
            }
        }
        return std::nullopt;
    }

private:
    Error fail(const std::string& location, const std::string& message) const
    {
        return Error{ExitCode::BadInput, project_.filePath, location, message};
    }

    /// The names an axis on /hardware/KEY gives (strings), or the project's own.
    Result<std::vector<Named>> names(const Axis* axis, const char* key, const char* what) const
    {
        std::vector<Named> out;
        if (axis) {
            for (std::size_t k = 0; k < axis->values.size(); ++k) {
                const auto& v = axis->values[k];
                if (!v.is_string())
                    return fail(axis->path, std::string("a ") + what + " is named by a string, not " + v.dump());
                out.emplace_back(v.get<std::string>(), axis->path + "/values/" + std::to_string(k));
            }
        } else if (const auto it = project_.hardware.find(key); it != project_.hardware.end() && it->is_string()) {
            out.emplace_back(it->get<std::string>(), std::string("/hardware/") + key);
        }
        return out;
    }

    std::string templateName(const Reached& t) const
    {
        return "template " + t.tmpl->info().name + (templates_.size() > 1 ? " (" + t.at + ")" : "");
    }

    /// Templates: an unknown one is named with the registry's suggestion. A project without one
    /// fails every point the same way, as the estimate says.
    std::optional<Error> findTemplates()
    {
        auto templateNames = names(templateAxis_, "template", "template");
        if (!templateNames)
            return templateNames.error();
        for (const auto& [name, at] : templateNames.value()) {
            auto found = findAcceleratorTemplate(name);
            if (!found)
                return fail(at, found.error().message);
            templates_.push_back({found.value(), at});
        }
        return std::nullopt;
    }

    /// Presets: each must be one of every reachable template's.
    std::optional<Error> checkPresets()
    {
        auto presets = names(presetAxis_, "preset", "preset");
        if (!presets)
            return presets.error();
        presets_ = std::move(presets.value());
        for (const Reached& t : templates_)
            for (const auto& [name, at] : presets_) {
                if (name.empty() || t.tmpl->info().preset(name))
                    continue;
                std::vector<std::string> known;
                for (const auto& p : t.tmpl->info().presets)
                    known.push_back(p.name);
                return fail(at, templateName(t) + " has no preset \"" + name + "\"" + suggestion(name, known) +
                                    (known.empty() ? "; it has none" : "; its presets: " + listed(known)));
            }
        return std::nullopt;
    }

    /// A parameter, the project's or an axis's, must be one of every reachable template's
    /// (TemplateParams::resolve refuses the others).
    std::optional<Error> checkParam(const std::string& name, const std::string& at) const
    {
        for (const Reached& t : templates_) {
            const TemplateInfo& info = t.tmpl->info();
            if (info.param(name))
                continue;
            std::vector<std::string> known;
            for (const auto& p : info.params)
                known.push_back(p.name);
            return fail(at, templateName(t) + " has no parameter \"" + name + "\"" + suggestion(name, known));
        }
        return std::nullopt;
    }

    /// The kinds of platform the space reaches: a kind axis's, the project's, or its presets'.
    void findKinds()
    {
        const auto addKind = [&](const nlohmann::ordered_json& kind) {
            if (kind.is_string() && std::find(kinds_.begin(), kinds_.end(), kind.get<std::string>()) == kinds_.end())
                kinds_.push_back(kind.get<std::string>());
        };
        if (kindAxis_) {
            for (const auto& v : kindAxis_->values)
                addKind(v);
        } else if (project_.platform.is_object() && project_.platform.contains("kind")) {
            addKind(project_.platform["kind"]);
        } else {
            for (const Reached& t : templates_)
                for (const auto& [name, at] : presets_)
                    if (const PresetSpec* preset = t.tmpl->info().preset(name); preset && preset->platform.is_object())
                        addKind(preset->platform.value("kind", nlohmann::ordered_json()));
        }
    }

    /// An axis's key: read by the block's own reader with the axis's first value in place, so
    /// an unknown key is refused as the estimate would refuse it at every point.
    std::optional<Error> checkAxis(const Axis& a) const
    {
        const std::string pointer = a.pointer.to_string();
        const std::vector<std::string> keys = jsonPointerKeys(pointer);
        if (keys.size() < 2)
            return std::nullopt;  // a whole block
        if (keys[0] == "hardware")
            return checkHardwareKey(a, keys);
        if (keys[0] == "platform")
            return checkPlatformKey(a, keys);
        if (keys[0] == "tech")
            return checkTechKey(a, keys);
        return std::nullopt;
    }

    std::optional<Error> checkHardwareKey(const Axis& a, const std::vector<std::string>& keys) const
    {
        if (keys[1] == "params")
            return keys.size() >= 3 ? checkParam(keys[2], a.keyPath) : std::nullopt;
        if (keys[1] == "template" || keys[1] == "preset")
            return std::nullopt;  // checked with the templates
        nlohmann::ordered_json block{{"template", "-"}};
        block[nlohmann::ordered_json::json_pointer(pointerOf(keys, 1))] = a.values.front();
        const auto spec = HardwareSpec::fromJson(block, project_.filePath);
        if (!spec && unknownKeyOn(spec.error(), a.pointer.to_string()))
            return fail(a.keyPath, spec.error().message);
        return std::nullopt;
    }

    std::optional<Error> checkPlatformKey(const Axis& a, const std::vector<std::string>& keys) const
    {
        if (keys[1] == "kind")
            return std::nullopt;
        for (const std::string& kind : kinds_) {
            nlohmann::ordered_json block{{"kind", kind}};
            if (kind == "fpga")
                block["device"] = "-";  // required; the device itself is looked up later
            block[nlohmann::ordered_json::json_pointer(pointerOf(keys, 1))] = a.values.front();
            const auto spec = PlatformSpec::fromJson(block, project_.filePath);
            if (!spec && unknownKeyOn(spec.error(), a.pointer.to_string()))
                return fail(a.keyPath, "an " + kind + " platform: " + spec.error().message);
        }
        return std::nullopt;
    }

    std::optional<Error> checkTechKey(const Axis& a, const std::vector<std::string>& keys) const
    {
        if (keys[1] != "overrides")
            return fail(a.keyPath, "unknown key \"" + keys[1] + "\" (the tech block holds \"overrides\")");
        if (keys.size() < 3)
            return std::nullopt;
        nlohmann::json overrides = nlohmann::json::object();
        if (project_.tech.contains("overrides") && project_.tech["overrides"].is_object())
            overrides = project_.tech["overrides"];
        overrides[nlohmann::json::json_pointer(pointerOf(keys, 2))] = nlohmann::json(a.values.front());
        const bool fpga = keys[2] == "fpga";
        const std::string inTable = pointerOf(keys, fpga ? 3 : 2);
        const auto refused = [&](const Error& e) -> std::optional<Error> {
            if (unknownKeyOn(e, inTable))
                return fail(a.keyPath, e.location + ": " + e.message);
            return std::nullopt;
        };
        if (fpga) {
            const auto tables = FpgaLibrary::load(overrides);
            return tables ? std::nullopt : refused(tables.error());
        }
        const auto tables = TechLibrary::load(overrides);
        return tables ? std::nullopt : refused(tables.error());
    }

    const Project& project_;
    const DesignSpace& space_;
    const Axis* templateAxis_ = nullptr;
    const Axis* presetAxis_ = nullptr;
    const Axis* kindAxis_ = nullptr;
    std::vector<Reached> templates_;
    std::vector<Named> presets_;
    std::vector<std::string> kinds_;
};

}  // namespace

std::optional<Error> checkSpaceNames(const Project& project, const DesignSpace& space)
{
    return SpaceNameChecker(project, space).check();
}

}  // namespace cdx
