#include "estimators/timeloop/timeloopowntech.h"

#include "estimators/tech/asictechnology.h"
#include "estimators/tech/techscaling.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <sstream>

namespace cdx {

namespace {

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return s;
}

bool contains(const std::string& haystack, const char* needle)
{
    return haystack.find(needle) != std::string::npos;
}

/// "45nm", "45 nm", "45" -> 45; anything else -> nothing.
std::optional<double> parseNode(const std::string& text)
{
    double value = 0;
    const char* begin = text.data();
    const char* end = text.data() + text.size();
    const auto parsed = std::from_chars(begin, end, value);
    if (parsed.ec != std::errc() || value <= 0)
        return std::nullopt;
    std::string rest(parsed.ptr, end);
    rest.erase(std::remove(rest.begin(), rest.end(), ' '), rest.end());
    if (!rest.empty() && lower(rest) != "nm")
        return std::nullopt;
    return value;
}

std::string format(double value)
{
    std::ostringstream out;
    out << value;
    return out.str();
}

/// The number format of a compute class: floating point by its width if the class says so.
NumberFormat computeFormat(const std::string& cls, int bits)
{
    if (!contains(cls, "fp") && !contains(cls, "float"))
        return NumberFormat::Int;
    if (bits <= 8)
        return NumberFormat::Fp8E4M3;
    if (bits <= 16)
        return NumberFormat::Fp16;
    return NumberFormat::Fp32;
}

int roundBits(double bits, double fallback)
{
    const double b = bits > 0 ? bits : fallback;
    return std::max(1, static_cast<int>(std::lround(b)));
}

}  // namespace

Result<TimeloopCase> withOwnTechnology(TimeloopCase c, std::shared_ptr<const TechLibrary> library,
                                       const OwnTechOptions& options)
{
    const TechLibrary& lib = *library;
    const double cycleSeconds = c.architecture.cycleSeconds;
    // uW of static power -> pJ per cycle.
    const double pjPerCyclePerUw = cycleSeconds * 1e6;

    auto technologyFor = [&](const TimeloopComponent& component) -> Result<AsicTechnology> {
        double node = lib.baseNodeNm;
        if (const auto parsed = parseNode(component.technology))
            node = *parsed;
        else
            c.warnings.push_back(component.name + ": no technology node (\"" + component.technology +
                                 "\"); taken at " + format(node) + " nm");
        const double vdd = options.vdd.value_or(nominalVdd(lib, node));
        if (const auto problem = checkNodeAndVdd(lib, node, vdd))
            return Error{ExitCode::BadInput, component.file, component.path + "/attributes/technology", *problem};
        return AsicTechnology(library, node, vdd);
    };
    auto at = [](const AsicTechnology& tech) {
        return " at " + format(tech.nodeNm()) + " nm, " + format(std::round(tech.vdd() * 1000) / 1000) + " V";
    };

    for (const TimeloopComponent& component : c.components) {
        const std::string cls = lower(component.className) + " " + lower(component.subclass);
        if (component.compute) {
            auto tech = technologyFor(component);
            if (!tech)
                return tech.error();
            ArithmeticLevel& unit = c.architecture.arithmetic;
            const int multiplier = roundBits(component.multiplierWidth, component.wordBits > 0 ? component.wordBits : unit.wordBits);
            const int adder = roundBits(component.adderWidth, 2.0 * multiplier);
            const NumberFormat fmt = computeFormat(cls, multiplier);
            unit.computePj = tech->macEnergyPj(fmt, multiplier, multiplier, adder);
            unit.areaUm2 = tech->macAreaUm2(fmt, multiplier, multiplier, adder);
            unit.leakPj = unit.computePj * tech->logicLeakageFraction();
            unit.source = "technology model: " + std::string(numberFormatName(fmt)) + " " + std::to_string(multiplier) +
                          "x" + std::to_string(multiplier) + " multiplier + " + std::to_string(adder) + "-bit adder" + at(tech.value());
            continue;
        }
        auto level = std::find_if(c.architecture.storage.begin(), c.architecture.storage.end(),
                                  [&](const StorageLevel& s) { return s.name == component.name; });
        if (level == c.architecture.storage.end())
            continue;
        if (level->dummy) {
            level->actions = StorageActions{0, 0, 0, 0, "none: a point of spatial fan-out"};
            level->areaUm2 = 0;
            continue;
        }
        const int width = roundBits(component.widthBits, level->wordBits);
        const Dim depth = std::max<Dim>(1, static_cast<Dim>(std::llround(component.depth)));
        if (contains(cls, "dram")) {
            // DRAM energy per bit does not depend on the logic node.
            const AsicTechnology base(library, lib.baseNodeNm, lib.baseVdd);
            const std::string type = lower(component.dramType.empty() ? "lpddr4" : component.dramType);
            const auto perBit = base.dramEnergyPjPerBit(type);
            if (!perBit) {
                std::string known;
                for (const auto& [name, pj] : lib.dramPjPerBit)
                    known += (known.empty() ? "" : ", ") + name;
                return Error{ExitCode::BadInput, component.file, component.path + "/attributes/type",
                             "unknown DRAM type \"" + component.dramType + "\" (the technology tables know " + known + ")"};
            }
            const double e = *perBit * width;
            level->actions = StorageActions{e, e, e, 0, "technology model: " + type + " " + format(*perBit) + " pJ/bit x " + std::to_string(width) + " bits"};
            level->areaUm2 = 0;
            continue;
        }
        auto tech = technologyFor(component);
        if (!tech)
            return tech.error();
        if (contains(cls, "register")) {
            const double e = tech->registerEnergyPj(width);
            level->actions = StorageActions{e, e, e, tech->registerEnergyPj(static_cast<int>(depth) * width) * tech->logicLeakageFraction(),
                                            "technology model: register " + std::to_string(width) + " bits" + at(tech.value())};
            level->areaUm2 = tech->registerAreaUm2(static_cast<int>(depth) * width);
        } else if (contains(cls, "rf") || contains(cls, "regfile")) {
            const int entries = static_cast<int>(std::min<Dim>(depth, 1 << 20));
            const double read = tech->muxEnergyPj(width, entries);
            const double write = tech->registerEnergyPj(width);
            level->actions = StorageActions{read, write, write, tech->registerEnergyPj(entries * width) * tech->logicLeakageFraction(),
                                            "technology model: register file " + std::to_string(depth) + "x" + std::to_string(width) +
                                                " (flip-flops, " + std::to_string(entries) + ":1 read multiplexer)" + at(tech.value())};
            level->areaUm2 = tech->registerAreaUm2(entries * width) + tech->muxAreaUm2(width, entries);
        } else {
            if (!contains(cls, "sram"))
                c.warnings.push_back(component.name + ": class \"" + component.className + "\" costed as an SRAM");
            const MemoryCost m = tech->sram(depth, width);
            level->actions = StorageActions{m.readPj, m.writePj, m.writePj, m.leakageUw * pjPerCyclePerUw,
                                            "technology model: SRAM " + std::to_string(depth) + "x" + std::to_string(width) + " (CACTI fit)" + at(tech.value())};
            level->areaUm2 = m.areaUm2;
        }
    }
    return c;
}

}  // namespace cdx
