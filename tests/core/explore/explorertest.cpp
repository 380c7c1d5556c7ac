// Searches and the explorer on a synthetic evaluator: shards partition the grid, random sampling
// is deterministic, NSGA-II finds the grid's front, no point is estimated twice, and a run's
// files read back exactly.
#include "core/explore/explorefiles.h"
#include "core/explore/explorer.h"
#include "core/explore/explorerun.h"
#include "core/explore/pareto.h"
#include "core/explore/searchstrategy.h"
#include "core/project/project.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>

using namespace cdx;

namespace {

Project syntheticProject(const std::string& search, int values = 10)
{
    Project p;
    p.name = "synthetic";
    p.filePath = "synthetic.json";
    p.network.value = "lenet300100";
    nlohmann::ordered_json axes = nlohmann::ordered_json::array();
    for (int a = 0; a < 4; ++a)
        axes.push_back({{"name", "x" + std::to_string(a)}, {"param", "x" + std::to_string(a)}, {"range", {{"from", 0}, {"to", values - 1}, {"step", 1}}}});
    p.explore = {{"axes", axes},
                 {"objectives", {"energy_pj", "latency_s"}},
                 {"constraints", {{{"metric", "power_w"}, {"max", 0.9}}}},
                 {"search", nlohmann::ordered_json::parse(search)}};
    return p;
}

DesignSpace spaceOf(const Project& p)
{
    auto net = loadProjectNetwork(p);
    REQUIRE(net.ok());
    auto space = DesignSpace::fromProject(p, net.value());
    REQUIRE(space.ok());
    return std::move(space.value());
}

/// A ZDT1-like bi-objective problem over four axes of n values each, with a constraint on
/// "power_w" (the first axis at its largest value breaks it) and points that fail outright (the last axis at 1).
class SyntheticEvaluator final : public PointEvaluator {
public:
    explicit SyntheticEvaluator(int n) : n_(n) {}
    PointEstimate evaluate(const Genome& g) override
    {
        {
            std::lock_guard lock(mutex_);
            ++calls_[DesignSpace::key(g)];
        }
        PointEstimate e;
        if (g[3] == 1) {
            e.reason = "does not fit";
            return e;
        }
        const double x0 = g[0] / double(n_ - 1);
        double rest = 0;
        for (std::size_t a = 1; a < g.size(); ++a)
            rest += g[a] / double(n_ - 1);
        const double h = 1 + 9 * rest / 3;
        e.ok = true;
        e.metrics[std::size_t(Metric::EnergyPj)] = x0;
        e.metrics[std::size_t(Metric::LatencyS)] = h * (1 - std::sqrt(x0 / h));
        e.metrics[std::size_t(Metric::PowerW)] = g[0] == n_ - 1 ? 1.0 : 0.5;
        return e;
    }
    std::map<std::string, int> calls() const
    {
        std::lock_guard lock(mutex_);
        return calls_;
    }

private:
    int n_;
    mutable std::mutex mutex_;
    std::map<std::string, int> calls_;
};

}  // namespace

TEST_CASE("grid shards partition the grid; random shards partition the samples", "[explore][search]")
{
    for (const char* search : {R"({"strategy": "grid"})", R"({"strategy": "random", "points": 500, "seed": 3})"}) {
        INFO(search);
        const DesignSpace space = spaceOf(syntheticProject(search));
        std::vector<std::string> whole;
        auto single = makeSearchStrategy(space, Shard{});
        for (auto batch = single->ask(); !batch.empty(); batch = single->ask())
            for (const auto& g : batch)
                whole.push_back(DesignSpace::key(g));
        CHECK(whole.size() == (std::string(search).find("grid") != std::string::npos ? 10000u : 500u));
        std::multiset<std::string> parts;
        std::uint64_t planned = 0;
        for (int k = 1; k <= 4; ++k) {
            auto shard = makeSearchStrategy(space, Shard{k, 4});
            planned += shard->plannedPoints();
            for (auto batch = shard->ask(); !batch.empty(); batch = shard->ask())
                for (const auto& g : batch)
                    parts.insert(DesignSpace::key(g));
        }
        CHECK(planned == whole.size());
        CHECK(parts == std::multiset<std::string>(whole.begin(), whole.end()));
    }
    // the same seed draws the same samples, another seed others
    auto first = makeSearchStrategy(spaceOf(syntheticProject(R"({"strategy": "random", "points": 50, "seed": 3})")), Shard{})->ask();
    auto again = makeSearchStrategy(spaceOf(syntheticProject(R"({"strategy": "random", "points": 50, "seed": 3})")), Shard{})->ask();
    auto other = makeSearchStrategy(spaceOf(syntheticProject(R"({"strategy": "random", "points": 50, "seed": 4})")), Shard{})->ask();
    CHECK(first == again);
    CHECK(first != other);
}

TEST_CASE("NSGA-II reaches 95% of the exhaustive grid's hypervolume with a tenth of its points", "[explore][search][nsga2]")
{
    const DesignSpace grid = spaceOf(syntheticProject(R"({"strategy": "grid"})"));
    SyntheticEvaluator gridEval(10);
    auto gridSearch = makeSearchStrategy(grid, Shard{});
    const ExploreOutcome all = explore(grid, *gridSearch, gridEval, {});
    REQUIRE(all.complete);
    REQUIRE(all.points.size() == 10000);

    const DesignSpace nsga = spaceOf(syntheticProject(R"({"strategy": "nsga2", "population": 40, "generations": 24, "seed": 11})"));
    SyntheticEvaluator nsgaEval(10);
    auto nsgaSearch = makeSearchStrategy(nsga, Shard{});
    const ExploreOutcome found = explore(nsga, *nsgaSearch, nsgaEval, {});
    REQUIRE(found.complete);
    CHECK(found.points.size() <= 1000);

    // both fronts against the same reference, in the grid's units
    const ObjectiveVector reference{1.1, 11.0};
    std::vector<ObjectiveVector> gridFront, nsgaFront;
    for (std::size_t i : all.front)
        gridFront.push_back(all.points[i].objectives);
    for (std::size_t i : found.front)
        nsgaFront.push_back(found.points[i].objectives);
    const double best = hypervolume(gridFront, reference);
    const double reached = hypervolume(nsgaFront, reference);
    INFO("grid front " << gridFront.size() << " points, HV " << best << "; NSGA-II " << found.points.size() << " points, front "
                       << nsgaFront.size() << ", HV " << reached);
    CHECK(reached >= 0.95 * best);
    CHECK(reached <= best * (1 + 1e-12));
    // every NSGA-II front point is feasible, and deterministic: the same seed gives the same front
    for (std::size_t i : found.front)
        CHECK(found.points[i].feasible);
    SyntheticEvaluator again(10);
    auto repeat = makeSearchStrategy(nsga, Shard{});
    const ExploreOutcome second = explore(nsga, *repeat, again, {});
    REQUIRE(second.front.size() == found.front.size());
    for (std::size_t i = 0; i < found.front.size(); ++i)
        CHECK(second.points[second.front[i]].key == found.points[found.front[i]].key);
}

TEST_CASE("the explorer estimates no point twice, keeps infeasible points with their reason, and resumes", "[explore]")
{
    const DesignSpace space = spaceOf(syntheticProject(R"({"strategy": "nsga2", "population": 20, "generations": 10, "seed": 5})", 4));
    SyntheticEvaluator eval(4);
    ExploreOptions options;
    options.threads = 2;
    std::size_t written = 0;
    options.onEvaluated = [&](const std::vector<const Evaluation*>& batch) { written += batch.size(); };
    auto search = makeSearchStrategy(space, Shard{});
    const ExploreOutcome run = explore(space, *search, eval, options);
    REQUIRE(run.complete);
    // NSGA-II proposes 220 genomes on a space of 256 points: many twice, each estimated once
    for (const auto& [key, calls] : eval.calls())
        CHECK(calls == 1);
    CHECK(eval.calls().size() == run.points.size());
    CHECK(written == run.points.size());
    std::size_t failed = 0, broken = 0;
    for (const Evaluation& e : run.points) {
        if (!e.estimated) {
            ++failed;
            CHECK(e.reason == "does not fit");
            CHECK_FALSE(e.feasible);
        } else if (!e.feasible) {
            ++broken;
            CHECK_THAT(e.reason, Catch::Contains("power_w = 1 above its maximum 0.9"));
        }
    }
    CHECK(failed > 0);
    CHECK(broken > 0);

    // Stopped after 60 estimates, then resumed from those: the same points in the end, none estimated twice.
    SyntheticEvaluator first(4), second(4);
    ExploreOptions part;
    part.maxPoints = 60;
    auto s1 = makeSearchStrategy(space, Shard{});
    const ExploreOutcome stopped = explore(space, *s1, first, part);
    CHECK_FALSE(stopped.complete);
    CHECK(stopped.stoppedBy == StopReason::PointBudget);
    CHECK(std::string(stopReasonName(stopped.stoppedBy)) == "point budget");
    CHECK(stopped.points.size() == 60);
    ExploreOptions rest;
    rest.recovered = stopped.points;
    auto s2 = makeSearchStrategy(space, Shard{});
    const ExploreOutcome resumed = explore(space, *s2, second, rest);
    CHECK(resumed.complete);
    CHECK(resumed.progress.recovered == 60);
    CHECK(resumed.progress.evaluated + 60 == run.points.size());
    for (const auto& [key, calls] : second.calls())
        CHECK(first.calls().count(key) == 0);
    std::set<std::string> a, b;
    for (const auto& e : run.points)
        a.insert(e.key);
    for (const auto& e : resumed.points)
        b.insert(e.key);
    CHECK(a == b);
    REQUIRE(resumed.front.size() == run.front.size());
    for (std::size_t i = 0; i < run.front.size(); ++i)
        CHECK(resumed.points[resumed.front[i]].key == run.points[run.front[i]].key);
}

TEST_CASE("points.csv reads back exactly, and a partial last line is dropped", "[explore][files]")
{
    const DesignSpace space = spaceOf(syntheticProject(R"({"strategy": "grid"})", 3));
    SyntheticEvaluator eval(3);
    auto search = makeSearchStrategy(space, Shard{});
    const ExploreOutcome run = explore(space, *search, eval, {});
    const std::string dir = (std::filesystem::temp_directory_path() / "cdx-explorefiles-test").string();
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::string path = dir + "/points.csv";
    {
        explorefiles::PointsWriter writer;
        REQUIRE_FALSE(writer.open(path, explorefiles::pointsHeader(space)));
        std::string rows;
        for (const Evaluation& e : run.points)
            rows += explorefiles::pointRow(space, e);
        REQUIRE_FALSE(writer.append(rows));
    }
    std::size_t partial = 9;
    auto back = explorefiles::readPoints(space, path, &partial);
    REQUIRE(back.ok());
    CHECK(partial == 0);
    REQUIRE(back->size() == run.points.size());
    for (std::size_t i = 0; i < run.points.size(); ++i) {
        CHECK(back.value()[i].key == run.points[i].key);
        CHECK(back.value()[i].feasible == run.points[i].feasible);
        CHECK(back.value()[i].reason == run.points[i].reason);
        CHECK(back.value()[i].objectives == run.points[i].objectives);  // exact: 17 significant digits
    }
    CHECK(explorefiles::frontJson(space, back.value(), feasibleFront(back.value())).dump() ==
          explorefiles::frontJson(space, run.points, run.front).dump());

    // A killed writer's half line: dropped on reading, cut off when the writer reopens the file.
    { std::ofstream(path, std::ios::app) << "1.2.0.1,1,,1,"; }
    back = explorefiles::readPoints(space, path, &partial);
    REQUIRE(back.ok());
    CHECK(partial == 1);
    CHECK(back->size() == run.points.size());
    {
        explorefiles::PointsWriter writer;
        REQUIRE_FALSE(writer.open(path, explorefiles::pointsHeader(space)));
        REQUIRE_FALSE(writer.append(explorefiles::pointRow(space, run.points.front())));
    }
    back = explorefiles::readPoints(space, path, &partial);
    REQUIRE(back.ok());
    CHECK(partial == 0);
    CHECK(back->size() == run.points.size() + 1);

    // Another space's file is refused, naming the line.
    const DesignSpace other = spaceOf(syntheticProject(R"({"strategy": "grid"})", 4));
    { std::ofstream(path, std::ios::app) << "9.9.9.9,1,,1,1,1,1" << std::string(15, ',') << "\n"; }
    auto wrong = explorefiles::readPoints(space, path);
    REQUIRE_FALSE(wrong.ok());
    CHECK_THAT(wrong.error().location, Catch::StartsWith("line "));
    std::filesystem::remove_all(dir);
    (void)other;
}

namespace {

/// The synthetic evaluator as a run directory's evaluator: it counts what it estimated.
class SyntheticRunEvaluator final : public RunEvaluator {
public:
    SyntheticRunEvaluator(SyntheticEvaluator& inner) : inner_(inner) {}
    PointEstimate evaluate(const Genome& g) override
    {
        ++calls_;
        return inner_.evaluate(g);
    }
    std::string describe() const override { return "synthetic"; }
    nlohmann::ordered_json counts() const override { return {{"synthetic_calls", calls_.load()}}; }

private:
    SyntheticEvaluator& inner_;
    std::atomic<std::uint64_t> calls_{0};
};

}  // namespace

TEST_CASE("a run directory: refused when taken, resumed without estimating a point twice, same front as one run", "[explore][files]")
{
    namespace fs = std::filesystem;
    const fs::path root = fs::temp_directory_path() / "cdx-explorerun-test";
    fs::remove_all(root);
    const Project project = syntheticProject(R"({"strategy": "grid"})", 5);  // 625 points
    auto net = loadProjectNetwork(project);
    REQUIRE(net.ok());
    const DesignSpace space = spaceOf(project);
    SyntheticEvaluator synthetic(5);
    std::vector<std::string> lines;
    const auto status = [&](const std::string& line) { lines.push_back(line); };
    const auto warning = [&](const std::string& line) { lines.push_back("warning: " + line); };
    const auto factory = [&](const Project&) -> std::unique_ptr<RunEvaluator> { return std::make_unique<SyntheticRunEvaluator>(synthetic); };
    auto request = [&](const fs::path& dir, std::uint64_t maxPoints, bool resume) {
        ExploreRunRequest r;
        r.project = &project;
        r.network = &net.value();
        r.space = &space;
        r.dir = dir.string();
        r.projectPath = "synthetic.json";
        r.resume = resume;
        r.options.threads = 2;
        r.options.maxPoints = maxPoints;
        return r;
    };

    const fs::path dir = root / "run";
    auto first = runExploreDirectory(request(dir, 100, false), factory, status, warning);
    REQUIRE(first.ok());
    CHECK_FALSE(first->outcome.complete);
    CHECK(first->stoppedBy == "point budget");
    const auto firstEstimated = first->summary["estimated"].get<std::uint64_t>();
    CHECK(firstEstimated >= 100);
    CHECK(first->summary["synthetic_calls"] == firstEstimated);  // the evaluator's counts are in the summary
    CHECK(first->summary["stopped_by"] == "point budget");
    for (const char* file : {explorefiles::kPoints, explorefiles::kFront, explorefiles::kSummary, explorefiles::kRun})
        CHECK(fs::exists(dir / file));

    // Taken without --resume.
    auto taken = runExploreDirectory(request(dir, 0, false), factory, status, warning);
    REQUIRE_FALSE(taken.ok());
    CHECK(taken.error().file == dir.string());
    CHECK(taken.error().message.find("--resume") != std::string::npos);

    // Resumed: every remaining point once, none of the first run's again.
    auto resumed = runExploreDirectory(request(dir, 0, true), factory, status, warning);
    REQUIRE(resumed.ok());
    CHECK(resumed->outcome.complete);
    CHECK(resumed->stoppedBy.empty());
    CHECK(resumed->summary["recovered"] == firstEstimated);
    CHECK(resumed->summary["estimated"].get<std::uint64_t>() + firstEstimated == 625);
    for (const auto& [key, n] : synthetic.calls())
        CHECK(n == 1);
    CHECK(synthetic.calls().size() == 625);
    CHECK(std::find(lines.begin(), lines.end(), "resuming with " + std::to_string(firstEstimated) + " points from " +
                                                     (dir / explorefiles::kPoints).string()) != lines.end());

    // The same front as one uninterrupted run.
    SyntheticEvaluator fresh(5);
    const auto freshFactory = [&](const Project&) -> std::unique_ptr<RunEvaluator> { return std::make_unique<SyntheticRunEvaluator>(fresh); };
    auto whole = runExploreDirectory(request(root / "whole", 0, false), freshFactory, status, warning);
    REQUIRE(whole.ok());
    CHECK(whole->summary["front"] == resumed->summary["front"]);
    CHECK(whole->summary["hypervolume"] == resumed->summary["hypervolume"]);
    auto slurp = [](const fs::path& path) {
        std::ifstream in(path);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    CHECK(slurp(root / "whole" / explorefiles::kFront) == slurp(dir / explorefiles::kFront));

    // Another space in the same directory is refused at run.json's signature.
    const Project other = syntheticProject(R"({"strategy": "grid"})", 6);
    const DesignSpace otherSpace = spaceOf(other);
    ExploreRunRequest changed = request(dir, 0, true);
    changed.project = &other;
    changed.space = &otherSpace;
    auto refused = runExploreDirectory(std::move(changed), factory, status, warning);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().location == "/signature");

    // A caller's cancel stops the run, named as the caller says.
    std::atomic<bool> cancel{true};
    ExploreRunRequest stopped = request(root / "cancelled", 0, false);
    stopped.cancel = &cancel;
    stopped.cancelledBy = "interrupt";
    auto interrupted = runExploreDirectory(std::move(stopped), freshFactory, status, warning);
    REQUIRE(interrupted.ok());
    CHECK_FALSE(interrupted->outcome.complete);
    CHECK(interrupted->summary["stopped_by"] == "interrupt");
    fs::remove_all(root);
}
