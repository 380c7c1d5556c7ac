// The Timeloop and SCALE-Sim writers of `cdx export` and the studio's File > Export.
#include "estimators/export/exportwriters.h"

#include "core/util/jsonwriter.h"
#include "estimators/engine/problemshapes.h"
#include "estimators/templates/acceleratortemplate.h"
#include "estimators/templates/loopnestdesign.h"
#include "estimators/timeloop/timeloopexport.h"

#include <cctype>
#include <optional>
#include <tuple>
#include <cmath>
#include <set>
#include <sstream>

namespace cdx {

std::string exportIdentifier(std::string name)
{
    for (char& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
            c = '_';
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front())))
        name.insert(0, "l_");
    return name;
}

namespace {

/// Distinct folder names: "conv1", "conv1_2", ...
std::string uniqueName(const std::string& wanted, std::set<std::string>& taken)
{
    std::string name = wanted;
    for (int n = 2; taken.count(name) != 0; ++n)
        name = wanted + "_" + std::to_string(n);
    taken.insert(name);
    return name;
}

std::string caseReadme(const std::string& workload, const std::string& layer)
{
    std::string text = "Timeloop v3 inputs for workload " + workload + " (layer " + layer + "), written by cdx export --to timeloop.\n\n";
    text.append(
        "  timeloop-model arch.yaml problem.yaml cdx.map.yaml cdx.ERT.yaml cdx.ART.yaml\n"
        "      evaluates the mapping cdx's mapper chose, with cdx's energies and areas (no Accelergy run);\n"
        "  timeloop-model parsed-processed-input.yaml cdx.ERT.yaml cdx.ART.yaml\n"
        "      is the same, from the merged file;\n"
        "  cdx timeloop .   reads the folder back with cdx's engine.\n");
    return text;
}

/// The templates the loop-nest engine and mapper model (their designs are LoopNestDesigns):
/// "eyeriss, simple_ws, ... or nvdla", in the registry's order.
std::string loopNestTemplates()
{
    std::vector<std::string> names;
    for (const auto* t : acceleratorTemplates())
        if (t->info().model.rfind("loop-nest", 0) == 0)
            names.push_back(t->info().name);
    std::string list;
    for (std::size_t i = 0; i < names.size(); ++i)
        list += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
    return list;
}

}  // namespace

Result<ExportOutput> exportTimeloop(const Project& project, const EstimateInternals& internals)
{
    const auto* design = dynamic_cast<const LoopNestDesign*>(internals.design.get());
    if (design == nullptr)
        return Error{ExitCode::BadInput, project.filePath, "/hardware/template",
                     "the design is not a loop nest Timeloop can describe; --to timeloop needs one of the templates " + loopNestTemplates() +
                         ", not " + project.hardware.value("template", std::string("?"))};
    ExportOutput out;
    nlohmann::ordered_json cases = nlohmann::ordered_json::array();
    std::set<std::string> taken;
    for (const Workload& w : internals.workloads) {
        if (w.unit != WorkUnit::Array)
            continue;
        auto mapped = design->map(w, internals.evaluate);
        if (!mapped) {
            Error e = mapped.error();
            e.file = project.filePath;
            return e;
        }
        nlohmann::ordered_json entry{{"workload", w.name}, {"layer", w.layer}};
        auto files = timeloopCaseFiles(mapped.value(), w.name, out.notes);
        if (!files) {
            out.notes.push_back(w.name + ": not exported: " + files.error().location + ": " + files.error().message);
            entry["skipped"] = files.error().message;
            cases.push_back(entry);
            continue;
        }
        const std::string folder = uniqueName(exportIdentifier(w.name), taken);
        for (auto& f : files.value())
            out.files.emplace_back(folder + "/" + f.name, std::move(f.text));
        out.files.emplace_back(folder + "/README.txt", caseReadme(w.name, w.layer));
        entry["folder"] = folder;
        entry["repeat"] = w.repeat;
        entry["cycles"] = mapped->stats.cycles;
        entry["energy_pj"] = mapped->stats.energyPj;
        entry["activations_resident"] = mapped->activationsResident;
        entry["activations_off_chip"] = {{"inputs", mapped->inputsOffChip}, {"outputs", mapped->outputsOffChip}};
        cases.push_back(entry);
    }
    nlohmann::ordered_json index{{"format", "cdx-timeloop-export"}, {"version", 1}, {"project", project.filePath},
                                 {"note", "one Timeloop case per array workload; cycles and energy_pj are cdx's for one repetition"},
                                 {"cases", cases},    {"notes", out.notes}};
    out.files.emplace_back("cases.json", formatJson(index, 4));
    return out;
}

namespace {

double param(const EstimateInternals& internals, const char* name, double fallback)
{
    const auto it = internals.params.find(name);
    return it != internals.params.end() && it->is_number() ? it->get<double>() : fallback;
}

/// The input axis that output dimension `dim` slides along: its extent (sum of coefficient x
/// (bound - 1), plus 1) and the coefficient of `dim` (the stride). {1, 1} when there is none.
std::pair<Dim, Dim> inputAxis(const Problem& p, const char* dim)
{
    const int d = p.dimIndex(dim);
    for (const auto& axis : p.dataSpaces[kInputs].projection) {
        Dim extent = 1, stride = 0;
        for (const ProjectionTerm& t : axis) {
            extent += t.coefficient * (p.bounds[static_cast<std::size_t>(t.dim)] - 1);
            if (t.dim == d)
                stride = t.coefficient;
        }
        if (d >= 0 && stride > 0)
            return {extent, stride};
    }
    return {1, 1};
}

Dim bound(const Problem& p, const char* dim)
{
    const int d = p.dimIndex(dim);
    return d < 0 ? 1 : p.bounds[static_cast<std::size_t>(d)];
}

}  // namespace

Result<ExportOutput> exportScaleSim(const Project& project, const NetworkResult& result, const EstimateInternals& internals)
{
    if (result.templateName != "systolic")
        return Error{ExitCode::BadInput, project.filePath, "/hardware/template",
                     "SCALE-Sim models systolic arrays: --to scalesim needs the systolic template, not " + result.templateName};
    ExportOutput out;
    const std::string dataflow = internals.params.value("dataflow", std::string("ws"));
    const double wordBytes = std::max(1.0, param(internals, "activation_bits", 8) / 8);
    const double scratchpad = param(internals, "scratchpad_kib", 128), weightBuffer = param(internals, "weight_buffer_kib", 0);
    // SCALE-Sim's three SRAMs: inputs in the scratchpad, weights in the weight buffer (or the
    // scratchpad, halved between them), outputs in the accumulator memory.
    const double ifmap = weightBuffer > 0 ? scratchpad : scratchpad / 2, filter = weightBuffer > 0 ? weightBuffer : scratchpad / 2;
    const double bandwidthWords = result.dramBytesPerS > 0 && result.clockHz > 0 ? result.dramBytesPerS / result.clockHz / wordBytes : 10;
    std::ostringstream cfg;
    cfg << "# Generated by cdx export --to scalesim from " << project.filePath << "\n"
        << "# " << result.design << "\n"
        << "[general]\nrun_name = " << exportIdentifier(project.name.empty() ? "cdx" : project.name) << "\n\n"
        << "[architecture_presets]\n"
        << "ArrayHeight : " << static_cast<long long>(param(internals, "rows", 16)) << "\n"
        << "ArrayWidth : " << static_cast<long long>(param(internals, "cols", 16)) << "\n"
        << "IfmapSramSzkB : " << static_cast<long long>(std::ceil(ifmap)) << "\n"
        << "FilterSramSzkB : " << static_cast<long long>(std::ceil(filter)) << "\n"
        << "OfmapSramSzkB : " << static_cast<long long>(std::ceil(param(internals, "accumulator_kib", 128))) << "\n"
        << "IfmapOffset : 0\nFilterOffset : 10000000\nOfmapOffset : 20000000\n"
        << "Dataflow : " << dataflow << "\n"
        << "Bandwidth : " << std::max<long long>(1, static_cast<long long>(std::floor(bandwidthWords))) << "\n"
        << "MemoryBanks : 1\n\n"
        << "[run_presets]\nInterfaceBandwidth : USER\n";
    out.files.emplace_back("scalesim.cfg", cfg.str());

    std::ostringstream topology;
    topology << "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n";
    for (const Workload& w : internals.workloads) {
        if (w.unit != WorkUnit::Array)
            continue;
        const Problem& p = w.problem;
        const bool conv = p.dimIndex("R") >= 0 && p.dimIndex("P") >= 0 && p.dataSpaceCount() == 3;
        Dim h = 1, wd = 1, r = 1, s = 1, stride = 1;
        if (conv) {
            std::tie(h, stride) = inputAxis(p, "P");
            wd = inputAxis(p, "Q").first;
            r = bound(p, "R");
            s = bound(p, "S");
        }
        const Dim channels = bound(p, "C"), filters = bound(p, "M");
        const Dim copies = bound(p, "N") * bound(p, "G") * std::max<Dim>(1, w.repeat);
        if (!conv && p.dimIndex("C") < 0)
            out.notes.push_back(w.name + ": " + p.name + " is neither a convolution nor a matrix product; written as 1x1 with its bounds");
        if (copies > 1)
            out.notes.push_back(w.name + ": SCALE-Sim runs one of its " + std::to_string(copies) +
                                " images, groups or time steps; multiply its cycles by that");
        topology << exportIdentifier(w.name) << ", " << h << ", " << wd << ", " << r << ", " << s << ", " << channels << ", " << filters << ", "
                 << stride << ",\n";
    }
    out.files.emplace_back("topology.csv", topology.str());
    return out;
}

}  // namespace cdx
