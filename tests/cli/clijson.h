#pragma once

#include "processrunner.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace cdx::test {

/// Runs cdx, requires exit 0 (showing stderr otherwise) and parses its stdout as JSON.
inline nlohmann::json runJson(const std::vector<std::string>& args)
{
    const auto r = runCdx(args);
    INFO("stderr: " << r.err);
    REQUIRE(r.exitCode == 0);
    return nlohmann::json::parse(r.out);
}

}  // namespace cdx::test
