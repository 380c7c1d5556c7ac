#include "core/util/fileio.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace cdx;
namespace fs = std::filesystem;

namespace {

/// A fresh folder under the system temporary folder, removed at the end of the test.
struct TempFolder {
    fs::path path;
    TempFolder()
    {
        std::string pattern = (fs::temp_directory_path() / "cdx-fileio-XXXXXX").string();
        path = ::mkdtemp(pattern.data());
    }
    ~TempFolder() { fs::remove_all(path); }
};

std::size_t filesIn(const fs::path& folder)
{
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(folder), fs::directory_iterator()));
}

}  // namespace

TEST_CASE("atomic writes replace the file and leave nothing behind", "[fileio]")
{
    TempFolder dir;
    const std::string file = (dir.path / "project.json").string();
    REQUIRE_FALSE(writeFileAtomically(file, "first").has_value());
    REQUIRE_FALSE(writeFileAtomically(file, "second, longer").has_value());
    auto text = readTextFile(file);
    REQUIRE(text.ok());
    CHECK(text.value() == "second, longer");
    CHECK(filesIn(dir.path) == 1);  // no temporary file left over
}

TEST_CASE("a failed atomic write keeps the old file", "[fileio]")
{
    TempFolder dir;
    const std::string file = (dir.path / "a.json").string();
    REQUIRE_FALSE(writeFileAtomically(file, "keep me").has_value());
    // Writing into a folder that does not exist fails before touching anything.
    const auto error = writeFileAtomically((dir.path / "missing" / "a.json").string(), "x");
    REQUIRE(error.has_value());
    CHECK(error->code == ExitCode::Internal);
    CHECK_THAT(error->describe(), Catch::Contains("missing/a.json"));
    CHECK(readTextFile(file).value() == "keep me");
}

TEST_CASE("reading names the file and the reason", "[fileio]")
{
    TempFolder dir;
    auto missing = readTextFile((dir.path / "nope.json").string());
    REQUIRE_FALSE(missing.ok());
    CHECK_THAT(missing.error().describe(), Catch::EndsWith("nope.json: no such file"));
    auto folder = readTextFile(dir.path.string());
    REQUIRE_FALSE(folder.ok());
    CHECK_THAT(folder.error().message, Catch::Contains("folder"));
}

TEST_CASE("a save killed half-way leaves the old file or the new one, never a mix", "[fileio]")
{
    // A child process saves large files in a loop; the test kills it with SIGKILL at moments
    // spread over the writes and reads the file back after each kill.
    TempFolder dir;
    const std::string file = (dir.path / "project.json").string();
    const std::size_t size = 8u << 20;
    REQUIRE_FALSE(writeFileAtomically(file, std::string(size, 'a')).has_value());
    int kills = 0;
    for (int round = 0; round < 12; ++round) {
        const pid_t child = ::fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            for (int i = 0;; ++i)
                (void)writeFileAtomically(file, std::string(size + static_cast<std::size_t>(i % 7), static_cast<char>('b' + i % 20)));
        }
        ::usleep(static_cast<useconds_t>(2000 + 7919 * round % 40000));  // 2 to 42 ms: inside a write, an fsync or a rename
        REQUIRE(::kill(child, SIGKILL) == 0);
        int status = 0;
        REQUIRE(::waitpid(child, &status, 0) == child);
        kills += WIFSIGNALED(status) ? 1 : 0;
        const auto text = readTextFile(file);
        REQUIRE(text.ok());
        const std::string& t = text.value();
        INFO("round " << round << ": " << t.size() << " bytes");
        REQUIRE(t.size() >= size);
        REQUIRE(t.size() < size + 7);
        CHECK(t.find_first_not_of(t.front()) == std::string::npos);  // one whole save, not two mixed
    }
    CHECK(kills == 12);
}
