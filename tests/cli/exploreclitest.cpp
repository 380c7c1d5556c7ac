// cdx explore and cdx merge, black-box: shards run through GNU parallel merge into the single
// run's front; a run killed with SIGKILL resumes without losing or repeating a point; bad input
// exits 2 naming the place.
#include "processrunner.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

extern char** environ;

using namespace cdx::test;
namespace fs = std::filesystem;

namespace {

const std::string kProjects = CDX_PROJECTS_DIR;
const std::string kData = CDX_TEST_DATA_DIR;

std::string readAll(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

/// A fresh, empty scratch directory for one test.
fs::path scratch(const std::string& name)
{
    const fs::path dir = fs::temp_directory_path() / ("cdx-explore-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

/// The data rows of a points.csv: its keys, each as often as it appears. A last line without
/// its newline (a run killed while writing it) is no point: resume drops and re-estimates it.
std::multiset<std::string> keysOf(const fs::path& csv)
{
    std::multiset<std::string> keys;
    const std::string text = readAll(csv);
    std::size_t begin = text.find('\n');  // after the header
    while (begin != std::string::npos && begin + 1 < text.size()) {
        const std::size_t end = text.find('\n', begin + 1);
        if (end == std::string::npos)
            break;
        const std::string line = text.substr(begin + 1, end - begin - 1);
        keys.insert(line.substr(0, line.find(',')));
        begin = end;
    }
    return keys;
}

std::size_t lineCount(const fs::path& path)
{
    const std::string text = readAll(path);
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace

TEST_CASE("four shards run through GNU parallel and merged give exactly the single run's front and points", "[cli][explore]")
{
    const fs::path dir = scratch("shards");
    const std::string project = kProjects + "/explore_systolic_lenet.json";
    const auto single = runCdx({"explore", project, "--out", (dir / "single").string()});
    INFO(single.err);
    REQUIRE(single.exitCode == 0);

    REQUIRE(fs::exists("/usr/bin/parallel"));  // Debian's GNU parallel (scripts/common.sh installs it)
    const auto shards = runProcess("/usr/bin/parallel", {"--will-cite", "--halt", "now,fail=1", CDX_EXECUTABLE, "explore", project, "--out",
                                                         (dir / "shard{}").string(), "--shard", "{}/4", ":::", "1", "2", "3", "4"});
    INFO(shards.err);
    REQUIRE(shards.exitCode == 0);
    std::multiset<std::string> all;
    for (int k = 1; k <= 4; ++k) {
        const auto keys = keysOf(dir / ("shard" + std::to_string(k)) / "points.csv");
        CHECK(keys.size() == 108);  // 432 points dealt out four ways
        all.insert(keys.begin(), keys.end());
    }
    CHECK(all == keysOf(dir / "single" / "points.csv"));

    const auto merged = runCdx({"merge", (dir / "shard1").string(), (dir / "shard2").string(), (dir / "shard3").string(),
                                (dir / "shard4").string(), "--out", (dir / "merged").string()});
    INFO(merged.err);
    REQUIRE(merged.exitCode == 0);
    CHECK(readAll(dir / "merged" / "front.json") == readAll(dir / "single" / "front.json"));
    CHECK(readAll(dir / "merged" / "points.csv") == readAll(dir / "single" / "points.csv"));
    const auto front = nlohmann::json::parse(readAll(dir / "merged" / "front.json"));
    CHECK(front["format"] == "cdx-front");
    CHECK(front["points"].size() >= 2);
    CHECK(front["hypervolume"].get<double>() > 0);
    // every front point is feasible in the single run's points.csv
    const std::string csv = readAll(dir / "single" / "points.csv");
    for (const auto& p : front["points"]) {
        std::string row = "\n";
        row.append(p["key"].get<std::string>()).append(",1,");
        CHECK(csv.find(row) != std::string::npos);
    }
    const auto summary = nlohmann::json::parse(readAll(dir / "merged" / "summary.json"));
    CHECK(summary["points"] == 432);
    CHECK(summary["merged"].size() == 4);
    CHECK(summary["infeasible"].get<int>() + summary["feasible"].get<int>() == 432);
    CHECK_FALSE(summary["infeasible_reasons"].empty());  // kept, with their reasons
    fs::remove_all(dir);
}

TEST_CASE("a run killed with SIGKILL and resumed loses no point and estimates none twice", "[cli][explore]")
{
    const fs::path dir = scratch("kill");
    const fs::path out = dir / "run";
    const std::string project = kData + "/explore/pipeline_space.json";
    const std::string exe = CDX_EXECUTABLE;
    std::vector<std::string> args{exe, "explore", project, "--out", out.string(), "--threads", "1"};
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    REQUIRE(posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&actions);
    // Kill it once it has written its first points, long before its 19,264.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline && !(fs::exists(out / "points.csv") && lineCount(out / "points.csv") > 1))
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    REQUIRE(::kill(pid, SIGKILL) == 0);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFSIGNALED(status));
    const std::multiset<std::string> before = keysOf(out / "points.csv");
    INFO("killed after " << before.size() << " points");
    REQUIRE(before.size() > 0);
    REQUIRE(before.size() < 19264);
    CHECK_FALSE(fs::exists(out / "front.json"));

    // Without --resume the directory is refused, so nothing is overwritten.
    const auto refused = runCdx({"explore", project, "--out", out.string()});
    CHECK(refused.exitCode == 2);
    CHECK_THAT(refused.err, Catch::Contains("--resume"));

    const auto resumed = runCdx({"explore", project, "--out", out.string(), "--resume", "--json"});
    INFO(resumed.err);
    REQUIRE(resumed.exitCode == 0);
    const auto summary = nlohmann::json::parse(resumed.out);
    CHECK(summary["recovered"] == before.size());
    CHECK(summary["estimated"].get<std::size_t>() + before.size() == 19264);
    CHECK(summary["complete"] == true);
    const std::multiset<std::string> after = keysOf(out / "points.csv");
    CHECK(after.size() == 19264);
    CHECK(std::set<std::string>(after.begin(), after.end()).size() == 19264);  // each point once
    for (const auto& k : before)
        CHECK(after.count(k) == 1);
    fs::remove_all(dir);
}

TEST_CASE("cdx explore and cdx merge refuse bad input with exit 2", "[cli][explore]")
{
    const fs::path dir = scratch("bad");
    auto noSpace = runCdx({"explore", kProjects + "/default.json", "--out", (dir / "a").string()});
    CHECK(noSpace.exitCode == 2);
    CHECK_THAT(noSpace.err, Catch::Contains("/explore"));
    auto badShard = runCdx({"explore", kProjects + "/explore_systolic_lenet.json", "--out", (dir / "b").string(), "--shard", "5/4"});
    CHECK(badShard.exitCode == 2);
    CHECK_THAT(badShard.err, Catch::Contains("--shard"));
    // a run of another space cannot be resumed by this one, nor merged with it
    REQUIRE(runCdx({"explore", kProjects + "/explore_systolic_lenet.json", "--out", (dir / "c").string()}).exitCode == 0);
    REQUIRE(runCdx({"explore", kData + "/explore/pipeline_space.json", "--out", (dir / "d").string(), "--max-points", "10"}).exitCode == 0);
    auto wrongResume = runCdx({"explore", kData + "/explore/pipeline_space.json", "--out", (dir / "c").string(), "--resume"});
    CHECK(wrongResume.exitCode == 2);
    CHECK_THAT(wrongResume.err, Catch::Contains("changed"));
    auto wrongMerge = runCdx({"merge", (dir / "c").string(), (dir / "d").string(), "--out", (dir / "m").string()});
    CHECK(wrongMerge.exitCode == 2);
    CHECK_THAT(wrongMerge.err, Catch::Contains("another project"));
    auto notARun = runCdx({"merge", (dir / "nothing").string(), "--out", (dir / "m").string()});
    CHECK(notARun.exitCode == 2);
    CHECK_THAT(notARun.err, Catch::Contains("run.json"));
    // a budget stops the run early and says how to continue
    auto partial = runCdx({"explore", kData + "/explore/pipeline_space.json", "--out", (dir / "e").string(), "--max-points", "300"});
    CHECK(partial.exitCode == 0);
    CHECK_THAT(partial.out, Catch::Contains("--resume"));
    CHECK(keysOf(dir / "e" / "points.csv").size() == 300);
    fs::remove_all(dir);
}

TEST_CASE("cdx explore refuses a misspelt axis before the search, naming the file, the axis and the closest name", "[cli][explore]")
{
    const fs::path dir = scratch("typo");
    auto project = nlohmann::json::parse(readAll(kProjects + "/explore_systolic_lenet.json"));
    project["explore"]["axes"][0]["param"] = "pe_rows";  // the systolic template's parameter is "rows"
    const fs::path file = dir / "typo.json";
    std::ofstream(file) << project.dump(2);
    const auto r = runCdx({"explore", file.string(), "--out", (dir / "run").string()});
    CHECK(r.exitCode == 2);
    CHECK_THAT(r.err, Catch::Contains(file.string() + ": /explore/axes/0/param: template systolic has no parameter \"pe_rows\" (did you mean \"rows\"?)"));
    CHECK_FALSE(fs::exists(dir / "run" / "points.csv"));  // nothing estimated

    // A misspelt compression field is refused the same way.
    project = nlohmann::json::parse(readAll(kProjects + "/explore_systolic_lenet.json"));
    project["explore"]["axes"][2]["set"] = "weights.bit";
    std::ofstream(file) << project.dump(2);
    const auto set = runCdx({"explore", file.string(), "--out", (dir / "run").string()});
    CHECK(set.exitCode == 2);
    CHECK_THAT(set.err, Catch::Contains(file.string() + ": /explore/axes/2/set: ") && Catch::Contains("(did you mean \"bits\"?)"));
    CHECK_FALSE(fs::exists(dir / "run" / "points.csv"));
    fs::remove_all(dir);
}

TEST_CASE("cdx explore reports how many points it composed and how many it estimated in full, as summary.json does", "[cli][explore]")
{
    const fs::path dir = scratch("composed");
    const auto counts = [](const nlohmann::json& summary) {
        return "(" + std::to_string(summary["estimated"].get<long long>()) + " estimated: " +
               std::to_string(summary["full_estimates"].get<long long>()) + " in full, " +
               std::to_string(summary["composed_points"].get<long long>()) + " composed from per-layer results; 0 recovered)";
    };
    // The shipped LeNet space composes most of its points.
    const auto lenet = runCdx({"explore", kProjects + "/explore_systolic_lenet.json", "--out", (dir / "lenet").string()});
    INFO(lenet.err);
    REQUIRE(lenet.exitCode == 0);
    const auto lenetSummary = nlohmann::json::parse(readAll(dir / "lenet" / "summary.json"));
    CHECK(lenetSummary["composed_points"].get<int>() > 0);
    CHECK(lenetSummary["composed_points"].get<int>() + lenetSummary["full_estimates"].get<int>() == 432);
    CHECK_THAT(lenet.out, Catch::Contains(counts(lenetSummary)));

    // Without its compression axis every point is a design of its own: all estimated in full, and said so.
    auto project = nlohmann::json::parse(readAll(kProjects + "/explore_systolic_lenet.json"));
    project["explore"]["axes"].erase(2);
    project["explore"]["objectives"] = {"energy_pj", "latency_s"};
    project["explore"].erase("constraints");
    const fs::path file = dir / "designs.json";
    std::ofstream(file) << project.dump(2);
    const auto designs = runCdx({"explore", file.string(), "--out", (dir / "designs").string()});
    INFO(designs.err);
    REQUIRE(designs.exitCode == 0);
    const auto summary = nlohmann::json::parse(readAll(dir / "designs" / "summary.json"));
    CHECK(summary["full_estimates"] == 16);
    CHECK(summary["composed_points"] == 0);
    CHECK(summary["composed"] == false);
    CHECK_THAT(designs.err, Catch::Contains("every point estimated in full: every axis changes the design"));
    CHECK_THAT(designs.out, Catch::Contains(counts(summary)));
    fs::remove_all(dir);
}
