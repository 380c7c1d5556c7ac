#include "estimators/estimate/hardwarespec.h"

#include "core/util/jsonreader.h"

namespace cdx {

Result<HardwareSpec> HardwareSpec::fromJson(const nlohmann::ordered_json& block, const std::string& file)
{
    try {
        const nlohmann::json plain = block;
        JsonObject o(plain, "/hardware");
        HardwareSpec spec;
        spec.templateName = o.requiredString("template");
        spec.preset = o.optionalString("preset", {});
        if (const auto params = o.optional("params")) {
            if (!params->isObject())
                params->fail("must be an object of parameter values");
            spec.params = block.at("params");
        }
        if (const auto mapper = o.optional("mapper")) {
            JsonObject m = mapper->asObject();
            if (const auto objective = m.optional("objective")) {
                const auto o2 = mapperObjectiveFromName(objective->asString());
                if (!o2)
                    objective->fail("unknown objective \"" + objective->asString() + "\" (energy, latency or edp)");
                spec.objective = *o2;
            }
            spec.budget = static_cast<int>(m.optionalInt("budget", spec.budget, 1, 100000000));
            m.rejectUnknownKeys();
        }
        o.rejectUnknownKeys();
        return spec;
    } catch (const InputError& e) {
        Error error = e.error();
        error.file = file;
        return error;
    }
}

}  // namespace cdx
