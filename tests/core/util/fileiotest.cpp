#include "core/util/fileio.h"

#include <catch2/catch.hpp>

#include <filesystem>

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
