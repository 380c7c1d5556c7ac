#include "core/accuracy/exploreaccuracy.h"

#include "core/accuracy/measurementcache.h"
#include "core/accuracy/sensitivitymeasure.h"
#include "core/explore/metric.h"
#include "core/util/fileio.h"

#include <filesystem>
#include <set>

namespace cdx {

bool ExploreAccuracy::applies(const Project& project)
{
    return !project.accuracy.empty() && project.network.source == NetworkReference::Source::Onnx;
}

Result<Project> ExploreAccuracy::withMeasuredSensitivity(const Project& project, const Network& net, const DesignSpace& space,
                                                         const std::string& csvPath, const std::function<bool(double)>& progress)
{
    if (!applies(project) || project.compression.contains("sensitivity"))
        return project;
    Project ranked = project;
    const std::string absolute = std::filesystem::absolute(csvPath).lexically_normal().string();
    std::error_code ec;
    if (!std::filesystem::exists(absolute, ec)) {
        auto in = projectAccuracyInputs(project);
        if (!in)
            return in.error();
        auto session = AccuracySession::open(*in->network, in->modelPath, in->spec);
        if (!session)
            return session.error();
        std::vector<SensitivityProbe> probes = explorationProbes(project, net, space);
        std::set<std::size_t> reached;
        for (const auto& p : probes)
            reached.insert(p.layer);
        for (auto& p : ladderProbes(net, defaultSensitivityLadder()))
            if (!reached.count(p.layer))
                probes.push_back(std::move(p));
        auto rows = measureSensitivity(*session.value(), *in->network, probes, progress);
        if (!rows)
            return rows.error();
        if (auto error = writeFileAtomically(absolute, sensitivityCsv(rows.value(), "measured for the exploration: each layer alone at "
                                                                                  "the settings the design space gives it")))
            return *error;
    }
    ranked.compression["sensitivity"] = absolute;
    return ranked;
}

Result<std::vector<ExploreAccuracy::FrontMeasurement>> ExploreAccuracy::measureFront(const Project& project, const DesignSpace& space,
                                                                                     const std::vector<Evaluation>& points,
                                                                                     const std::vector<std::size_t>& front,
                                                                                     const std::function<bool(double)>& progress)
{
    std::vector<FrontMeasurement> out;
    if (!applies(project) || front.empty())
        return out;
    auto in = projectAccuracyInputs(project);
    if (!in)
        return in.error();
    auto bytes = readTextFile(in->modelPath);
    if (!bytes)
        return bytes.error();
    const MeasurementCache cache;
    std::shared_ptr<const AccuracySession> session;  // opened at the first point the cache lacks
    for (std::size_t n = 0; n < front.size(); ++n) {
        const Evaluation& e = points[front[n]];
        const Project point = space.apply(project, e.genome);
        auto plan = CompressionPlan::fromJson(point.compression, point.filePath);
        if (!plan)
            return plan.error();
        FrontMeasurement m;
        m.key = e.key;
        m.estimatedDropPp = e.metrics[static_cast<std::size_t>(Metric::AccuracyDropPp)];
        const std::string key = measurementKey(in.value(), bytes.value(), plan.value(), in->spec.samples);
        if (const auto found = cache.find(key)) {
            m.measuredDropPp = found->dropPp;
            m.cached = true;
        } else {
            if (!session) {
                auto opened = AccuracySession::open(*in->network, in->modelPath, in->spec);
                if (!opened)
                    return opened.error();
                session = opened.value();
            }
            auto report = session->measure(plan.value());
            if (!report)
                return report.error();
            cache.store(key, MeasuredAccuracy::of(report.value()));
            m.measuredDropPp = report->dropPp;
        }
        out.push_back(m);
        if (progress && !progress(static_cast<double>(n + 1) / static_cast<double>(front.size())))
            return Error{ExitCode::CheckFailed, project.filePath, {}, "the measurement was cancelled"};
    }
    return out;
}

}  // namespace cdx
