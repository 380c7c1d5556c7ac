#include "estimators/timeloop/timeloopexport.h"

#include "estimators/engine/problemshapes.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>

namespace cdx {

namespace {

constexpr const char* kTop = "system_top_level";

std::string qualified(const std::string& name, Dim instances)
{
    return std::string(kTop) + "." + name + "[1.." + std::to_string(instances) + "]";
}

/// The Timeloop (Accelergy) class of a level of ours.
void emitClass(YAML::Emitter& out, const StorageLevel& level)
{
    if (level.dummy)
        out << YAML::Key << "class" << YAML::Value << "dummy_storage";
    else if (level.technology == "DRAM")
        out << YAML::Key << "class" << YAML::Value << "DRAM";
    else if (level.technology == "SRAM")
        out << YAML::Key << "class" << YAML::Value << "smartbuffer_SRAM";
    else if (level.technology == "register file")
        out << YAML::Key << "class" << YAML::Value << "smartbuffer_RF";
    else
        out << YAML::Key << "class" << YAML::Value << "storage" << YAML::Key << "subclass" << YAML::Value << "aladdin_register";
}

void emitArchitecture(YAML::Emitter& out, const Architecture& arch)
{
    out << YAML::Key << "architecture" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "version" << YAML::Value << YAML::SingleQuoted << "0.4";
    out << YAML::Key << "subtree" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
    out << YAML::Key << "name" << YAML::Value << kTop;
    out << YAML::Key << "attributes" << YAML::Value << YAML::BeginMap << YAML::Key << "version" << YAML::Value << YAML::SingleQuoted << "0.4"
        << YAML::Key << "global_cycle_seconds" << YAML::Value << arch.cycleSeconds << YAML::EndMap;
    out << YAML::Key << "local" << YAML::Value << YAML::BeginSeq;
    for (auto it = arch.storage.rbegin(); it != arch.storage.rend(); ++it) {  // outermost first
        const StorageLevel& level = *it;
        out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << level.name + "[1.." + std::to_string(level.instances()) + "]";
        emitClass(out, level);
        out << YAML::Key << "attributes" << YAML::Value << YAML::BeginMap;
        if (!level.dummy && level.technology != "DRAM")
            out << YAML::Key << "depth" << YAML::Value << level.depth / level.blockSize;
        out << YAML::Key << "width" << YAML::Value << level.wordBits * level.blockSize;
        out << YAML::Key << "datawidth" << YAML::Value << level.wordBits;
        out << YAML::Key << "block_size" << YAML::Value << level.blockSize;
        if (level.readBandwidth > 0)
            out << YAML::Key << "read_bandwidth" << YAML::Value << level.readBandwidth;
        if (level.writeBandwidth > 0)
            out << YAML::Key << "write_bandwidth" << YAML::Value << level.writeBandwidth;
        if (level.sharedBandwidth > 0)
            out << YAML::Key << "shared_bandwidth" << YAML::Value << level.sharedBandwidth;
        out << YAML::Key << "multiple_buffering" << YAML::Value << level.multipleBuffering;
        out << YAML::Key << "meshX" << YAML::Value << level.meshX << YAML::Key << "meshY" << YAML::Value << level.meshY;
        out << YAML::EndMap << YAML::EndMap;
    }
    const ArithmeticLevel& mac = arch.arithmetic;
    out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << mac.name + "[1.." + std::to_string(mac.instances()) + "]";
    out << YAML::Key << "class" << YAML::Value << "intmac";
    out << YAML::Key << "attributes" << YAML::Value << YAML::BeginMap << YAML::Key << "datawidth" << YAML::Value << mac.wordBits
        << YAML::Key << "meshX" << YAML::Value << mac.meshX << YAML::Key << "meshY" << YAML::Value << mac.meshY << YAML::EndMap;
    out << YAML::EndMap;
    out << YAML::EndSeq << YAML::EndMap << YAML::EndSeq << YAML::EndMap;
}

void emitProblem(YAML::Emitter& out, const Problem& problem, const std::string& name)
{
    // A coefficient other than 1 gets a name (Timeloop's problems declare them).
    std::map<std::pair<std::size_t, std::pair<std::size_t, std::size_t>>, std::string> coefficientName;
    std::vector<std::pair<std::string, Dim>> coefficients;
    for (std::size_t s = 0; s < problem.dataSpaces.size(); ++s)
        for (std::size_t a = 0; a < problem.dataSpaces[s].projection.size(); ++a)
            for (std::size_t t = 0; t < problem.dataSpaces[s].projection[a].size(); ++t) {
                const ProjectionTerm& term = problem.dataSpaces[s].projection[a][t];
                if (term.coefficient == 1)
                    continue;
                const std::string label = problem.dataSpaces[s].name + "_" + std::to_string(a) + "_" +
                                          problem.dimNames[static_cast<std::size_t>(term.dim)];
                coefficientName[{s, {a, t}}] = label;
                coefficients.emplace_back(label, term.coefficient);
            }
    out << YAML::Key << "problem" << YAML::Value << YAML::BeginMap << YAML::Key << "version" << YAML::Value << YAML::SingleQuoted << "0.4";
    out << YAML::Key << "shape" << YAML::Value << YAML::BeginMap << YAML::Key << "name" << YAML::Value << name;
    out << YAML::Key << "dimensions" << YAML::Value << YAML::Flow << problem.dimNames;
    out << YAML::Key << "coefficients" << YAML::Value << YAML::BeginSeq;
    for (const auto& [label, value] : coefficients)
        out << YAML::Flow << YAML::BeginMap << YAML::Key << "name" << YAML::Value << label << YAML::Key << "default" << YAML::Value << value
            << YAML::EndMap;
    out << YAML::EndSeq;
    out << YAML::Key << "data_spaces" << YAML::Value << YAML::BeginSeq;
    for (std::size_t s = 0; s < problem.dataSpaces.size(); ++s) {
        const DataSpace& ds = problem.dataSpaces[s];
        out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << ds.name;
        out << YAML::Key << "projection" << YAML::Value << YAML::Flow << YAML::BeginSeq;
        for (std::size_t a = 0; a < ds.projection.size(); ++a) {
            out << YAML::BeginSeq;
            for (std::size_t t = 0; t < ds.projection[a].size(); ++t) {
                out << YAML::BeginSeq << problem.dimNames[static_cast<std::size_t>(ds.projection[a][t].dim)];
                if (auto it = coefficientName.find({s, {a, t}}); it != coefficientName.end())
                    out << it->second;
                out << YAML::EndSeq;
            }
            out << YAML::EndSeq;
        }
        out << YAML::EndSeq;
        if (ds.readWrite)
            out << YAML::Key << "read_write" << YAML::Value << true;
        out << YAML::EndMap;
    }
    out << YAML::EndSeq << YAML::EndMap;
    out << YAML::Key << "instance" << YAML::Value << YAML::BeginMap;
    for (int d = 0; d < problem.dims(); ++d)
        out << YAML::Key << problem.dimNames[static_cast<std::size_t>(d)] << YAML::Value << problem.bounds[static_cast<std::size_t>(d)];
    bool sparse = false;
    for (int s = 0; s < problem.dataSpaceCount(); ++s)
        sparse = sparse || problem.densities[static_cast<std::size_t>(s)] < 1;
    if (sparse) {
        out << YAML::Key << "densities" << YAML::Value << YAML::BeginMap;
        for (int s = 0; s < problem.dataSpaceCount(); ++s)
            if (problem.densities[static_cast<std::size_t>(s)] < 1)
                out << YAML::Key << problem.dataSpaces[static_cast<std::size_t>(s)].name << YAML::Value << YAML::BeginMap << YAML::Key
                    << "distribution" << YAML::Value << "fixed-structured" << YAML::Key << "density" << YAML::Value
                    << problem.densities[static_cast<std::size_t>(s)] << YAML::EndMap;
        out << YAML::EndMap;
    }
    out << YAML::EndMap << YAML::EndMap;
}

std::string factorsText(const Problem& problem, const DimArray& factors)
{
    std::string text;
    for (int d = 0; d < problem.dims(); ++d) {
        if (!text.empty())
            text += ' ';
        text += problem.dimNames[static_cast<std::size_t>(d)] + "=" + std::to_string(factors[static_cast<std::size_t>(d)]);
    }
    return text;
}

Result<std::string> emitMapping(YAML::Emitter& out, const Problem& problem, const Architecture& arch, const Mapping& mapping)
{
    out << YAML::Key << "mapping" << YAML::Value << YAML::BeginSeq;
    for (std::size_t i = 0; i < mapping.levels.size(); ++i) {
        const LevelMapping& lm = mapping.levels[i];
        const std::string& target = arch.storage[i].name;
        out << YAML::BeginMap << YAML::Key << "target" << YAML::Value << target << YAML::Key << "type" << YAML::Value << "temporal";
        out << YAML::Key << "factors" << YAML::Value << factorsText(problem, lm.temporal);
        std::string permutation;
        for (int k = 0; k < lm.orderSize; ++k)
            permutation += problem.dimNames[static_cast<std::size_t>(lm.order[static_cast<std::size_t>(k)])];
        out << YAML::Key << "permutation" << YAML::Value << permutation << YAML::EndMap;

        DimArray spatial{};
        spatial.fill(1);
        bool anySpatial = false;
        for (int d = 0; d < problem.dims(); ++d) {
            const auto kd = static_cast<std::size_t>(d);
            if (lm.spatialX[kd] > 1 && lm.spatialY[kd] > 1)
                return Error{ExitCode::BadInput, {}, "level " + target,
                             problem.dimNames[kd] + " is spread over both X (" + std::to_string(lm.spatialX[kd]) + ") and Y (" +
                                 std::to_string(lm.spatialY[kd]) + ") of the fan-out below " + target +
                                 ", which a Timeloop mapping cannot say"};
            spatial[kd] = lm.spatialX[kd] * lm.spatialY[kd];
            anySpatial = anySpatial || spatial[kd] > 1;
        }
        if (anySpatial) {
            std::string order;
            int split = 0;
            for (int k = 0; k < lm.spatialOrderSize; ++k) {
                const auto d = static_cast<std::size_t>(lm.spatialOrder[static_cast<std::size_t>(k)]);
                order += problem.dimNames[d];
                split += lm.spatialX[d] > 1 ? 1 : 0;
            }
            out << YAML::BeginMap << YAML::Key << "target" << YAML::Value << target << YAML::Key << "type" << YAML::Value << "spatial";
            out << YAML::Key << "factors" << YAML::Value << factorsText(problem, spatial);
            out << YAML::Key << "permutation" << YAML::Value << order << YAML::Key << "split" << YAML::Value << split << YAML::EndMap;
        }
        std::vector<std::string> keep, bypass;
        for (int s = 0; s < problem.dataSpaceCount(); ++s)
            (lm.keep.test(static_cast<std::size_t>(s)) ? keep : bypass).push_back(problem.dataSpaces[static_cast<std::size_t>(s)].name);
        out << YAML::BeginMap << YAML::Key << "target" << YAML::Value << target << YAML::Key << "type" << YAML::Value << "datatype";
        out << YAML::Key << "keep" << YAML::Value << YAML::Flow << keep << YAML::Key << "bypass" << YAML::Value << YAML::Flow << bypass
            << YAML::EndMap;
    }
    out << YAML::EndSeq;
    return std::string();
}

void emitAction(YAML::Emitter& out, const char* name, double pj)
{
    out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << name << YAML::Key << "energy" << YAML::Value << pj << YAML::EndMap;
}

std::string ertText(const Architecture& arch)
{
    YAML::Emitter out;
    out.SetDoublePrecision(17);
    out << YAML::BeginMap << YAML::Key << "ERT" << YAML::Value << YAML::BeginMap << YAML::Key << "version" << YAML::Value << YAML::SingleQuoted << "0.4";
    out << YAML::Key << "tables" << YAML::Value << YAML::BeginSeq;
    for (auto it = arch.storage.rbegin(); it != arch.storage.rend(); ++it) {
        if (it->dummy)
            continue;
        out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << qualified(it->name, it->instances());
        out << YAML::Key << "actions" << YAML::Value << YAML::BeginSeq;
        emitAction(out, "read", it->actions.readPj);
        emitAction(out, "write", it->actions.writePj);
        emitAction(out, "update", it->actions.updatePj);
        emitAction(out, "leak", it->actions.leakPj);
        out << YAML::EndSeq << YAML::EndMap;
    }
    out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << qualified(arch.arithmetic.name, arch.arithmetic.instances());
    out << YAML::Key << "actions" << YAML::Value << YAML::BeginSeq;
    emitAction(out, "compute", arch.arithmetic.computePj);
    emitAction(out, "leak", arch.arithmetic.leakPj);
    out << YAML::EndSeq << YAML::EndMap;
    out << YAML::EndSeq << YAML::EndMap << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

std::string artText(const Architecture& arch)
{
    YAML::Emitter out;
    out.SetDoublePrecision(17);
    out << YAML::BeginMap << YAML::Key << "ART" << YAML::Value << YAML::BeginMap << YAML::Key << "version" << YAML::Value << YAML::SingleQuoted << "0.4";
    out << YAML::Key << "tables" << YAML::Value << YAML::BeginSeq;
    for (auto it = arch.storage.rbegin(); it != arch.storage.rend(); ++it)
        out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << qualified(it->name, it->instances()) << YAML::Key << "area"
            << YAML::Value << it->areaUm2 << YAML::EndMap;
    out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << qualified(arch.arithmetic.name, arch.arithmetic.instances())
        << YAML::Key << "area" << YAML::Value << arch.arithmetic.areaUm2 << YAML::EndMap;
    out << YAML::EndSeq << YAML::EndMap << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

template <typename Body>
std::string document(Body&& body)
{
    YAML::Emitter out;
    out.SetDoublePrecision(17);
    out << YAML::BeginMap;
    body(out);
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

}  // namespace

Result<std::vector<TimeloopFile>> timeloopCaseFiles(const MappedWorkload& mapped, const std::string& problemName,
                                                     std::vector<std::string>& notes)
{
    const Problem& problem = mapped.problem;
    const Architecture& arch = mapped.architecture;
    {
        YAML::Emitter probe;
        probe << YAML::BeginMap;
        if (auto ok = emitMapping(probe, problem, arch, mapped.mapping); !ok)
            return ok.error();
    }
    if (arch.sparse.active)
        notes.push_back(problemName + ": the design's sparse acceleration (gating and skipping of zeros, compressed formats) is not "
                                      "written; the densities are, and Timeloop evaluates the mapping dense");
    if (std::any_of(arch.storage.begin(), arch.storage.end(), [](const StorageLevel& l) { return l.elementsPerWord[kWeights] > 1; }))
        notes.push_back(problemName + ": cdx's estimate stores the weights packed (pack_weights), several to a word; Timeloop "
                                      "stores one per word and counts the unpacked words");
    if (mapped.activationsResident)
        notes.push_back(problemName + ": the activations stay on chip between layers in cdx's estimate; Timeloop counts their DRAM "
                                      "traffic, which this mapping still has");
    else if (mapped.inputsOffChip < 1 || mapped.outputsOffChip < 1)
        notes.push_back(problemName + ": cdx's estimate keeps part of the activations on chip between layers (inputs " +
                        std::to_string(static_cast<int>(std::lround(100 * mapped.inputsOffChip))) + "%, outputs " +
                        std::to_string(static_cast<int>(std::lround(100 * mapped.outputsOffChip))) +
                        "% of their DRAM traffic kept); Timeloop counts all of it");
    std::vector<TimeloopFile> files;
    files.push_back({"arch.yaml", document([&](YAML::Emitter& out) { emitArchitecture(out, arch); })});
    files.push_back({"problem.yaml", document([&](YAML::Emitter& out) { emitProblem(out, problem, problemName); })});
    files.push_back({"cdx.map.yaml", document([&](YAML::Emitter& out) { (void)emitMapping(out, problem, arch, mapped.mapping); })});
    files.push_back({"cdx.ERT.yaml", ertText(arch)});
    files.push_back({"cdx.ART.yaml", artText(arch)});
    files.push_back({"parsed-processed-input.yaml", document([&](YAML::Emitter& out) {
                         emitArchitecture(out, arch);
                         emitProblem(out, problem, problemName);
                         (void)emitMapping(out, problem, arch, mapped.mapping);
                     })});
    return files;
}

}  // namespace cdx
