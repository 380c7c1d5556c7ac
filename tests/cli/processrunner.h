#pragma once

#include <string>
#include <vector>

namespace cdx::test {

struct ProcessResult {
    int exitCode = -1;  ///< the exit status, or 128 + signal if it was killed
    std::string out;
    std::string err;
};

/// Runs a program with arguments (no shell), stdin from /dev/null, and returns its exit code
/// and everything it wrote.
ProcessResult runProcess(const std::string& program, const std::vector<std::string>& args);

/// Runs the cdx executable under test.
ProcessResult runCdx(const std::vector<std::string>& args);

/// Splits a tab-separated manifest line into its fields.
std::vector<std::string> splitTabs(const std::string& line);

/// The rows of a tab-separated manifest, each split into its fields; blank lines and lines
/// starting with '#' are skipped. Empty when the file cannot be read.
std::vector<std::vector<std::string>> readManifest(const std::string& path);

}  // namespace cdx::test
