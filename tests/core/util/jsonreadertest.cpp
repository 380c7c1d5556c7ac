#include "core/util/error.h"
#include "core/util/jsonreader.h"
#include "core/util/jsonwriter.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace cdx;

namespace {

std::string failureOf(const std::function<void()>& f)
{
    try {
        f();
    } catch (const InputError& e) {
        return e.error().location + ": " + e.error().message;
    }
    return "no error";
}

}  // namespace

TEST_CASE("typed access names the JSON pointer of a bad value", "[json]")
{
    const auto doc = nlohmann::json::parse(R"({"a": {"b": [1, "two", -3]}, "x/y": 1.5, "big": 18446744073709551615})");
    JsonObject root(doc, {});
    auto list = root.required("a").asObject().required("b").asArray();
    CHECK(list[0].asInt() == 1);
    CHECK(failureOf([&] { list[1].asInt(); }) == "/a/b/1: expected an integer, found a string");
    CHECK(failureOf([&] { list[2].asInt(0); }) == "/a/b/2: must be at least 0, got -3");
    CHECK(failureOf([&] { list[0].asInt(2, 5); }) == "/a/b/0: must be between 2 and 5, got 1");
    CHECK(failureOf([&] { root.required("x/y").asInt(); }) == "/x~1y: expected an integer, found 1.5");
    CHECK(failureOf([&] { root.required("big").asInt(); }) == "/big: integer 18446744073709551615 is out of range");
    CHECK(failureOf([&] { root.required("nope"); }) == "/: missing required key \"nope\"");
}

TEST_CASE("unknown keys are named with a suggestion", "[json]")
{
    const auto doc = nlohmann::json::parse(R"({"name": "n", "kernal": [3]})");
    JsonObject o(doc, "/layers/2");
    o.requiredString("name");
    o.optional("kernel");
    o.optional("stride");
    CHECK(failureOf([&] { o.rejectUnknownKeys(); }) ==
          "/layers/2/kernal: unknown key \"kernal\" (did you mean \"kernel\"?)");

    const auto far = nlohmann::json::parse(R"({"zzzzzz": 1})");
    JsonObject f(far, {});
    f.optional("kernel");
    CHECK(failureOf([&] { f.rejectUnknownKeys(); }) == "/zzzzzz: unknown key \"zzzzzz\"");
}

TEST_CASE("syntax errors give line and column", "[json]")
{
    CHECK_THAT(failureOf([] { parseJsonText("{\n  \"a\": 1,\n  \"b\": ]\n}"); }),
               Catch::StartsWith("line 3, column 8: JSON syntax error"));
    CHECK_THAT(failureOf([] { parseJsonText(""); }), Catch::StartsWith("line 1, column 1"));
}

TEST_CASE("the writer is deterministic and keeps plain arrays on one line", "[json]")
{
    nlohmann::ordered_json j;
    j["name"] = "x";
    j["shape"] = {1, 2, 3};
    j["layers"] = nlohmann::ordered_json::array({{{"a", 1}, {"b", {1, 2}}}});
    j["empty"] = nlohmann::ordered_json::object();
    const std::string text = formatJson(j, 2);
    CHECK(text ==
          "{\n"
          "  \"name\": \"x\",\n"
          "  \"shape\": [1, 2, 3],\n"
          "  \"layers\": [\n"
          "    {\"a\": 1, \"b\": [1, 2]}\n"
          "  ],\n"
          "  \"empty\": {}\n"
          "}\n");
    CHECK(formatJson(nlohmann::ordered_json::parse(text), 2) == text);
}

TEST_CASE("closest match only suggests near misses", "[json]")
{
    const std::vector<std::string> names{"resnet18", "resnet50", "vgg16"};
    CHECK(closestMatch("resnet5O", names) == std::optional<std::string>("resnet50"));
    CHECK(closestMatch("vgg61", names) == std::optional<std::string>("vgg16"));
    CHECK_FALSE(closestMatch("transformer", names).has_value());
    // Failing that, the one name whose words are all in the word, or that has all the word's.
    const std::vector<std::string> params{"rows", "cols", "scratchpad_kib", "accumulator_kib", "weight_buffer_kib"};
    CHECK(closestMatch("pe_rows", params) == std::optional<std::string>("rows"));
    CHECK(closestMatch("buffer_kib", params) == std::optional<std::string>("weight_buffer_kib"));
    CHECK_FALSE(closestMatch("kib", params).has_value());  // three names have it: no guess
    CHECK_FALSE(closestMatch("pe_count", params).has_value());
}
