#include "core/accuracy/sensitivitymeasure.h"

#include "core/compression/sensitivitytable.h"
#include "core/compression/weightmatrix.h"

#include <algorithm>
#include <set>

#include <cstdio>
#include <sstream>

namespace cdx {

namespace {

std::string number(double v)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", v);
    return buffer;
}

nlohmann::ordered_json floatOperands()
{
    return {{"weights", {{"bits", 32}, {"format", "fp32"}}}, {"activations", {{"bits", 32}, {"format", "fp32"}}}};
}

}  // namespace

std::vector<SensitivityStep> defaultSensitivityLadder()
{
    std::vector<SensitivityStep> ladder;
    for (int bits : {8, 7, 6, 5, 4, 3, 2})
        ladder.push_back({"w" + std::to_string(bits) + " w:int dense", {{"weights", {{"bits", bits}, {"format", "int"}}}}});
    for (double density : {0.75, 0.5, 0.25, 0.1})
        ladder.push_back({"unstructured density=" + number(density),
                          {{"weights", {{"bits", 32}, {"format", "fp32"}}}, {"pruning", {{"kind", "unstructured"}, {"density", density}}}}});
    return ladder;
}

std::vector<SensitivityProbe> ladderProbes(const Network& net, const std::vector<SensitivityStep>& ladder)
{
    std::vector<SensitivityProbe> probes;
    for (std::size_t i = 0; i < net.layers().size(); ++i)
        if (hasWeightOperand(net.layers()[i]))
            for (const SensitivityStep& step : ladder)
                probes.push_back({i, step.tokens, step.rule});
    return probes;
}

std::vector<SensitivityProbe> explorationProbes(const Project& project, const Network& net, const DesignSpace& space)
{
    const auto& axes = space.axes();
    std::vector<SensitivityProbe> probes;
    for (std::size_t li = 0; li < net.layers().size(); ++li) {
        const Layer& layer = net.layers()[li];
        if (!hasWeightOperand(layer))
            continue;
        std::vector<std::size_t> reaching;
        for (std::size_t a = 0; a < axes.size(); ++a)
            if (axes[a].kind == Axis::Kind::Compression &&
                (axes[a].targetsDefault || std::find(axes[a].layers.begin(), axes[a].layers.end(), li) != axes[a].layers.end()))
                reaching.push_back(a);
        if (reaching.empty())
            continue;
        std::vector<Genome> genomes;
        double combinations = 1;
        for (std::size_t a : reaching)
            combinations *= static_cast<double>(axes[a].values.size());
        const Genome first(axes.size(), 0);
        if (combinations <= 64) {
            genomes.push_back(first);
            for (std::size_t a : reaching) {  // the product, one axis at a time
                const std::size_t have = genomes.size();
                for (std::size_t v = 1; v < axes[a].values.size(); ++v)
                    for (std::size_t g = 0; g < have; ++g) {
                        Genome next = genomes[g];
                        next[a] = static_cast<int>(v);
                        genomes.push_back(std::move(next));
                    }
            }
        } else {
            genomes.push_back(first);
            for (std::size_t a : reaching)
                for (std::size_t v = 1; v < axes[a].values.size(); ++v) {
                    Genome next = first;
                    next[a] = static_cast<int>(v);
                    genomes.push_back(std::move(next));
                }
        }
        std::set<std::string> seen;
        for (const Genome& g : genomes) {
            const Project point = space.apply(project, g);
            auto plan = CompressionPlan::fromJson(point.compression, point.filePath);
            if (!plan)
                continue;  // the exploration itself reports a point it cannot read
            const LayerCompression setting = plan->forLayer(layer, static_cast<Dim>(li));
            std::string tokens;
            for (const auto& t : settingTokens(setting))
                tokens += (tokens.empty() ? "" : " ") + t;
            if (!seen.insert(tokens).second)
                continue;
            nlohmann::ordered_json rule = setting.toJson();
            rule.erase("rules");
            probes.push_back({li, tokens, std::move(rule)});
        }
    }
    return probes;
}

Result<std::vector<SensitivityRow>> measureSensitivity(const AccuracySession& session, const Network& net,
                                                       const std::vector<SensitivityStep>& ladder,
                                                       const std::function<bool(double)>& progress)
{
    return measureSensitivity(session, net, ladderProbes(net, ladder), progress);
}

Result<std::vector<SensitivityRow>> measureSensitivity(const AccuracySession& session, const Network& net,
                                                       const std::vector<SensitivityProbe>& probes,
                                                       const std::function<bool(double)>& progress)
{
    std::vector<SensitivityRow> rows;
    const double total = static_cast<double>(std::max<std::size_t>(probes.size(), 1));
    for (const SensitivityProbe& probe : probes) {
        nlohmann::ordered_json rule = probe.rule;
        rule["index"] = nlohmann::ordered_json::array({probe.layer, probe.layer});
        auto plan = CompressionPlan::fromJson({{"default", floatOperands()}, {"layers", nlohmann::ordered_json::array({rule})}}, "sensitivity");
        if (!plan)
            return plan.error();
        const double done = static_cast<double>(rows.size());
        auto report = session.measure(plan.value(), false,
                                      [&](double share) { return !progress || progress((done + share) / total); });
        if (!report)
            return report.error();
        rows.push_back({net.layers()[probe.layer].name, probe.tokens, report->dropPp});
    }
    return rows;
}

std::string sensitivityCsv(const std::vector<SensitivityRow>& rows, const std::string& comment)
{
    std::ostringstream out;
    out << "layer,setting,accuracy_drop\n";
    if (!comment.empty())
        out << "# " << comment << "\n";
    char drop[32];
    for (const auto& r : rows) {
        std::snprintf(drop, sizeof drop, "%.4f", r.dropPp);
        out << r.layer << "," << r.setting << "," << drop << "\n";
    }
    return out.str();
}

}  // namespace cdx
