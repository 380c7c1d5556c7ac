#include "estimators/tech/techlibrary.h"

#include "core/util/jsonreader.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace cdx {

namespace {

double interpolateLogLog(const std::vector<double>& xs, const std::vector<double>& ys, double x)
{
    if (xs.size() == 1)
        return ys[0];
    std::size_t i = 1;
    while (i + 1 < xs.size() && x > xs[i])
        ++i;
    const double slope = std::log(ys[i] / ys[i - 1]) / std::log(xs[i] / xs[i - 1]);
    return ys[i - 1] * std::pow(x / xs[i - 1], slope);
}

std::vector<double> positives(JsonObject& o, const char* key)
{
    std::vector<double> values;
    const auto v = o.required(key);
    for (const auto& item : v.asArray()) {
        const double x = item.asNumber();
        if (!(x > 0))
            item.fail("must be positive");
        values.push_back(x);
    }
    if (values.empty())
        v.fail("must not be empty");
    return values;
}

double positive(JsonObject& o, const char* key)
{
    const auto v = o.required(key);
    const double x = v.asNumber();
    if (!(x > 0))
        v.fail("must be positive");
    return x;
}

double nonNegative(JsonObject& o, const char* key)
{
    const auto v = o.required(key);
    const double x = v.asNumber();
    if (x < 0)
        v.fail("must not be negative");
    return x;
}

CostCurve readCurve(JsonObject& parent, const char* key, const char* axis)
{
    JsonObject o = parent.required(key).asObject();
    CostCurve c;
    c.x = positives(o, axis);
    c.energyPj = positives(o, "energy_pj");
    c.areaUm2 = positives(o, "area_um2");
    if (c.energyPj.size() != c.x.size() || c.areaUm2.size() != c.x.size())
        o.fail(std::string("needs as many energy_pj and area_um2 values as ") + axis);
    for (std::size_t i = 1; i < c.x.size(); ++i)
        if (c.x[i] <= c.x[i - 1])
            o.fail(std::string(axis) + " must increase");
    o.rejectUnknownKeys();
    return c;
}

std::pair<double, double> readUnit(JsonObject& parent, const char* key)
{
    JsonObject o = parent.required(key).asObject();
    const double e = positive(o, "energy_pj");
    const double a = positive(o, "area_um2");
    o.optionalString("source", {});
    o.rejectUnknownKeys();
    return {e, a};
}

int nodeKey(const JsonValue& at, const std::string& key)
{
    try {
        std::size_t used = 0;
        const int node = std::stoi(key, &used);
        if (used == key.size() && node > 0)
            return node;
    } catch (const std::exception&) {
    }
    at.fail("\"" + key + "\" is not a node in nm");
}

template <class F>
void forEachKey(JsonObject& parent, const char* key, F&& f)
{
    const auto v = parent.required(key);
    JsonObject o = v.asObject();
    for (auto it = v.raw().begin(); it != v.raw().end(); ++it)
        f(it.key(), o.required(it.key()));
}

std::map<int, double> nodeTable(JsonObject& parent, const char* key)
{
    std::map<int, double> table;
    forEachKey(parent, key, [&](const std::string& k, const JsonValue& v) {
        const double x = v.asNumber();
        if (!(x > 0))
            v.fail("must be positive");
        table[nodeKey(v, k)] = x;
    });
    return table;
}

void readPrimitives(JsonObject o, TechLibrary& lib)
{
    o.optionalString("source", {});
    lib.intAdd = readCurve(o, "int_add", "bits");
    lib.intMult = readCurve(o, "int_mult", "bits");
    lib.fpAdd = readCurve(o, "fp_add", "significand_bits");
    lib.fpMult = readCurve(o, "fp_mult", "significand_bits");
    std::tie(lib.registerBitPj, lib.registerBitUm2) = readUnit(o, "register_bit");
    std::tie(lib.comparator32Pj, lib.comparator32Um2) = readUnit(o, "comparator_32");
    std::tie(lib.mux2BitPj, lib.mux2BitUm2) = readUnit(o, "mux2_bit");
    o.rejectUnknownKeys();
}

void readScaling(JsonObject o, TechLibrary& lib)
{
    o.optionalString("source", {});
    forEachKey(o, "energy_fits", [&](const std::string& name, const JsonValue& v) {
        const auto values = v.asArray();
        if (values.size() != 3)
            v.fail("needs the three coefficients a, b, c of a V^2 + b V + c");
        lib.energyFits[name] = {values[0].asNumber(), values[1].asNumber(), values[2].asNumber()};
    });
    forEachKey(o, "node_fits", [&](const std::string& node, const JsonValue& v) {
        const std::string fit = v.asString();
        if (!lib.energyFits.count(fit))
            v.fail("no energy fit named \"" + fit + "\"");
        lib.nodeFits[nodeKey(v, node)] = fit;
    });
    lib.areaFactors = nodeTable(o, "area_factor_vs_45");
    lib.nominalVdd = nodeTable(o, "nominal_vdd");
    for (const auto& [node, fit] : lib.nodeFits)
        if (!lib.areaFactors.count(node) || !lib.nominalVdd.count(node))
            o.fail("node " + std::to_string(node) + " nm needs an area factor and a nominal vdd");
    o.rejectUnknownKeys();
}

SramEnergyFit readSramFit(JsonObject& sram, const char* key)
{
    JsonObject o = sram.required(key).asObject();
    SramEnergyFit f;
    f.coefficient = positive(o, "coefficient");
    f.depthExponent = nonNegative(o, "depth_exponent");
    f.widthExponent = nonNegative(o, "width_exponent");
    f.perBitPj = nonNegative(o, "per_bit_pj");
    o.rejectUnknownKeys();
    return f;
}

void readSram(JsonObject o, TechLibrary& lib)
{
    o.optionalString("source", {});
    lib.sramRead = readSramFit(o, "read");
    lib.sramWrite = readSramFit(o, "write");
    JsonObject factors = o.required("cacti_node_factors").asObject();
    lib.sramRead.nodeFactors = nodeTable(factors, "read");
    lib.sramWrite.nodeFactors = nodeTable(factors, "write");
    factors.rejectUnknownKeys();
    lib.sramAreaPerBitUm2 = positive(o, "area_um2_per_bit");
    lib.sramAreaFixedUm2 = nonNegative(o, "area_um2_fixed");
    lib.sramLeakagePerBitUw = nonNegative(o, "leakage_uw_per_bit");
    lib.sramLeakageFixedUw = nonNegative(o, "leakage_uw_fixed");
    o.rejectUnknownKeys();
}

TechLibrary parse(const nlohmann::json& root)
{
    JsonObject doc(root, {});
    const auto format = doc.required("format");
    if (format.asString() != "cdx-tech")
        format.fail("expected \"cdx-tech\"");
    doc.requiredInt("version", 1, 1);
    TechLibrary lib;
    lib.description = doc.requiredString("library");
    JsonObject base = doc.required("base").asObject();
    lib.baseNodeNm = static_cast<int>(base.requiredInt("node_nm", 1));
    lib.baseVdd = positive(base, "vdd");
    lib.baseFit = base.requiredString("fit");
    base.rejectUnknownKeys();
    readPrimitives(doc.required("primitives").asObject(), lib);
    readScaling(doc.required("scaling").asObject(), lib);
    if (!lib.energyFits.count(lib.baseFit))
        base.fail("no energy fit named \"" + lib.baseFit + "\"");
    readSram(doc.required("sram").asObject(), lib);
    forEachKey(doc, "dram_pj_per_bit", [&](const std::string& type, const JsonValue& v) {
        if (type == "source")
            return;
        const double x = v.asNumber();
        if (!(x > 0))
            v.fail("must be positive");
        lib.dramPjPerBit[type] = x;
    });
    JsonObject wire = doc.required("wire").asObject();
    wire.optionalString("source", {});
    lib.wireFjPerBitMm = nodeTable(wire, "fj_per_bit_mm");
    wire.rejectUnknownKeys();
    JsonObject leakage = doc.required("logic_leakage_fraction").asObject();
    leakage.optionalString("source", {});
    lib.logicLeakageFraction = nonNegative(leakage, "value");
    leakage.rejectUnknownKeys();
    if (auto physical = doc.optional("physical")) {
        JsonObject o = physical->asObject();
        PhysicalFactors& f = lib.physical;
        f.source = o.optionalString("source", {});
        f.placementUtilisation = nonNegative(o, "placement_utilisation");
        if (!(f.placementUtilisation > 0 && f.placementUtilisation <= 1))
            o.required("placement_utilisation").fail("must be in (0, 1]");
        f.sramMacroUm2 = nonNegative(o, "sram_macro_um2");
        f.controlUm2PerMac = nonNegative(o, "control_um2_per_mac");
        f.clockFjPerBit = nonNegative(o, "clock_fj_per_bit");
        f.controlFjPerMac = nonNegative(o, "control_fj_per_mac");
        o.optionalString("fit", {});
        o.rejectUnknownKeys();
    } else {
        lib.physical.placementUtilisation = 1;  // no physical model: the components alone
    }
    doc.rejectUnknownKeys();
    return lib;
}

}  // namespace

double CostCurve::energyAt(double bits) const { return interpolateLogLog(x, energyPj, bits); }
double CostCurve::areaAt(double bits) const { return interpolateLogLog(x, areaUm2, bits); }

double SramEnergyFit::at45nmPj(double depth, double widthBits) const
{
    return coefficient * std::pow(depth, depthExponent) * std::pow(widthBits, widthExponent) + perBitPj * widthBits;
}

Result<TechLibrary> TechLibrary::load(const nlohmann::json& overrides)
{
    try {
        nlohmann::json root = parseJsonText(embeddedTechResource("asic.json"));
        if (!overrides.is_null()) {
            if (!overrides.is_object())
                return Error{ExitCode::BadInput, {}, "/tech/overrides", "must be an object"};
            nlohmann::json patch = overrides;
            patch.erase("fpga");  // the FPGA tables take that part
            root.merge_patch(patch);
        }
        return parse(root);
    } catch (const InputError& e) {
        Error error = e.error();
        error.location = "/tech (the built-in table with tech.overrides applied): " + error.location;
        return error;
    }
}

Result<TechLibrary> TechLibrary::load()
{
    return load(nlohmann::json());
}

}  // namespace cdx
