#include "core/accuracy/sensitivitymeasure.h"

#include "core/compression/weightmatrix.h"

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

Result<std::vector<SensitivityRow>> measureSensitivity(const AccuracySession& session, const Network& net,
                                                       const std::vector<SensitivityStep>& ladder,
                                                       const std::function<bool(double)>& progress)
{
    std::vector<std::size_t> layers;
    for (std::size_t i = 0; i < net.layers().size(); ++i)
        if (hasWeightOperand(net.layers()[i]))
            layers.push_back(i);
    std::vector<SensitivityRow> rows;
    const double total = static_cast<double>(layers.size() * ladder.size());
    for (std::size_t li : layers) {
        const Layer& layer = net.layers()[li];
        for (const SensitivityStep& step : ladder) {
            nlohmann::ordered_json rule = step.rule;
            rule["index"] = nlohmann::ordered_json::array({li, li});
            auto plan = CompressionPlan::fromJson({{"default", floatOperands()}, {"layers", nlohmann::ordered_json::array({rule})}}, "sensitivity");
            if (!plan)
                return plan.error();
            const double done = static_cast<double>(rows.size());
            auto report = session.measure(plan.value(), false,
                                          [&](double share) { return !progress || progress((done + share) / total); });
            if (!report)
                return report.error();
            rows.push_back({layer.name, step.tokens, report->dropPp});
        }
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
