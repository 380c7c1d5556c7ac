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

}  // namespace

std::optional<Error> checkSpaceNames(const Project& project, const DesignSpace& space)
{
    const auto fail = [&](const std::string& location, const std::string& message) {
        return Error{ExitCode::BadInput, project.filePath, location, message};
    };
    const Axis* templateAxis = nullptr;
    const Axis* presetAxis = nullptr;
    const Axis* kindAxis = nullptr;
    for (const Axis& a : space.axes()) {
        if (a.kind != Axis::Kind::Project)
            continue;
        const std::string pointer = a.pointer.to_string();
        if (pointer == "/hardware/template")
            templateAxis = &a;
        else if (pointer == "/hardware/preset")
            presetAxis = &a;
        else if (pointer == "/platform/kind")
            kindAxis = &a;
    }
    // The names an axis on /hardware/KEY gives (strings), or the project's own.
    const auto names = [&](const Axis* axis, const char* key, const char* what) -> Result<std::vector<Named>> {
        std::vector<Named> out;
        if (axis) {
            for (std::size_t k = 0; k < axis->values.size(); ++k) {
                const auto& v = axis->values[k];
                if (!v.is_string())
                    return fail(axis->path, std::string("a ") + what + " is named by a string, not " + v.dump());
                out.emplace_back(v.get<std::string>(), axis->path + "/values/" + std::to_string(k));
            }
        } else if (const auto it = project.hardware.find(key); it != project.hardware.end() && it->is_string()) {
            out.emplace_back(it->get<std::string>(), std::string("/hardware/") + key);
        }
        return out;
    };

    // Templates: an unknown one is named with the registry's suggestion. A project without one
    // fails every point the same way, as the estimate says.
    auto templateNames = names(templateAxis, "template", "template");
    if (!templateNames)
        return templateNames.error();
    std::vector<Reached> templates;
    for (const auto& [name, at] : templateNames.value()) {
        auto found = findAcceleratorTemplate(name);
        if (!found)
            return fail(at, found.error().message);
        templates.push_back({found.value(), at});
    }
    const auto templateName = [&](const Reached& t) {
        return "template " + t.tmpl->info().name + (templates.size() > 1 ? " (" + t.at + ")" : "");
    };

    // Presets: each must be one of every reachable template's.
    auto presets = names(presetAxis, "preset", "preset");
    if (!presets)
        return presets.error();
    for (const Reached& t : templates)
        for (const auto& [name, at] : presets.value()) {
            if (name.empty() || t.tmpl->info().preset(name))
                continue;
            std::vector<std::string> known;
            for (const auto& p : t.tmpl->info().presets)
                known.push_back(p.name);
            return fail(at, templateName(t) + " has no preset \"" + name + "\"" + suggestion(name, known) +
                                (known.empty() ? "; it has none" : "; its presets: " + listed(known)));
        }

    // Parameters, the project's and the axes': each must be one of every reachable template's
    // (TemplateParams::resolve refuses the others).
    const auto checkParam = [&](const std::string& name, const std::string& at) -> std::optional<Error> {
        for (const Reached& t : templates) {
            const TemplateInfo& info = t.tmpl->info();
            if (info.param(name))
                continue;
            std::vector<std::string> known;
            for (const auto& p : info.params)
                known.push_back(p.name);
            return fail(at, templateName(t) + " has no parameter \"" + name + "\"" + suggestion(name, known));
        }
        return std::nullopt;
    };
    if (const auto params = project.hardware.find("params"); params != project.hardware.end() && params->is_object())
        for (auto it = params->begin(); it != params->end(); ++it)
            if (auto error = checkParam(it.key(), "/hardware/params/" + escapeJsonPointer(it.key())))
                return error;

    // The kinds of platform the space reaches: a kind axis's, the project's, or its presets'.
    std::vector<std::string> kinds;
    const auto addKind = [&](const nlohmann::ordered_json& kind) {
        if (kind.is_string() && std::find(kinds.begin(), kinds.end(), kind.get<std::string>()) == kinds.end())
            kinds.push_back(kind.get<std::string>());
    };
    if (kindAxis) {
        for (const auto& v : kindAxis->values)
            addKind(v);
    } else if (project.platform.is_object() && project.platform.contains("kind")) {
        addKind(project.platform["kind"]);
    } else {
        for (const Reached& t : templates)
            for (const auto& [name, at] : presets.value())
                if (const PresetSpec* preset = t.tmpl->info().preset(name); preset && preset->platform.is_object())
                    addKind(preset->platform.value("kind", nlohmann::ordered_json()));
    }

    for (const Axis& a : space.axes()) {
        if (a.kind != Axis::Kind::Project || a.values.empty())
            continue;
        const std::string pointer = a.pointer.to_string();
        const std::vector<std::string> keys = jsonPointerKeys(pointer);
        if (keys.size() < 2)
            continue;  // a whole block
        const nlohmann::ordered_json& first = a.values.front();
        try {
            if (keys[0] == "hardware") {
                if (keys[1] == "params") {
                    if (keys.size() >= 3)
                        if (auto error = checkParam(keys[2], a.keyPath))
                            return error;
                    continue;
                }
                if (keys[1] == "template" || keys[1] == "preset")
                    continue;  // checked above
                nlohmann::ordered_json block{{"template", "-"}};
                block[nlohmann::ordered_json::json_pointer(pointerOf(keys, 1))] = first;
                const auto spec = HardwareSpec::fromJson(block, project.filePath);
                if (!spec && unknownKeyOn(spec.error(), pointer))
                    return fail(a.keyPath, spec.error().message);
            } else if (keys[0] == "platform") {
                if (keys[1] == "kind")
                    continue;
                for (const std::string& kind : kinds) {
                    nlohmann::ordered_json block{{"kind", kind}};
                    if (kind == "fpga")
                        block["device"] = "-";  // required; the device itself is looked up later
                    block[nlohmann::ordered_json::json_pointer(pointerOf(keys, 1))] = first;
                    const auto spec = PlatformSpec::fromJson(block, project.filePath);
                    if (!spec && unknownKeyOn(spec.error(), pointer))
                        return fail(a.keyPath, "an " + kind + " platform: " + spec.error().message);
                }
            } else if (keys[0] == "tech") {
                if (keys[1] != "overrides")
                    return fail(a.keyPath, "unknown key \"" + keys[1] + "\" (the tech block holds \"overrides\")");
                if (keys.size() < 3)
                    continue;
                nlohmann::json overrides = nlohmann::json::object();
                if (project.tech.contains("overrides") && project.tech["overrides"].is_object())
                    overrides = project.tech["overrides"];
                overrides[nlohmann::json::json_pointer(pointerOf(keys, 2))] = nlohmann::json(first);
                const bool fpga = keys[2] == "fpga";
                const std::string inTable = pointerOf(keys, fpga ? 3 : 2);
                if (fpga) {
                    const auto tables = FpgaLibrary::load(overrides);
                    if (!tables && unknownKeyOn(tables.error(), inTable))
                        return fail(a.keyPath, tables.error().location + ": " + tables.error().message);
                } else {
                    const auto tables = TechLibrary::load(overrides);
                    if (!tables && unknownKeyOn(tables.error(), inTable))
                        return fail(a.keyPath, tables.error().location + ": " + tables.error().message);
                }
            }
        } catch (const nlohmann::json::exception&) {
            continue;  // a pointer through a value that is not an object: the estimate says where
        }
    }
    return std::nullopt;
}

}  // namespace cdx
