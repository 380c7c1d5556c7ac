#include "estimators/tech/fpgalibrary.h"

#include "core/util/checkedmath.h"
#include "core/util/jsonreader.h"
#include "estimators/tech/techlibrary.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace cdx {

namespace {

Dim ceilDiv(Dim a, Dim b) { return (a + b - 1) / b; }

template <class F>
void forEachEntry(JsonObject& parent, const char* key, F&& f)
{
    const auto v = parent.required(key);
    JsonObject o = v.asObject();
    for (auto it = v.raw().begin(); it != v.raw().end(); ++it) {
        if (it.key() == "source")
            continue;
        JsonObject entry = o.required(it.key()).asObject();
        f(it.key(), entry);
        entry.rejectUnknownKeys();
    }
}

FpgaLibrary parse(const nlohmann::json& root)
{
    JsonObject doc(root, {});
    const auto format = doc.required("format");
    if (format.asString() != "cdx-fpga")
        format.fail("expected \"cdx-fpga\"");
    doc.requiredInt("version", 1, 1);
    doc.optionalString("source", {});
    FpgaLibrary lib;
    forEachEntry(doc, "dsp_kinds", [&](const std::string& name, JsonObject& o) {
        DspKind k{name, static_cast<int>(o.requiredInt("a_bits", 1, 64)), static_cast<int>(o.requiredInt("b_bits", 1, 64)),
                  static_cast<int>(o.requiredInt("accumulator_bits", 1, 128)), static_cast<int>(o.requiredInt("int8_per_dsp", 1, 8)),
                  static_cast<int>(o.optionalInt("multipliers_per_block", 1, 1, 8))};
        o.optionalString("source", {});
        lib.dspKinds[name] = k;
    });
    forEachEntry(doc, "memory_kinds", [&](const std::string& name, JsonObject& o) {
        MemoryKind k{name, o.requiredInt("bits", 1), {}};
        for (const auto& aspect : o.required("aspects").asArray()) {
            const auto pair = aspect.asIntArray(1);
            if (pair.size() != 2)
                aspect.fail("needs [depth, width]");
            k.aspects.emplace_back(pair[0], static_cast<int>(pair[1]));
        }
        o.optionalString("source", {});
        lib.memoryKinds[name] = k;
    });
    JsonObject luts = doc.required("lut_multiplier").asObject();
    luts.optionalString("source", {});
    lib.unitFixedLuts = static_cast<int>(luts.requiredInt("unit_fixed_luts", 0));
    lib.lutThresholdBits = static_cast<int>(luts.requiredInt("lut_threshold_bits", 0, 64));
    luts.rejectUnknownKeys();
    JsonObject caps = doc.required("utilisation_caps").asObject();
    caps.optionalString("source", {});
    for (auto [key, field] : {std::pair{"lut", &FpgaUtilisationCaps::lut}, std::pair{"ff", &FpgaUtilisationCaps::ff},
                              std::pair{"bram", &FpgaUtilisationCaps::bram}, std::pair{"uram", &FpgaUtilisationCaps::uram},
                              std::pair{"dsp", &FpgaUtilisationCaps::dsp}}) {
        const auto v = caps.required(key);
        const double x = v.asNumber();
        if (!(x > 0 && x <= 1))
            v.fail("must be in (0, 1]");
        lib.caps.*field = x;
    }
    caps.rejectUnknownKeys();
    JsonObject power = doc.required("power").asObject();
    lib.powerSource = power.requiredString("source");
    power.optionalString("uram_note", {});
    forEachEntry(power, "families", [&](const std::string& name, JsonObject& o) {
        FpgaFamilyPower f;
        auto nonNegative = [&](const char* key) {
            const auto v = o.required(key);
            const double x = v.asNumber();
            if (x < 0)
                v.fail("must not be negative");
            return x;
        };
        f.lutFj = nonNegative("lut_fj");
        f.netFj = nonNegative("net_fj");
        f.ffClockFj = nonNegative("ff_clock_fj");
        f.lutramPj = nonNegative("lutram_pj");
        f.dspMacPj = nonNegative("dsp_mac_pj");
        f.bram36AccessPj = nonNegative("bram36_access_pj");
        f.uramAccessPj = nonNegative("uram_access_pj");
        f.processingSystemW = nonNegative("processing_system_w");
        f.clockManagerW = nonNegative("clock_manager_w");
        f.status = o.optionalString("status", {});
        lib.power[name] = f;
    });
    power.rejectUnknownKeys();
    forEachEntry(doc, "devices", [&](const std::string& name, JsonObject& o) {
        FpgaDevice d;
        d.name = name;
        d.family = o.requiredString("family");
        d.vendor = o.requiredString("vendor");
        d.status = o.optionalString("status", "U");
        d.lut = o.requiredInt("lut", 1);
        d.ff = o.requiredInt("ff", 1);
        d.bram18 = o.optionalInt("bram18", 0, 0);
        d.m20k = o.optionalInt("m20k", 0, 0);
        d.uram = o.optionalInt("uram", 0, 0);
        d.dsp = o.requiredInt("dsp", 0);
        const auto kind = o.required("dsp_kind");
        d.dspKind = kind.asString();
        if (!lib.dspKinds.count(d.dspKind))
            kind.fail("no DSP kind named \"" + d.dspKind + "\"");
        d.staticW = o.optionalNumber("static_w", 0);
        d.staticSource = o.optionalString("static_source", {});
        if (!lib.power.count(d.family))
            o.required("family").fail("no power coefficients for the family \"" + d.family + "\"");
        lib.devices[name] = d;
    });
    doc.rejectUnknownKeys();
    return lib;
}

}  // namespace

const FpgaFamilyPower& FpgaLibrary::familyPower(const FpgaDevice& device) const
{
    return power.at(device.family);
}

Result<FpgaDevice> FpgaLibrary::device(const std::string& name) const
{
    auto it = devices.find(name);
    if (it != devices.end())
        return it->second;
    std::vector<std::string> names;
    std::string list;
    for (const auto& [n, d] : devices) {
        names.push_back(n);
        list += (list.empty() ? "" : ", ") + n;
    }
    std::string message = "no FPGA device named \"" + name + "\"";
    if (auto guess = closestMatch(name, names))
        message += " (did you mean \"" + *guess + "\"?)";
    return Error{ExitCode::BadInput, {}, {}, message + "; known devices: " + list};
}

Result<FpgaLibrary> FpgaLibrary::load(const nlohmann::json& overrides)
{
    try {
        nlohmann::json root = parseJsonText(embeddedTechResource("fpga.json"));
        if (overrides.is_object() && overrides.contains("fpga"))
            root.merge_patch(overrides["fpga"]);
        return parse(root);
    } catch (const InputError& e) {
        Error error = e.error();
        error.location = "/tech (the built-in FPGA table with tech.overrides.fpga applied): " + error.location;
        return error;
    }
}

Result<FpgaLibrary> FpgaLibrary::load()
{
    return load(nlohmann::json());
}

Dim lutsPerMultiply(int weightBits, int activationBits)
{
    const Dim bits = weightBits + activationBits;
    return (2 * ceilDiv(bits, 6) - 1) * bits;
}

Dim lutsPerAdderTree(int weightBits, int activationBits, Dim inputs)
{
    return checkedMul(weightBits + activationBits, 2 * inputs - 1);
}

Dim dspsForMultiplies(const DspKind& dsp, int weightBits, int activationBits, Dim multiplies, bool sharedOperand)
{
    const int wide = std::max(weightBits, activationBits);
    const int narrow = std::min(weightBits, activationBits);
    // Slices per multiply when one slice is too narrow: tile the product.
    const Dim perMultiply = ceilDiv(wide, std::max(dsp.aBits, dsp.bBits)) * ceilDiv(narrow, std::min(dsp.aBits, dsp.bBits));
    if (perMultiply == 1 && wide <= 8 && sharedOperand)
        return ceilDiv(multiplies, dsp.int8PerDsp * dsp.multipliersPerBlock);
    return ceilDiv(checkedMul(multiplies, perMultiply), dsp.multipliersPerBlock);
}

Dim memoryBlocks(const MemoryKind& kind, Dim depth, Dim widthBits)
{
    Dim best = -1;
    for (const auto& [aspectDepth, aspectWidth] : kind.aspects) {
        const Dim blocks = checkedMul(ceilDiv(depth, aspectDepth), ceilDiv(widthBits, aspectWidth));
        if (best < 0 || blocks < best)
            best = blocks;
    }
    return best;
}

}  // namespace cdx
