#include "core/explore/designspace.h"

#include "core/compression/compressionplan.h"
#include "core/util/jsonreader.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

namespace cdx {

namespace {

constexpr std::size_t kMaxValuesPerAxis = 100000;

/// The values of an axis: "values", "range" {from, to, step} or "log_range" {from, to, points | factor}.
std::vector<nlohmann::ordered_json> readValues(JsonObject& o)
{
    std::vector<nlohmann::ordered_json> values;
    const bool hasValues = o.has("values"), hasRange = o.has("range"), hasLog = o.has("log_range");
    if (int(hasValues) + int(hasRange) + int(hasLog) != 1)
        o.fail("an axis takes exactly one of \"values\", \"range\" {from, to, step} and \"log_range\" {from, to, points or factor}");
    if (hasValues) {
        const JsonValue list = o.required("values");
        for (const JsonValue& v : list.asArray())
            values.emplace_back(nlohmann::ordered_json(v.raw()));
        if (values.empty())
            list.fail("an axis needs at least one value");
    } else if (hasRange) {
        JsonObject r = o.required("range").asObject();
        const JsonValue fromValue = r.required("from"), toValue = r.required("to"), stepValue = r.required("step");
        const double from = fromValue.asNumber(), to = toValue.asNumber(), step = stepValue.asNumber();
        r.rejectUnknownKeys();
        if (!(step > 0))
            stepValue.fail("the step must be positive");
        if (to < from)
            toValue.fail("\"to\" is below \"from\"");
        const bool integral = fromValue.raw().is_number_integer() && stepValue.raw().is_number_integer();
        const double count = std::floor((to - from) / step * (1 + 1e-12)) + 1;
        if (count > static_cast<double>(kMaxValuesPerAxis))
            stepValue.fail("the range has more than " + std::to_string(kMaxValuesPerAxis) + " values");
        for (std::size_t i = 0; i < static_cast<std::size_t>(count); ++i) {
            const double v = from + static_cast<double>(i) * step;
            if (integral)
                values.emplace_back(static_cast<std::int64_t>(std::llround(v)));
            else
                values.emplace_back(v);
        }
    } else {
        JsonObject r = o.required("log_range").asObject();
        const JsonValue fromValue = r.required("from"), toValue = r.required("to");
        const double from = fromValue.asNumber(), to = toValue.asNumber();
        const auto points = r.optional("points");
        const auto factor = r.optional("factor");
        r.rejectUnknownKeys();
        if (!(from > 0))
            fromValue.fail("a log range starts above 0");
        if (to < from)
            toValue.fail("\"to\" is below \"from\"");
        const bool integral = fromValue.raw().is_number_integer() && toValue.raw().is_number_integer();
        if (points.has_value() == factor.has_value())
            r.fail("a log range takes either \"points\" or \"factor\"");
        std::vector<double> raw;
        if (points) {
            const auto n = points->asInt(1, static_cast<std::int64_t>(kMaxValuesPerAxis));
            for (std::int64_t i = 0; i < n; ++i)
                raw.push_back(n == 1 ? from : from * std::pow(to / from, static_cast<double>(i) / static_cast<double>(n - 1)));
        } else {
            const double f = factor->asNumber();
            if (!(f > 1))
                factor->fail("the factor must be above 1");
            for (double v = from; v <= to * (1 + 1e-12) && raw.size() < kMaxValuesPerAxis; v *= f)
                raw.push_back(v);
        }
        for (double v : raw) {
            if (integral) {
                const auto rounded = static_cast<std::int64_t>(std::llround(v));
                if (values.empty() || values.back().get<std::int64_t>() != rounded)
                    values.emplace_back(rounded);
            } else {
                values.emplace_back(v);
            }
        }
    }
    if (values.size() > kMaxValuesPerAxis)
        o.fail("an axis has more than " + std::to_string(kMaxValuesPerAxis) + " values");
    return values;
}

/// The compression rule selector of "layers" / "each_layer": a glob string, or an object with
/// "match", "kind" or "index". Returns the rule keys.
nlohmann::ordered_json readSelector(const JsonValue& v)
{
    if (v.isString())
        return nlohmann::ordered_json{{"match", v.asString()}};
    JsonObject o = v.asObject();
    nlohmann::ordered_json selector = nlohmann::ordered_json::object();
    for (const char* key : {"match", "kind", "index"})
        if (const auto k = o.optional(key))
            selector[key] = nlohmann::ordered_json(k->raw());
    o.rejectUnknownKeys();
    if (selector.empty())
        v.fail("a layer selector is a name glob, or an object with \"match\", \"kind\" or \"index\"");
    return selector;
}

/// The layers of `network` the selector matches, through the compression plan's own matching.
std::vector<std::size_t> matchLayers(const nlohmann::ordered_json& selector, const Network& network, const JsonValue& where)
{
    nlohmann::ordered_json block{{"layers", nlohmann::ordered_json::array({selector})}};
    auto plan = CompressionPlan::fromJson(block, "");
    if (!plan)
        where.fail(plan.error().message);
    std::vector<std::size_t> layers;
    for (std::size_t i = 0; i < network.layers().size(); ++i)
        if (plan->rules.front().matches(network.layers()[i], static_cast<Dim>(i)))
            layers.push_back(i);
    if (layers.empty())
        where.fail("the selector matches no layer of " + network.name());
    return layers;
}

std::vector<std::string> splitDots(const std::string& text)
{
    std::vector<std::string> parts;
    std::string part;
    for (char c : text) {
        if (c == '.') {
            parts.push_back(part);
            part.clear();
        } else {
            part += c;
        }
    }
    parts.push_back(part);
    return parts;
}

Metric readMetric(const JsonValue& v)
{
    const std::string name = v.asString();
    const auto metric = metricFromName(name);
    if (!metric)
        v.fail("unknown metric \"" + name + "\" (metrics: " + metricNames() + ")");
    return *metric;
}

std::uint64_t fnv1a(const std::string& text)
{
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}

/// The project as written, with the budget left out (a resumed run may be given more time).
std::string signatureOf(Project project)
{
    project.explore.erase("budget");
    project.filePath.clear();
    char text[32];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(fnv1a(writeProjectJson(project))));
    return text;
}

/// A compression axis whose "set" or "base" names a key no compression setting has would fail at
/// every point: its setting is parsed as the plan parses it (once, and again for each value that
/// is an object), and an unknown key is an error at the axis's "set", "base" or value.
void checkCompressionNames(const Axis& axis, const std::string& set, bool fromValues)
{
    // "set" cannot go through a value of "base" that is not an object ("weights": 8).
    const nlohmann::ordered_json* at = &axis.base;
    std::string through = axis.path + "/base";
    for (std::size_t i = 0; i + 1 < axis.field.size(); ++i) {
        const auto it = at->find(axis.field[i]);
        if (it == at->end())
            break;
        through += "/" + escapeJsonPointer(axis.field[i]);
        if (!it->is_object())
            throw InputError(through, "\"set\": \"" + set + "\" goes through this value, which is not an object");
        at = &*it;
    }
    std::string fieldPointer;
    for (const std::string& part : axis.field)
        fieldPointer += "/" + escapeJsonPointer(part);
    const std::string prefix = axis.targetsDefault ? "/compression/default" : "/compression/layers/0";
    for (std::size_t k = 0; k < axis.values.size(); ++k) {
        if (k > 0 && !axis.values[k].is_structured())
            continue;  // a number or a string holds no keys: the first value stands for them
        const nlohmann::ordered_json setting = axis.setting(axis.values[k]);
        nlohmann::ordered_json block = nlohmann::ordered_json::object();
        if (axis.targetsDefault) {
            block["default"] = setting;
        } else {
            nlohmann::ordered_json rule{{"match", "*"}};
            for (auto it = setting.begin(); it != setting.end(); ++it)
                rule[it.key()] = it.value();
            block["layers"] = nlohmann::ordered_json::array({rule});
        }
        const auto plan = CompressionPlan::fromJson(block, "");
        if (plan.ok())
            continue;
        const Error& e = plan.error();
        if (e.message.rfind("unknown key", 0) != 0 || e.location.rfind(prefix + "/", 0) != 0)
            continue;  // a value the plan refuses is an infeasible point, kept with its reason
        const std::string rest = e.location.substr(prefix.size());
        const std::vector<std::string> keys = jsonPointerKeys(rest);
        if (keys.size() <= axis.field.size() && std::equal(keys.begin(), keys.end(), axis.field.begin()))
            throw InputError(axis.keyPath, "\"" + set + "\" is not a field of a compression setting: " + e.message);
        if (rest.rfind(fieldPointer + "/", 0) == 0)
            throw InputError(axis.path + (fromValues ? "/values/" + std::to_string(k) : std::string()) + rest.substr(fieldPointer.size()),
                             e.message);
        throw InputError(axis.path + "/base" + rest, e.message);
    }
}

void readAxes(JsonValue list, const Network& network, std::vector<Axis>& axes)
{
    const auto entries = list.asArray();
    for (const JsonValue& entry : entries) {
        JsonObject o = entry.asObject();
        Axis axis;
        axis.path = entry.path();
        axis.name = o.requiredString("name");
        const bool hasPointer = o.has("pointer"), hasParam = o.has("param"), hasPlatform = o.has("platform");
        const bool hasLayers = o.has("layers"), hasEach = o.has("each_layer");
        if (int(hasPointer) + int(hasParam) + int(hasPlatform) + int(hasLayers) + int(hasEach) != 1)
            o.fail("an axis takes one of \"param\" (a template parameter), \"platform\" (a platform key), \"pointer\" (a JSON "
                   "pointer into the project), \"layers\" or \"each_layer\" (compression, with \"set\")");
        if (hasPointer || hasParam || hasPlatform) {
            axis.kind = Axis::Kind::Project;
            std::string pointer;
            if (hasParam)
                pointer = "/hardware/params/" + escapeJsonPointer(o.requiredString("param"));
            else if (hasPlatform)
                pointer = "/platform/" + escapeJsonPointer(o.requiredString("platform"));
            else
                pointer = o.requiredString("pointer");
            axis.keyPath = o.childPath(hasParam ? "param" : hasPlatform ? "platform" : "pointer");
            try {
                axis.pointer = nlohmann::ordered_json::json_pointer(pointer);
            } catch (const nlohmann::json::exception&) {
                o.fail("\"" + pointer + "\" is not a JSON pointer");
            }
            const std::string top = axis.pointer.empty() ? "" : axis.pointer.to_string().substr(1, axis.pointer.to_string().find('/', 1) - 1);
            if (top != "hardware" && top != "platform" && top != "tech")
                o.fail("a pointer axis sets a value under /hardware, /platform or /tech (compression axes use \"layers\")");
            axis.values = readValues(o);
            o.rejectUnknownKeys();
            axes.push_back(std::move(axis));
            continue;
        }
        axis.kind = Axis::Kind::Compression;
        axis.keyPath = o.childPath("set");
        const std::string set = o.requiredString("set");
        axis.field = splitDots(set);
        for (const auto& part : axis.field)
            if (part.empty())
                o.fail("\"set\" is a dotted path into a compression setting, such as \"weights.bits\" or \"pruning\"");
        if (const auto base = o.optional("base")) {
            base->asObject();
            axis.base = nlohmann::ordered_json(base->raw());
        } else {
            axis.base = nlohmann::ordered_json::object();
        }
        axis.values = readValues(o);
        const bool fromValues = o.has("values");
        if (hasLayers) {
            const JsonValue layers = o.required("layers");
            if (layers.isString() && layers.asString() == "default") {
                axis.targetsDefault = true;
            } else {
                axis.selector = readSelector(layers);
                axis.layers = matchLayers(axis.selector, network, layers);
            }
            o.rejectUnknownKeys();
            checkCompressionNames(axis, set, fromValues);
            axes.push_back(std::move(axis));
            continue;
        }
        // each_layer: one axis per matched layer that has weights, named "name:layer".
        const JsonValue each = o.required("each_layer");
        o.rejectUnknownKeys();
        checkCompressionNames(axis, set, fromValues);
        const nlohmann::ordered_json selector = readSelector(each);
        std::size_t added = 0;
        for (std::size_t i : matchLayers(selector, network, each)) {
            const Layer& layer = network.layers()[i];
            if (layer.counts.weights <= 0)
                continue;
            Axis one = axis;
            one.name = axis.name + ":" + layer.name;
            one.selector = nlohmann::ordered_json{{"index", {i, i}}};
            one.layers = {i};
            axes.push_back(std::move(one));
            ++added;
        }
        if (added == 0)
            each.fail("the selector matches no layer with weights");
    }
    std::set<std::string> names;
    for (std::size_t i = 0; i < axes.size(); ++i)
        if (!names.insert(axes[i].name).second)
            JsonValue(nlohmann::json(), axes[i].path).fail("two axes are named \"" + axes[i].name + "\"");
}

}  // namespace

Result<DesignSpace> DesignSpace::fromProject(const Project& project, const Network& network)
{
    try {
        const nlohmann::json plain = project.explore;
        JsonObject root(plain, "/explore");
        DesignSpace space;
        readAxes(root.required("axes"), network, space.axes_);
        if (space.axes_.empty())
            root.fail("the design space has no axes");

        if (const auto objectives = root.optional("objectives")) {
            for (const JsonValue& entry : objectives->asArray()) {
                Objective objective;
                if (entry.isString()) {
                    objective.metric = readMetric(entry);
                    objective.maximise = metricPrefersLarger(objective.metric);
                } else {
                    JsonObject o = entry.asObject();
                    objective.metric = readMetric(o.required("metric"));
                    const std::string goal = o.optionalString("goal", metricPrefersLarger(objective.metric) ? "max" : "min");
                    if (goal != "min" && goal != "max")
                        o.required("goal").fail("the goal is \"min\" or \"max\"");
                    objective.maximise = goal == "max";
                    o.rejectUnknownKeys();
                }
                space.objectives_.push_back(objective);
            }
        } else {
            space.objectives_ = {{Metric::EnergyPj, false}, {Metric::LatencyS, false}};
        }
        if (space.objectives_.empty())
            root.required("objectives").fail("at least one objective");

        if (const auto constraints = root.optional("constraints"))
            for (const JsonValue& entry : constraints->asArray()) {
                JsonObject o = entry.asObject();
                Constraint c;
                c.metric = readMetric(o.required("metric"));
                if (const auto max = o.optional("max"))
                    c.max = max->asNumber();
                if (const auto min = o.optional("min"))
                    c.min = min->asNumber();
                if (!c.max && !c.min)
                    o.fail("a constraint has \"max\", \"min\" or both");
                o.rejectUnknownKeys();
                space.constraints_.push_back(c);
            }

        if (const auto search = root.optional("search")) {
            JsonObject o = search->asObject();
            const std::string strategy = o.optionalString("strategy", "grid");
            if (strategy == "grid")
                space.search_.strategy = SearchSpec::Strategy::Grid;
            else if (strategy == "random")
                space.search_.strategy = SearchSpec::Strategy::Random;
            else if (strategy == "nsga2")
                space.search_.strategy = SearchSpec::Strategy::Nsga2;
            else
                o.required("strategy").fail("unknown strategy \"" + strategy + "\" (grid, random, nsga2)");
            space.search_.seed = static_cast<std::uint64_t>(o.optionalInt("seed", 1, 0));
            space.search_.points = static_cast<std::uint64_t>(o.optionalInt("points", 1000, 1));
            space.search_.population = static_cast<int>(o.optionalInt("population", 40, 4, 100000));
            space.search_.generations = static_cast<int>(o.optionalInt("generations", 25, 0, 1000000));
            space.search_.crossover = o.optionalNumber("crossover", 0.9);
            space.search_.mutation = o.optionalNumber("mutation", 0);
            if (space.search_.crossover < 0 || space.search_.crossover > 1)
                o.required("crossover").fail("a probability between 0 and 1");
            if (space.search_.mutation < 0 || space.search_.mutation > 1)
                o.required("mutation").fail("a probability between 0 and 1");
            o.rejectUnknownKeys();
        }
        if (const auto budget = root.optional("budget")) {
            JsonObject o = budget->asObject();
            space.budgetSeconds_ = o.optionalNumber("seconds", 0);
            space.budgetPoints_ = static_cast<std::uint64_t>(o.optionalInt("points", 0, 0));
            if (space.budgetSeconds_ < 0)
                o.required("seconds").fail("a time budget is at least 0 (0: none)");
            o.rejectUnknownKeys();
        }
        if (const auto reference = root.optional("reference")) {
            for (const JsonValue& v : reference->asArray())
                space.reference_.push_back(v.asNumber());
            if (space.reference_.size() != space.objectives_.size())
                reference->fail("the reference point has one value per objective (" + std::to_string(space.objectives_.size()) + ")");
        }
        root.rejectUnknownKeys();
        if (space.search_.strategy == SearchSpec::Strategy::Grid && !space.countablePoints())
            root.fail("the space has about " + std::to_string(space.size()) + " points, too many for a grid: use \"random\" or \"nsga2\"");
        space.signature_ = signatureOf(project);
        return space;
    } catch (const InputError& e) {
        Error error = e.error();
        error.file = project.filePath;
        return error;
    }
}

double DesignSpace::size() const
{
    double n = 1;
    for (const Axis& a : axes_)
        n *= static_cast<double>(a.values.size());
    return n;
}

std::optional<std::uint64_t> DesignSpace::countablePoints() const
{
    const double n = size();
    if (n > 9007199254740992.0)
        return std::nullopt;
    return static_cast<std::uint64_t>(n);
}

Genome DesignSpace::genomeAt(std::uint64_t index) const
{
    Genome genome(axes_.size());
    for (std::size_t i = axes_.size(); i-- > 0;) {
        const auto n = static_cast<std::uint64_t>(axes_[i].values.size());
        genome[i] = static_cast<int>(index % n);
        index /= n;
    }
    return genome;
}

std::uint64_t DesignSpace::indexOf(const Genome& genome) const
{
    std::uint64_t index = 0;
    for (std::size_t i = 0; i < axes_.size(); ++i)
        index = index * static_cast<std::uint64_t>(axes_[i].values.size()) + static_cast<std::uint64_t>(genome[i]);
    return index;
}

std::string DesignSpace::key(const Genome& genome)
{
    // Called for every point a search proposes: digits by hand, no temporary strings.
    std::string text;
    text.reserve(genome.size() * 3);
    char digits[12];
    for (std::size_t i = 0; i < genome.size(); ++i) {
        if (i)
            text += '.';
        unsigned v = static_cast<unsigned>(genome[i]);
        int n = 0;
        do {
            digits[n++] = static_cast<char>('0' + v % 10);
            v /= 10;
        } while (v);
        while (n)
            text += digits[--n];
    }
    return text;
}

std::optional<Genome> DesignSpace::parseKey(const std::string& key) const
{
    Genome genome;
    std::size_t pos = 0;
    while (pos <= key.size()) {
        const std::size_t dot = std::min(key.find('.', pos), key.size());
        const std::string part = key.substr(pos, dot - pos);
        if (part.empty() || part.size() > 6 || part.find_first_not_of("0123456789") != std::string::npos)
            return std::nullopt;
        genome.push_back(std::stoi(part));
        pos = dot + 1;
    }
    if (genome.size() != axes_.size())
        return std::nullopt;
    for (std::size_t i = 0; i < genome.size(); ++i)
        if (genome[i] >= static_cast<int>(axes_[i].values.size()))
            return std::nullopt;
    return genome;
}

nlohmann::ordered_json Axis::setting(const nlohmann::ordered_json& value) const
{
    nlohmann::ordered_json setting = base;
    nlohmann::ordered_json* at = &setting;
    for (const std::string& part : field)
        at = &(*at)[part];
    *at = value;
    return setting;
}

Project DesignSpace::apply(const Project& project, const Genome& genome) const
{
    Project point = project;
    for (std::size_t i = 0; i < axes_.size(); ++i) {
        const Axis& axis = axes_[i];
        const nlohmann::ordered_json& value = axis.values[static_cast<std::size_t>(genome[i])];
        if (axis.kind == Axis::Kind::Project) {
            const std::string pointer = axis.pointer.to_string();
            const std::string top = pointer.substr(1, pointer.find('/', 1) - 1);
            const auto rest = nlohmann::ordered_json::json_pointer(pointer.substr(top.size() + 1));
            nlohmann::ordered_json* block = top == "hardware" ? &point.hardware : top == "platform" ? &point.platform : &point.tech;
            (*block)[rest] = value;
            continue;
        }
        const nlohmann::ordered_json setting = axis.setting(value);
        if (axis.targetsDefault) {
            nlohmann::ordered_json& defaults = point.compression["default"];
            if (!defaults.is_object())
                defaults = nlohmann::ordered_json::object();
            // A pruning, storage or fast-algorithm object replaces the old one whole, as a rule's does.
            for (auto it = setting.begin(); it != setting.end(); ++it) {
                if (it.key() == "pruning" || it.key() == "storage" || it.key() == "fast_algorithm" || !it.value().is_object() ||
                    !defaults[it.key()].is_object())
                    defaults[it.key()] = it.value();
                else
                    defaults[it.key()].merge_patch(it.value());
            }
            continue;
        }
        nlohmann::ordered_json rule = axis.selector;
        for (auto it = setting.begin(); it != setting.end(); ++it)
            rule[it.key()] = it.value();
        point.compression["layers"].push_back(std::move(rule));
    }
    return point;
}

}  // namespace cdx
