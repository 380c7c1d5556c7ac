// Reading Timeloop's YAML (architecture v0.4, problem, mapping, ERT, ART) with yaml-cpp.
#include "estimators/timeloop/timeloopcase.h"

#include "core/util/error.h"
#include "core/util/jsonreader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <optional>
#include <set>
#include <sstream>

namespace cdx {

namespace {

namespace fs = std::filesystem;

/// Where the reader is, for messages: a file and a path of keys in it.
struct Place {
    std::string file;
    std::string path;

    Place operator/(const std::string& key) const { return {file, path + "/" + key}; }
    Place operator/(std::size_t index) const { return {file, path + "/" + std::to_string(index)}; }
    [[noreturn]] void fail(const std::string& message) const
    {
        throw InputError(Error{ExitCode::BadInput, file, path.empty() ? "/" : path, message});
    }
};

YAML::Node child(const YAML::Node& node, const std::string& key, const Place& at)
{
    if (!node.IsMap())
        at.fail("expected a map");
    const YAML::Node c = node[key];
    if (!c)
        at.fail("missing key \"" + key + "\"");
    return c;
}

template <class T>
T as(const YAML::Node& node, const Place& at, const char* what)
{
    try {
        return node.as<T>();
    } catch (const YAML::Exception&) {
        at.fail(std::string("expected ") + what);
    }
}

YAML::Node loadYaml(const fs::path& file)
{
    try {
        return YAML::LoadFile(file.string());
    } catch (const YAML::BadFile&) {
        throw InputError(Error{ExitCode::BadInput, file.string(), {}, "cannot open the file"});
    } catch (const YAML::Exception& e) {
        throw InputError(Error{ExitCode::BadInput, file.string(),
                               "line " + std::to_string(e.mark.line + 1) + ", column " + std::to_string(e.mark.column + 1),
                               "YAML syntax error: " + e.msg});
    }
}

/// "shared_glb[1..1]" -> "shared_glb"; "system_top_level.pe_spad[1..256]" -> "pe_spad".
std::string baseName(std::string name)
{
    if (auto bracket = name.find('['); bracket != std::string::npos)
        name = name.substr(0, bracket);
    if (auto dot = name.rfind('.'); dot != std::string::npos)
        name = name.substr(dot + 1);
    return name;
}

std::optional<fs::path> findFile(const fs::path& folder, const std::string& suffix)
{
    std::vector<fs::path> found;
    for (const auto& entry : fs::directory_iterator(folder))
        if (entry.is_regular_file()) {
            const std::string name = entry.path().filename().string();
            if (name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
                found.push_back(entry.path());
        }
    std::sort(found.begin(), found.end());
    if (found.empty())
        return std::nullopt;
    return found.front();
}

double number(const YAML::Node& attributes, const char* key, double fallback, const Place& at)
{
    const YAML::Node v = attributes[key];
    if (!v || v.IsNull())
        return fallback;
    const double x = as<double>(v, at / key, "a number");
    if (x < 0)
        (at / key).fail("must not be negative");
    return x;
}

/// A count or width attribute: a number from 0 to `max` (Timeloop's files write them as numbers).
Dim bounded(const YAML::Node& attributes, const char* key, double fallback, double max, const Place& at)
{
    const double x = number(attributes, key, fallback, at);
    if (!(x <= max))
        (at / key).fail("must be at most " + std::to_string(static_cast<long long>(max)));
    return static_cast<Dim>(x);
}

constexpr double kMaxMesh = 1 << 20;       ///< instances along one side of a mesh
constexpr double kMaxBits = 1 << 16;       ///< datawidth, width
constexpr double kMaxDepth = 1ll << 32;    ///< entries of a buffer

bool isComputeClass(const std::string& cls)
{
    std::string lower = cls;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    return lower.find("mac") != std::string::npos || lower == "compute" || lower.find("multiplier") != std::string::npos;
}

// ---- architecture ----

std::string text(const YAML::Node& attributes, const char* key)
{
    const YAML::Node v = attributes[key];
    return v && v.IsScalar() ? v.Scalar() : std::string();
}

/// The architecture as it is read: the engine's levels (outermost first until the end) and
/// the attributes of every component.
struct ArchitectureReader {
    Architecture arch;
    std::vector<StorageLevel> outerFirst;
    std::vector<TimeloopComponent> components;
    bool haveCompute = false;
};

void readLocal(const YAML::Node& local, const Place& entry, ArchitectureReader& reader)
{
    Architecture& arch = reader.arch;
    const std::string name = baseName(as<std::string>(child(local, "name", entry), entry / "name", "a name"));
    const Place at{entry.file, entry.path + " (\"" + name + "\")"};
    const std::string cls = local["class"] ? as<std::string>(local["class"], at / "class", "a class name") : std::string();
    const YAML::Node attributes = local["attributes"] ? local["attributes"] : YAML::Node(YAML::NodeType::Map);
    const Place attrs = at / "attributes";
    const int meshX = static_cast<int>(bounded(attributes, "meshX", 1, kMaxMesh, attrs));
    const int meshY = static_cast<int>(bounded(attributes, "meshY", 1, kMaxMesh, attrs));
    if (meshX < 1 || meshY < 1)
        attrs.fail("meshX and meshY must be at least 1");
    TimeloopComponent component;
    component.name = name;
    component.className = cls;
    component.subclass = local["subclass"] && local["subclass"].IsScalar() ? local["subclass"].Scalar() : std::string();
    component.technology = text(attributes, "technology");
    component.dramType = text(attributes, "type");
    component.file = at.file;
    component.path = at.path;
    component.depth = number(attributes, "depth", 0, attrs);
    component.wordBits = number(attributes, "datawidth", 0, attrs);
    component.widthBits = number(attributes, "width", component.wordBits, attrs);
    component.multiplierWidth = number(attributes, "multiplier_width", 0, attrs);
    component.adderWidth = number(attributes, "adder_width", 0, attrs);
    component.compute = isComputeClass(cls);
    reader.components.push_back(component);
    if (component.compute) {
        bool& haveCompute = reader.haveCompute;
        if (haveCompute)
            at.fail("a second compute level; the engine takes one");
        haveCompute = true;
        arch.arithmetic.name = name;
        arch.arithmetic.meshX = meshX;
        arch.arithmetic.meshY = meshY;
        const double bits = number(attributes, "datawidth", number(attributes, "width", number(attributes, "adder_width", 16, attrs), attrs), attrs);
        if (!(bits <= kMaxBits))
            attrs.fail("the compute unit's width must be at most " + std::to_string(static_cast<long long>(kMaxBits)) + " bits");
        arch.arithmetic.wordBits = static_cast<int>(bits);
        return;
    }
    StorageLevel level;
    level.name = name;
    level.meshX = meshX;
    level.meshY = meshY;
    level.technology = cls;
    level.dummy = cls == "dummy_storage";
    level.wordBits = static_cast<int>(bounded(attributes, "datawidth", 8, kMaxBits, attrs));
    if (level.wordBits < 1)
        attrs.fail("datawidth must be at least 1");
    const double width = static_cast<double>(bounded(attributes, "width", level.wordBits, kMaxBits, attrs));
    level.blockSize = std::max(1, static_cast<int>(bounded(attributes, "block_size", width / level.wordBits, kMaxBits, attrs)));
    const bool dram = cls == "DRAM";
    level.depth = dram || level.dummy ? 0 : bounded(attributes, "depth", 0, kMaxDepth, attrs) * level.blockSize;
    if (!dram && !level.dummy && level.depth == 0)
        attrs.fail("a storage level needs a depth");
    level.readBandwidth = number(attributes, "read_bandwidth", 0, attrs);
    level.writeBandwidth = number(attributes, "write_bandwidth", 0, attrs);
    level.sharedBandwidth = number(attributes, "shared_bandwidth", 0, attrs);
    level.multipleBuffering = number(attributes, "multiple_buffering", 1, attrs);
    reader.outerFirst.push_back(level);
}

void readSubtree(const YAML::Node& node, const Place& at, ArchitectureReader& reader)
{
    if (const YAML::Node attributes = node["attributes"]; attributes && attributes["global_cycle_seconds"])
        reader.arch.cycleSeconds = number(attributes, "global_cycle_seconds", 1e-9, at / "attributes");
    if (const YAML::Node local = node["local"]) {
        for (std::size_t i = 0; i < local.size(); ++i)
            readLocal(local[i], at / "local" / i, reader);
    }
    if (const YAML::Node subtree = node["subtree"]) {
        for (std::size_t i = 0; i < subtree.size(); ++i)
            readSubtree(subtree[i], at / "subtree" / i, reader);
    }
}

Architecture readArchitecture(const YAML::Node& root, const Place& at, std::vector<TimeloopComponent>& components)
{
    ArchitectureReader reader;
    readSubtree(child(root, "architecture", at), at / "architecture", reader);
    Architecture& arch = reader.arch;
    std::vector<StorageLevel>& outerFirst = reader.outerFirst;
    components = std::move(reader.components);
    if (!reader.haveCompute)
        (at / "architecture").fail("no compute level (a class such as intmac)");
    if (outerFirst.empty())
        (at / "architecture").fail("no storage level");
    arch.storage.assign(outerFirst.rbegin(), outerFirst.rend());
    for (std::size_t i = 0; i + 1 < arch.storage.size(); ++i) {
        const Dim inner = arch.storage[i].instances(), outer = arch.storage[i + 1].instances();
        if (inner % outer != 0)
            (at / "architecture").fail("level " + arch.storage[i].name + " has " + std::to_string(inner) +
                                       " instances, not a multiple of the " + std::to_string(outer) + " of " +
                                       arch.storage[i + 1].name + " above it");
    }
    return arch;
}

// ---- problem ----

Problem readProblem(const YAML::Node& root, const Place& at)
{
    const Place p = at / "problem";
    const YAML::Node problem = child(root, "problem", at);
    const YAML::Node shape = child(problem, "shape", p);
    const YAML::Node instance = child(problem, "instance", p);
    Problem out;
    out.name = shape["name"] ? as<std::string>(shape["name"], p / "shape" / "name", "a name") : "problem";
    const YAML::Node dims = child(shape, "dimensions", p / "shape");
    if (dims.size() < 1 || dims.size() > static_cast<std::size_t>(kMaxDims))
        (p / "shape" / "dimensions").fail("needs 1 to " + std::to_string(kMaxDims) + " dimensions");
    for (std::size_t i = 0; i < dims.size(); ++i) {
        out.dimNames.push_back(as<std::string>(dims[i], p / "shape" / "dimensions" / i, "a dimension name"));
        const YAML::Node bound = instance[out.dimNames.back()];
        const Dim b = bound ? as<Dim>(bound, p / "instance" / out.dimNames.back(), "an integer") : 1;
        if (b < 1)
            (p / "instance" / out.dimNames.back()).fail("must be at least 1");
        out.bounds[i] = b;
    }
    std::map<std::string, Dim> coefficients;
    if (const YAML::Node list = shape["coefficients"]) {
        for (std::size_t i = 0; i < list.size(); ++i) {
            const Place c = p / "shape" / "coefficients" / i;
            const std::string name = as<std::string>(child(list[i], "name", c), c / "name", "a name");
            Dim value = list[i]["default"] ? as<Dim>(list[i]["default"], c / "default", "an integer") : 1;
            if (instance[name])
                value = as<Dim>(instance[name], p / "instance" / name, "an integer");
            coefficients[name] = value;
        }
    }
    const YAML::Node spaces = child(shape, "data_spaces", p / "shape");
    if (spaces.size() < 1 || spaces.size() > static_cast<std::size_t>(kMaxDataSpaces))
        (p / "shape" / "data_spaces").fail("needs 1 to " + std::to_string(kMaxDataSpaces) + " data spaces");
    for (std::size_t s = 0; s < spaces.size(); ++s) {
        const Place sp = p / "shape" / "data_spaces" / s;
        DataSpace ds;
        ds.name = as<std::string>(child(spaces[s], "name", sp), sp / "name", "a name");
        ds.readWrite = spaces[s]["read_write"] && as<bool>(spaces[s]["read_write"], sp / "read_write", "true or false");
        const YAML::Node projection = child(spaces[s], "projection", sp);
        for (std::size_t a = 0; a < projection.size(); ++a) {
            std::vector<ProjectionTerm> axis;
            for (std::size_t t = 0; t < projection[a].size(); ++t) {
                const Place tp = sp / "projection" / a / t;
                const YAML::Node term = projection[a][t];
                const std::string dim = as<std::string>(term[0], tp / 0, "a dimension name");
                ProjectionTerm pt{out.dimIndex(dim), 1};
                if (pt.dim < 0)
                    tp.fail("\"" + dim + "\" is not a dimension of the problem");
                if (term.size() > 1) {
                    const std::string coefficient = as<std::string>(term[1], tp / 1, "a coefficient name");
                    if (!coefficients.count(coefficient))
                        tp.fail("unknown coefficient \"" + coefficient + "\"");
                    pt.coefficient = coefficients.at(coefficient);
                }
                axis.push_back(pt);
            }
            ds.projection.push_back(axis);
        }
        out.dataSpaces.push_back(ds);
    }
    if (const YAML::Node densities = instance["densities"]; densities && densities.IsMap())
        for (auto it = densities.begin(); it != densities.end(); ++it) {
            const std::string name = it->first.as<std::string>();
            const int d = out.dataSpaceIndex(name);
            if (d < 0)
                (p / "instance" / "densities" / name).fail("not a data space");
            const YAML::Node value = it->second;
            out.densities[static_cast<std::size_t>(d)] =
                value.IsMap() ? as<double>(value["density"], p / "instance" / "densities" / name, "a density")
                              : as<double>(value, p / "instance" / "densities" / name, "a density");
        }
    return out;
}

// ---- mapping ----

/// "R=3,P=16" or "C1 M1 R3": a factor per named dimension.
DimArray readFactors(const std::string& text, const Problem& problem, const Place& at)
{
    DimArray factors{};
    factors.fill(1);
    std::string normalised = text;
    std::replace(normalised.begin(), normalised.end(), ',', ' ');
    std::istringstream in(normalised);
    std::string token;
    while (in >> token) {
        std::size_t split = token.find('=');
        std::string name, value;
        if (split != std::string::npos) {
            name = token.substr(0, split);
            value = token.substr(split + 1);
        } else {
            split = token.find_first_of("0123456789");
            if (split == std::string::npos || split == 0)
                at.fail("cannot read the factor \"" + token + "\"");
            name = token.substr(0, split);
            value = token.substr(split);
        }
        const int dim = problem.dimIndex(name);
        if (dim < 0)
            at.fail("\"" + name + "\" is not a dimension of the problem");
        try {
            factors[static_cast<std::size_t>(dim)] = std::stoll(value);
        } catch (const std::exception&) {
            at.fail("\"" + value + "\" is not a factor");
        }
        if (factors[static_cast<std::size_t>(dim)] < 1)
            at.fail("factor of " + name + " must be at least 1");
    }
    return factors;
}

/// Dimension indices in the order of a permutation string (innermost first), then the rest.
std::vector<int> readPermutation(const std::string& text, const Problem& problem, const Place& at)
{
    std::vector<int> order;
    std::string rest = text;
    while (!rest.empty()) {
        // Dimension names may be longer than one letter; take the longest that matches.
        int best = -1;
        std::size_t bestLength = 0;
        for (int d = 0; d < problem.dims(); ++d) {
            const std::string& name = problem.dimNames[static_cast<std::size_t>(d)];
            if (rest.compare(0, name.size(), name) == 0 && name.size() > bestLength) {
                best = d;
                bestLength = name.size();
            }
        }
        if (best < 0)
            at.fail("cannot read the permutation \"" + text + "\"");
        order.push_back(best);
        rest = rest.substr(bestLength);
    }
    for (int d = 0; d < problem.dims(); ++d)
        if (std::find(order.begin(), order.end(), d) == order.end())
            order.push_back(d);
    return order;
}

std::bitset<kMaxDataSpaces> dataSpaceSet(const YAML::Node& list, const Problem& problem, const Place& at)
{
    std::bitset<kMaxDataSpaces> set;
    if (!list)
        return set;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string name = as<std::string>(list[i], at / i, "a data space name");
        const int d = problem.dataSpaceIndex(name);
        if (d < 0)
            (at / i).fail("\"" + name + "\" is not a data space");
        set.set(static_cast<std::size_t>(d));
    }
    return set;
}

Mapping readMapping(const YAML::Node& list, const Place& at, const Problem& problem, const Architecture& arch)
{
    Mapping mapping;
    mapping.levels.resize(arch.storage.size());
    std::vector<bool> kept(arch.storage.size(), false);
    for (auto& level : mapping.levels)
        for (int d = 0; d < problem.dataSpaceCount(); ++d)
            level.keep.set(static_cast<std::size_t>(d));
    for (std::size_t i = 0; i < arch.storage.size(); ++i)
        if (arch.storage[i].dummy)
            mapping.levels[i].keep.reset();
    for (std::size_t i = 0; i < list.size(); ++i) {
        const Place e = at / i;
        const YAML::Node entry = list[i];
        const std::string target = baseName(as<std::string>(child(entry, "target", e), e / "target", "a level name"));
        const auto level = std::find_if(arch.storage.begin(), arch.storage.end(), [&](const StorageLevel& s) { return s.name == target; });
        if (level == arch.storage.end()) {
            std::vector<std::string> names;
            for (const auto& s : arch.storage)
                names.push_back(s.name);
            std::string message = "no storage level named \"" + target + "\"";
            if (const auto guess = closestMatch(target, names))
                message += " (did you mean \"" + *guess + "\"?)";
            (e / "target").fail(message);
        }
        LevelMapping& lm = mapping.levels[static_cast<std::size_t>(level - arch.storage.begin())];
        const std::string type = as<std::string>(child(entry, "type", e), e / "type", "a mapping type");
        const std::string permutation = entry["permutation"] ? as<std::string>(entry["permutation"], e / "permutation", "a permutation") : "";
        if (type == "temporal") {
            lm.temporal = readFactors(entry["factors"] ? as<std::string>(entry["factors"], e / "factors", "factors") : "", problem, e / "factors");
            const auto order = readPermutation(permutation, problem, e / "permutation");
            lm.orderSize = static_cast<int>(order.size());
            std::copy(order.begin(), order.end(), lm.order.begin());
        } else if (type == "spatial") {
            const DimArray factors = readFactors(entry["factors"] ? as<std::string>(entry["factors"], e / "factors", "factors") : "", problem, e / "factors");
            const auto order = readPermutation(permutation, problem, e / "permutation");
            const std::size_t split = entry["split"] ? as<std::size_t>(entry["split"], e / "split", "an integer") : order.size();
            for (std::size_t k = 0; k < order.size(); ++k) {
                const auto d = static_cast<std::size_t>(order[k]);
                (k < split ? lm.spatialX : lm.spatialY)[d] = factors[d];
            }
            // Innermost first, X loops before Y loops (the linear child index of Timeloop).
            lm.spatialOrderSize = 0;
            for (std::size_t k = 0; k < order.size(); ++k)
                if (factors[static_cast<std::size_t>(order[k])] > 1)
                    lm.spatialOrder[static_cast<std::size_t>(lm.spatialOrderSize++)] = order[k];
        } else if (type == "bypass" || type == "datatype") {
            const auto keep = dataSpaceSet(entry["keep"], problem, e / "keep");
            const auto bypass = dataSpaceSet(entry["bypass"], problem, e / "bypass");
            lm.keep = (lm.keep | keep) & ~bypass;
        } else {
            (e / "type").fail("unknown mapping type \"" + type + "\" (temporal, spatial, bypass or datatype)");
        }
    }
    // Timeloop's arrays: every problem dimension appears in a temporal order.
    for (auto& lm : mapping.levels)
        if (lm.orderSize == 0) {
            lm.orderSize = problem.dims();
            for (int d = 0; d < problem.dims(); ++d)
                lm.order[static_cast<std::size_t>(d)] = d;
        }
    return mapping;
}

/// "R=1,S=1" or "C1 M1": per named dimension a factor; unnamed dimensions are 0 (free).
DimArray readConstraintFactors(const std::string& text, const Problem& problem, const Place& at)
{
    DimArray named = readFactors(text, problem, at);
    DimArray out{};
    std::string normalised = text;
    std::replace(normalised.begin(), normalised.end(), ',', ' ');
    std::istringstream in(normalised);
    std::string token;
    while (in >> token) {
        std::size_t split = token.find('=');
        if (split == std::string::npos)
            split = token.find_first_of("0123456789");
        const int dim = problem.dimIndex(token.substr(0, split));
        if (dim >= 0)
            out[static_cast<std::size_t>(dim)] = named[static_cast<std::size_t>(dim)];
    }
    return out;
}

/// Timeloop's architecture_constraints / mapspace_constraints targets.
void readConstraints(const YAML::Node& list, const Place& at, const Problem& problem, const Architecture& arch,
                     MappingConstraints& out)
{
    for (std::size_t i = 0; i < list.size(); ++i) {
        const Place e = at / i;
        const YAML::Node entry = list[i];
        const std::string target = baseName(as<std::string>(child(entry, "target", e), e / "target", "a level name"));
        const auto level = std::find_if(arch.storage.begin(), arch.storage.end(), [&](const StorageLevel& s) { return s.name == target; });
        if (level == arch.storage.end())
            (e / "target").fail("no storage level named \"" + target + "\"");
        LevelConstraints& lc = out.levels[static_cast<std::size_t>(level - arch.storage.begin())];
        const std::string type = as<std::string>(child(entry, "type", e), e / "type", "a constraint type");
        const std::string factors = entry["factors"] ? as<std::string>(entry["factors"], e / "factors", "factors") : "";
        const std::string permutation = entry["permutation"] ? as<std::string>(entry["permutation"], e / "permutation", "a permutation") : "";
        if (type == "temporal") {
            const DimArray f = readConstraintFactors(factors, problem, e / "factors");
            for (int d = 0; d < problem.dims(); ++d)
                if (f[static_cast<std::size_t>(d)] > 0)
                    lc.temporalFactor[static_cast<std::size_t>(d)] = f[static_cast<std::size_t>(d)];
            if (!permutation.empty()) {
                // The listed loops are the innermost, in that order; the others are free.
                auto order = readPermutation(permutation, problem, e / "permutation");
                order.resize(std::min(order.size(), permutation.size()));
                std::vector<int> prefix;
                std::string rest = permutation;
                for (int d : order) {
                    const std::string& name = problem.dimNames[static_cast<std::size_t>(d)];
                    if (rest.compare(0, name.size(), name) != 0)
                        break;
                    prefix.push_back(d);
                    rest = rest.substr(name.size());
                }
                lc.permutationPrefix = prefix;
            }
        } else if (type == "spatial") {
            const DimArray f = readConstraintFactors(factors, problem, e / "factors");
            for (int d = 0; d < problem.dims(); ++d)
                if (f[static_cast<std::size_t>(d)] > 0)
                    lc.spatialFactor[static_cast<std::size_t>(d)] = f[static_cast<std::size_t>(d)];
            if (!permutation.empty() && entry["split"]) {
                const auto order = readPermutation(permutation, problem, e / "permutation");
                const std::size_t split = as<std::size_t>(entry["split"], e / "split", "an integer");
                lc.spatialXDims = lc.spatialYDims = 0;
                for (std::size_t k = 0; k < order.size(); ++k)
                    (k < split ? lc.spatialXDims : lc.spatialYDims) |= 1u << order[k];
            }
        } else if (type == "bypass" || type == "datatype") {
            lc.keep |= dataSpaceSet(entry["keep"], problem, e / "keep");
            lc.bypass |= dataSpaceSet(entry["bypass"], problem, e / "bypass");
        } else if (type == "utilization" || type == "parallelism" || type == "max_overbooked_proportion") {
            // Mapper hints the engine's search does not need.
        } else {
            (e / "type").fail("unknown constraint type \"" + type + "\"");
        }
    }
}

void checkMapping(const Mapping& mapping, const Problem& problem, const Architecture& arch, const Place& at)
{
    for (int d = 0; d < problem.dims(); ++d) {
        Dim product = 1;
        for (const auto& lm : mapping.levels)
            product *= lm.temporal[static_cast<std::size_t>(d)] * lm.spatialX[static_cast<std::size_t>(d)] *
                       lm.spatialY[static_cast<std::size_t>(d)];
        if (product != problem.bounds[static_cast<std::size_t>(d)])
            at.fail("the factors of " + problem.dimNames[static_cast<std::size_t>(d)] + " multiply to " +
                    std::to_string(product) + ", not the problem's " + std::to_string(problem.bounds[static_cast<std::size_t>(d)]));
    }
    for (std::size_t i = 0; i < mapping.levels.size(); ++i) {
        Dim x = 1, y = 1;
        for (int d = 0; d < problem.dims(); ++d) {
            x *= mapping.levels[i].spatialX[static_cast<std::size_t>(d)];
            y *= mapping.levels[i].spatialY[static_cast<std::size_t>(d)];
        }
        const Dim below = i == 0 ? arch.arithmetic.instances() : arch.storage[i - 1].instances();
        const Dim fanout = below / arch.storage[i].instances();
        if (x * y > fanout)
            at.fail("level " + arch.storage[i].name + " spreads over " + std::to_string(x * y) +
                    " instances below it but has a fan-out of " + std::to_string(fanout));
    }
}

// ---- energy and area tables ----

void readErt(const fs::path& file, Architecture& arch, std::vector<std::string>& warnings)
{
    const YAML::Node root = loadYaml(file);
    const Place at{file.string(), ""};
    const YAML::Node tables = child(child(root, "ERT", at), "tables", at / "ERT");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < tables.size(); ++i) {
        const Place t = at / "ERT" / "tables" / i;
        const std::string name = baseName(as<std::string>(child(tables[i], "name", t), t / "name", "a name"));
        std::map<std::string, double> energy;
        const YAML::Node actions = child(tables[i], "actions", t);
        for (std::size_t a = 0; a < actions.size(); ++a) {
            const std::string action = as<std::string>(child(actions[a], "name", t / "actions" / a), t / "actions" / a / "name", "a name");
            if (!energy.count(action))  // the first entry: default arguments
                energy[action] = as<double>(child(actions[a], "energy", t / "actions" / a), t / "actions" / a / "energy", "a number");
        }
        auto get = [&](const char* action) { return energy.count(action) ? energy.at(action) : 0.0; };
        seen.insert(name);
        if (name == arch.arithmetic.name) {
            arch.arithmetic.computePj = get("compute");
            arch.arithmetic.leakPj = get("leak");
            arch.arithmetic.source = "ERT";
            continue;
        }
        for (auto& level : arch.storage)
            if (level.name == name)
                level.actions = StorageActions{get("read"), get("write"), get("update"), get("leak"), "ERT"};
    }
    if (!seen.count(arch.arithmetic.name))
        warnings.push_back(file.string() + ": no energies for " + arch.arithmetic.name);
    for (const auto& level : arch.storage)
        if (!level.dummy && !seen.count(level.name))
            warnings.push_back(file.string() + ": no energies for " + level.name + "; counted as 0");
}

void readArt(const fs::path& file, Architecture& arch)
{
    const YAML::Node root = loadYaml(file);
    const Place at{file.string(), ""};
    const YAML::Node tables = child(child(root, "ART", at), "tables", at / "ART");
    for (std::size_t i = 0; i < tables.size(); ++i) {
        const Place t = at / "ART" / "tables" / i;
        const std::string name = baseName(as<std::string>(child(tables[i], "name", t), t / "name", "a name"));
        const double area = as<double>(child(tables[i], "area", t), t / "area", "a number");
        if (name == arch.arithmetic.name)
            arch.arithmetic.areaUm2 = area;
        for (auto& level : arch.storage)
            if (level.name == name && !level.dummy)
                level.areaUm2 = area;
    }
}

}  // namespace

const TimeloopComponent* TimeloopCase::component(const std::string& name) const
{
    for (const auto& c : components)
        if (c.name == name)
            return &c;
    return nullptr;
}

Result<TimeloopCase> loadTimeloopCase(const std::string& folderName)
{
    try {
        const fs::path folder(folderName);
        if (!fs::is_directory(folder))
            return Error{ExitCode::BadInput, folderName, {}, "not a folder of Timeloop outputs"};
        const fs::path input = folder / "parsed-processed-input.yaml";
        if (!fs::exists(input))
            return Error{ExitCode::BadInput, input.string(), {}, "no such file: the folder needs Timeloop's parsed-processed-input.yaml"};
        const YAML::Node root = loadYaml(input);
        const Place at{input.string(), ""};
        TimeloopCase c;
        c.folder = folderName;
        c.inputFile = input.string();
        c.architecture = readArchitecture(root, at, c.components);
        c.architecture.name = folder.filename().string();
        c.problem = readProblem(root, at);
        const auto mapFile = findFile(folder, ".map.yaml");
        const YAML::Node map = mapFile ? loadYaml(*mapFile) : root;
        const Place mp{mapFile ? mapFile->string() : input.string(), ""};
        c.mappingFile = mp.file;
        c.mapping = readMapping(child(map, "mapping", mp), mp / "mapping", c.problem, c.architecture);
        checkMapping(c.mapping, c.problem, c.architecture, mp / "mapping");
        c.constraints = MappingConstraints::none(c.architecture);
        for (const char* key : {"architecture_constraints", "mapspace_constraints"})
            if (const YAML::Node block = root[key]; block && block["targets"])
                readConstraints(block["targets"], at / key / "targets", c.problem, c.architecture, c.constraints);
        if (const auto ert = findFile(folder, ".ERT.yaml")) {
            c.ertFile = ert->string();
            readErt(*ert, c.architecture, c.warnings);
        } else {
            c.warnings.push_back("no *.ERT.yaml in " + folderName + ": energies are 0 unless --own-tech");
        }
        if (const auto art = findFile(folder, ".ART.yaml"))
            readArt(*art, c.architecture);
        return c;
    } catch (const InputError& e) {
        return e.error();
    } catch (const YAML::Exception& e) {
        return Error{ExitCode::BadInput, folderName, "line " + std::to_string(e.mark.line + 1), e.msg};
    } catch (const fs::filesystem_error& e) {
        return Error{ExitCode::BadInput, folderName, {}, e.code().message()};
    }
}

Result<EngineStats> evaluateTimeloopCase(const TimeloopCase& c, const EngineOptions& options)
{
    EngineStats stats;
    evaluateMapping(c.problem, c.architecture, c.mapping, options, stats);
    if (stats.ok())
        return stats;
    const std::string where = "/mapping";
    if (stats.failure == MappingFailure::CapacityExceeded && stats.failureLevel >= 0) {
        const StorageLevel& level = c.architecture.storage[static_cast<std::size_t>(stats.failureLevel)];
        std::string tiles;
        Dim used = 0;
        for (int pv = 0; pv < c.problem.dataSpaceCount(); ++pv) {
            const DataSpaceStats& s = stats.level[static_cast<std::size_t>(stats.failureLevel)].dataSpaces[static_cast<std::size_t>(pv)];
            if (!s.kept)
                continue;
            used += s.capacity;
            tiles += (tiles.empty() ? "" : ", ") + c.problem.dataSpaces[static_cast<std::size_t>(pv)].name + " " + std::to_string(s.capacity);
        }
        std::string capacity = std::to_string(level.depth) + " words";
        if (level.multipleBuffering > 1)
            capacity += " (" + std::to_string(static_cast<Dim>(static_cast<double>(level.depth) / level.multipleBuffering)) +
                        " with multiple buffering " + (std::ostringstream() << level.multipleBuffering).str() + ")";
        return Error{ExitCode::BadInput, c.mappingFile, where + " (level " + level.name + ")",
                     "the tiles kept in level " + level.name + " need " + std::to_string(used) + " words (" + tiles +
                         ") but it holds " + capacity + " (its depth in " + c.inputFile + ")"};
    }
    std::string detail = mappingFailureText(stats.failure);
    if (stats.failure == MappingFailure::FactorsDoNotMultiply && stats.failureLevel >= 0)
        detail += ": " + c.problem.dimNames[static_cast<std::size_t>(stats.failureLevel)];
    else if (stats.failureLevel >= 0 && stats.failureLevel < c.architecture.levels())
        detail += " (level " + c.architecture.storage[static_cast<std::size_t>(stats.failureLevel)].name + ")";
    return Error{ExitCode::BadInput, c.mappingFile, where, detail};
}

}  // namespace cdx
