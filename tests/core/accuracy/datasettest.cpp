#include "core/accuracy/dataset.h"
#include "core/accuracy/datasetspec.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <numbers>
#include <random>
#include <span>
#include <vector>

using namespace cdx;
namespace fs = std::filesystem;
using nlohmann::ordered_json;

namespace {

const std::string kDataDir = std::string(CDX_TEST_DATA_DIR) + "/datasets";
// Relative paths in a block resolve against the folder of this (never read) project file.
const std::string kProject = kDataDir + "/project.json";

DatasetSpec spec(const ordered_json& block, const std::string& project = kProject)
{
    auto parsed = DatasetSpec::fromJson(block, project, "/accuracy/dataset");
    INFO((parsed.ok() ? std::string() : parsed.error().describe()));
    REQUIRE(parsed.ok());
    return parsed.value();
}

Error specError(const ordered_json& block)
{
    auto parsed = DatasetSpec::fromJson(block, kProject, "/accuracy/dataset");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().file == kProject);
    return parsed.error();
}

Dataset load(const DatasetSpec& s, std::int64_t first = 0, std::int64_t count = -1)
{
    auto data = loadDataset(s, first, count);
    INFO((data.ok() ? std::string() : data.error().describe()));
    REQUIRE(data.ok());
    return std::move(data).value();
}

Error loadError(const DatasetSpec& s)
{
    auto data = loadDataset(s);
    REQUIRE_FALSE(data.ok());
    CHECK(data.error().code == ExitCode::BadInput);
    return data.error();
}

/// A fresh folder under the system's temporary folder, removed at the end of the test.
struct TempDir {
    fs::path path;
    TempDir()
    {
        std::random_device random;
        path = fs::temp_directory_path() / ("cdx-datasettest-" + std::to_string(random()));
        fs::create_directories(path);
    }
    ~TempDir() { fs::remove_all(path); }
    std::string write(const std::string& name, const std::string& bytes) const
    {
        const auto file = path / name;
        std::ofstream(file, std::ios::binary) << bytes;
        return file.string();
    }
};

std::string readAll(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string bigEndian(std::uint32_t v)
{
    return {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
}

std::string npy(const std::string& dict, const std::string& payload)
{
    std::string header = dict;
    while ((10 + header.size() + 1) % 64)
        header += ' ';
    header += '\n';
    return std::string("\x93NUMPY\x01\x00", 8) + char(header.size() & 0xFF) + char(header.size() >> 8) + header + payload;
}

template <class T>
std::string bytesOf(std::initializer_list<T> values)
{
    std::string bytes(values.size() * sizeof(T), '\0');
    std::memcpy(bytes.data(), std::data(values), bytes.size());
    return bytes;
}

/// A mono 16-bit PCM WAV file's bytes.
std::string wavBytes(int sampleRate, const std::vector<double>& samples)
{
    const auto le32 = [](std::uint32_t v) { return std::string{char(v), char(v >> 8), char(v >> 16), char(v >> 24)}; };
    const auto le16 = [](std::uint16_t v) { return std::string{char(v), char(v >> 8)}; };
    std::string data;
    for (const double x : samples)
        data += le16(static_cast<std::uint16_t>(static_cast<std::int16_t>(std::lround(x * 32767))));
    return "RIFF" + le32(static_cast<std::uint32_t>(36 + data.size())) + "WAVEfmt " + le32(16) + le16(1) + le16(1) +
           le32(static_cast<std::uint32_t>(sampleRate)) + le32(static_cast<std::uint32_t>(sampleRate * 2)) + le16(2) + le16(16) +
           "data" + le32(static_cast<std::uint32_t>(data.size())) + data;
}

std::vector<double> tone(double hz, int sampleRate, int count, double amplitude)
{
    std::vector<double> x(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i)
        x[static_cast<std::size_t>(i)] = amplitude * std::sin(2 * std::numbers::pi * hz * i / sampleRate);
    return x;
}

/// Root mean square of the middle half of `x` (away from the filter's start and end).
double middleRms(std::span<const float> x)
{
    double sum = 0;
    const std::size_t a = x.size() / 4, b = x.size() * 3 / 4;
    for (std::size_t i = a; i < b; ++i)
        sum += double(x[i]) * x[i];
    return std::sqrt(sum / double(b - a));
}

bool mentions(const Error& e, const std::string& text)
{
    return e.describe().find(text) != std::string::npos;
}

}  // namespace

TEST_CASE("a dataset block: paths, ${CDX_DATA} and a byte-exact round trip", "[dataset]")
{
    const ordered_json block = {{"format", "idx"},
                                {"images", "${CDX_DATA}/mnist/t10k-images-idx3-ubyte"},
                                {"labels", "mnist20-labels-idx1-ubyte"},
                                {"scale", 0.5},
                                {"mean", 0.1},
                                {"std", 0.3}};
    const DatasetSpec s = spec(block);
    CHECK(s.format == "idx");
    CHECK(s.data == datasetDataDirectory() + "/mnist/t10k-images-idx3-ubyte");
    CHECK(s.labels == kDataDir + "/mnist20-labels-idx1-ubyte");
    CHECK(s.scale == 0.5);
    CHECK(s.mean == std::vector<double>{0.1});
    CHECK(s.jsonPath == "/accuracy/dataset");
    const std::string once = s.toJson().dump();
    CHECK(once == block.dump());
    CHECK(spec(ordered_json::parse(once)).toJson().dump() == once);

    const ordered_json wav = {{"format", "wav"}, {"data", "speech"}, {"sampleRate", 8000}, {"windowSamples", 400}, {"resample", true}};
    CHECK(spec(wav).toJson().dump() == wav.dump());
    const ordered_json images = {{"format", "images"}, {"data", "digits"}, {"labels", "digits/labels.csv"},
                                 {"mean", {0.485, 0.456, 0.406}}, {"std", {0.229, 0.224, 0.225}},
                                 {"layout", "nhwc"}, {"width", 28}, {"height", 28}, {"channels", 3}};
    CHECK(spec(images).toJson().dump() == images.dump());
}

TEST_CASE("a dataset block with a mistake names the JSON path", "[dataset]")
{
    CHECK(specError({{"format", "png"}, {"data", "x"}}).location == "/accuracy/dataset/format");
    CHECK(mentions(specError({{"format", "npi"}, {"data", "x"}}), "did you mean \"npy\""));
    CHECK(specError({{"format", "npy"}}).location == "/accuracy/dataset");
    CHECK(mentions(specError({{"format", "npy"}, {"data", "x.npy"}, {"scael", 2}}), "scael"));
    CHECK(specError({{"format", "npy"}, {"data", "x.npy"}, {"sampleRate", 8000}}).location ==
          "/accuracy/dataset/sampleRate");
    CHECK(mentions(specError({{"format", "idx"}, {"images", "x"}, {"channels", 1}}), "applies to format \"images\" only"));
    CHECK(specError({{"format", "npy"}, {"data", "../x.npy"}}).location == "/accuracy/dataset/data");
    CHECK(specError({{"format", "npy"}, {"data", "${HOME}/x.npy"}}).location == "/accuracy/dataset/data");
    CHECK(specError({{"format", "npy"}, {"data", "x.npy"}, {"std", {1.0, 0.0}}}).location == "/accuracy/dataset/std/1");
    CHECK(specError({{"format", "npy"}, {"data", "x.npy"}, {"scale", 0}}).location == "/accuracy/dataset/scale");
    CHECK(specError({{"format", "npy"}, {"data", "x.npy"}, {"layout", "chw"}}).location == "/accuracy/dataset/layout");
    CHECK(specError({{"format", "images"}, {"data", "d"}, {"channels", 2}}).location == "/accuracy/dataset/channels");
    CHECK(specError({{"format", "images"}, {"data", "d"}, {"mean", {1, 2, 3}}, {"std", {1, 2}}}).location ==
          "/accuracy/dataset/std");
    CHECK(specError({{"format", "wav"}, {"data", "d"}, {"windowSamples", -1}}).location ==
          "/accuracy/dataset/windowSamples");
    CHECK(specError({{"format", "wav"}, {"data", "d"}, {"resample", "yes"}}).location == "/accuracy/dataset/resample");
    CHECK(mentions(specError({{"format", "images"}, {"data", "d"}, {"resample", true}}), "applies to format \"wav\" only"));
}

TEST_CASE("IDX: the first 20 MNIST test digits", "[dataset]")
{
    DatasetSpec s = spec({{"format", "idx"}, {"images", "mnist20-images-idx3-ubyte"}, {"labels", "mnist20-labels-idx1-ubyte"}});
    const Dataset all = load(s);
    CHECK(all.count == 20);
    CHECK(all.sampleShape == Shape{1, 28, 28});
    CHECK(all.values.size() == 20u * 784u);
    CHECK(all.labels == std::vector<std::int64_t>{7, 2, 1, 0, 4, 1, 4, 9, 5, 9, 0, 6, 9, 0, 1, 5, 9, 7, 3, 4});
    CHECK(*std::max_element(all.values.begin(), all.values.end()) == 255.0f);
    CHECK(all.values[0] == 0.0f);  // the corner of a 7 is background

    const Dataset some = load(s, 5, 3);
    CHECK(some.count == 3);
    CHECK(some.labels == std::vector<std::int64_t>{1, 4, 9});
    CHECK(std::ranges::equal(some.sample(0), all.sample(5)));
    CHECK(load(s, 18, 100).count == 2);
    CHECK(loadDataset(s, 20, 1).error().file == s.data);

    s.scale = 1.0 / 255;
    s.mean = {0.5};
    s.std = {0.5};
    const Dataset normalised = load(s);
    for (std::size_t i = 0; i < all.values.size(); i += 97)
        CHECK(normalised.values[i] == Approx((all.values[i] / 255.0 - 0.5) / 0.5));
}

TEST_CASE("IDX: broken files name the file and the place", "[dataset]")
{
    TempDir dir;
    const std::string images = readAll(kDataDir + "/mnist20-images-idx3-ubyte");
    const std::string labels = readAll(kDataDir + "/mnist20-labels-idx1-ubyte");
    DatasetSpec s;
    s.format = "idx";

    s.data = dir.write("truncated", images.substr(0, images.size() - 100));
    Error e = loadError(s);
    CHECK(e.file == s.data);
    CHECK(mentions(e, "truncated"));
    CHECK(mentions(e, "15680 bytes after the header, the file has 15580"));

    s.data = dir.write("magic", bigEndian(0x00000801) + images.substr(4));
    e = loadError(s);
    CHECK(e.location == "byte 0");
    CHECK(mentions(e, "0x00000801 is not 0x00000803"));

    s.data = dir.write("header", images.substr(0, 10));
    CHECK(mentions(loadError(s), "truncated inside the header"));
    s.data = dir.write("empty", "");
    CHECK(loadError(s).location == "byte 0");

    // Sizes claiming 4 G x 4 G x 4 G images in a 16-byte file: refused before any allocation.
    s.data = dir.write("huge", bigEndian(0x803) + bigEndian(0xFFFFFFFF) + bigEndian(0xFFFFFFFF) + bigEndian(0xFFFFFFFF));
    CHECK(mentions(loadError(s), "truncated"));
    s.data = dir.write("zero", bigEndian(0x803) + bigEndian(0) + bigEndian(0xFFFFFFFF) + bigEndian(0xFFFFFFFF));
    CHECK(mentions(loadError(s), "size 0"));

    s.data = kDataDir + "/mnist20-images-idx3-ubyte";
    s.labels = dir.write("labels19", bigEndian(0x801) + bigEndian(19) + labels.substr(8, 19));
    e = loadError(s);
    CHECK(e.file == s.labels);
    CHECK(mentions(e, "19 labels, but"));
    CHECK(mentions(e, "has 20 images"));

    s.labels = dir.write("labels-as-images", images);
    CHECK(mentions(loadError(s), "is not 0x00000801"));
    s.labels = (dir.path / "missing").string();
    CHECK(mentions(loadError(s), "no such file"));
}

TEST_CASE("NPY: float and byte tensors, integer labels", "[dataset]")
{
    const Dataset f4 = load(spec({{"format", "npy"}, {"data", "tiny-f4.npy"}, {"labels", "tiny-labels-i8.npy"}}));
    CHECK(f4.count == 4);
    CHECK(f4.sampleShape == Shape{2, 3});
    CHECK(f4.values[7] == 3.5f);
    CHECK(f4.labels == std::vector<std::int64_t>{3, 1, 4, 1});
    CHECK(f4.sample(3)[5] == 11.5f);

    // Per-channel normalisation: nchw puts the channels on the first axis of an example, nhwc on the last.
    DatasetSpec s = spec({{"format", "npy"}, {"data", "tiny-f4.npy"}, {"mean", {1, 2}}});
    CHECK(load(s).values[0] == -1.0f);
    CHECK(load(s).values[3] == 1.5f - 2.0f);
    s.layout = "nhwc";
    s.mean = {1, 2, 3};
    CHECK(load(s).values[2] == 1.0f - 3.0f);
    s.mean = {1, 2};
    CHECK(loadError(s).location == "/accuracy/dataset/mean");

    const Dataset u1 = load(spec({{"format", "npy"}, {"data", "tiny-u1.npy"}, {"scale", 2}}));
    CHECK(u1.sampleShape == Shape{3});
    CHECK(u1.values == std::vector<float>{0, 256, 510, 2, 4, 6});
}

TEST_CASE("NPY: broken or unsupported files", "[dataset]")
{
    TempDir dir;
    const std::string f4 = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }";
    const std::string data = bytesOf<float>({1, 2, 3, 4});
    DatasetSpec s;
    s.format = "npy";
    const auto failure = [&](const std::string& bytes) {
        s.data = dir.write("x.npy", bytes);
        const Error e = loadError(s);
        CHECK(e.file == s.data);
        return e;
    };
    s.data = dir.write("ok.npy", npy(f4, data));
    CHECK(load(s).values == std::vector<float>{1, 2, 3, 4});

    CHECK(mentions(failure(npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", data)), "fortran_order"));
    Error e = failure(npy("{'descr': '>f4', 'fortran_order': False, 'shape': (2, 2), }", data));
    CHECK(e.location == "header field 'descr'");
    CHECK(mentions(e, "'>f4' is not supported"));
    CHECK(mentions(failure(npy(f4, data.substr(0, 12))), "truncated"));
    CHECK(mentions(failure(npy(f4, data + "xxxx")), "longer than its header says"));
    CHECK(mentions(failure(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999, 99999999999, 9999), }", data)),
                   "truncated"));
    CHECK(mentions(failure(npy("{'descr': '<f4', 'fortran_order': False, }", data)), "lacks"));
    CHECK(mentions(failure(npy("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (4,), }", data)), "True or False"));
    CHECK(mentions(failure(npy("{'descr': '<f4", data)), "unterminated"));
    e = failure(npy(f4, bytesOf<float>({1, std::numeric_limits<float>::quiet_NaN(), 3, 4})));
    INFO(e.describe());
    CHECK(e.location == "byte 132");  // a 128-byte header, then the second float
    CHECK(mentions(failure(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", bytesOf<double>({1e300}))),
                   "not a finite float"));
    CHECK(failure("PK\x03\x04 not numpy").location == "byte 0");
    CHECK(mentions(failure(std::string("\x93NUMPY\x01\x00\xff\xff{}", 12)), "runs past the end"));
    CHECK(mentions(failure(std::string("\x93NUMPY\x07\x00\x02\x00{}", 12)), "version 7"));

    s.data = dir.write("ok.npy", npy(f4, data));
    s.labels = dir.write("labels.npy", npy(f4, data));
    CHECK(mentions(loadError(s), "labels must be integers"));
    s.labels = dir.write("labels.npy", npy("{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }", bytesOf<std::int32_t>({1, 2, 3})));
    CHECK(mentions(loadError(s), "3 labels, but"));
    s.labels = dir.write("labels.npy", npy("{'descr': '<i4', 'fortran_order': False, 'shape': (2, 1), }", bytesOf<std::int32_t>({5, 6})));
    CHECK(load(s).labels == std::vector<std::int64_t>{5, 6});
}

TEST_CASE("images: a folder of PNG and JPEG files with CSV labels", "[dataset]")
{
    const Dataset idx = load(spec({{"format", "idx"}, {"images", "mnist20-images-idx3-ubyte"}}), 0, 4);
    DatasetSpec s = spec({{"format", "images"}, {"data", "digits"}, {"labels", "digits/labels.csv"}});
    const Dataset grey = load(s);
    CHECK(grey.count == 4);
    CHECK(grey.sampleShape == Shape{1, 28, 28});
    CHECK(grey.labels == std::vector<std::int64_t>{7, 2, 1, 0});
    CHECK(std::ranges::equal(grey.sample(0), idx.sample(0)));  // PNG is lossless
    CHECK(std::ranges::equal(grey.sample(2), idx.sample(2)));
    double worst = 0;  // the JPEG (quality 100) is close
    for (std::size_t i = 0; i < 784; ++i)
        worst = std::max(worst, std::abs(double(grey.sample(3)[i]) - idx.sample(3)[i]));
    CHECK(worst < 16);

    s.channels = 3;
    const Dataset rgb = load(s, 1, 2);
    CHECK(rgb.sampleShape == Shape{3, 28, 28});
    CHECK(rgb.labels == std::vector<std::int64_t>{2, 1});
    CHECK(std::ranges::equal(rgb.sample(0).subspan(784, 784), idx.sample(1)));
    s.layout = "nhwc";
    const Dataset hwc = load(s, 1, 1);
    CHECK(hwc.sampleShape == Shape{28, 28, 3});
    for (std::size_t p = 0; p < 784; ++p)
        CHECK(hwc.values[3 * p + 2] == rgb.values[2 * 784 + p]);

    s.width = 32;
    s.height = 32;
    const Error e = loadError(s);
    CHECK(e.file == kDataDir + "/digits/digit0.png");
    CHECK(mentions(e, "image is 28 x 28, the others are 32 x 32"));
}

TEST_CASE("images: CSV mistakes name the line; odd files are refused", "[dataset]")
{
    TempDir dir;
    for (const char* name : {"digit0.png", "digit1.png"})
        fs::copy_file(kDataDir + "/digits/" + name, dir.path / name);
    DatasetSpec s;
    s.format = "images";
    s.data = dir.path.string();
    const auto csv = [&](const std::string& text) {
        s.labels = dir.write("labels.csv", text);
        const Error e = loadError(s);
        CHECK(e.file == s.labels);
        return e;
    };
    CHECK(load(s).count == 2);
    CHECK(csv("digit0.png,7\ndigit1.png,x\n").location == "line 2");
    CHECK(csv("digit0.png,7\ndigit1.png,2\ndigit0.png,7\n").location == "line 3");
    CHECK(mentions(csv("digit0.png,7\r\ndigit1.png,2\r\ndigit0.png,7\r\n"), "already has a label on line 1"));
    CHECK(mentions(csv("file,label\ndigit0.png,7\n"), "no label for \"digit1.png\""));
    CHECK(csv("file,label\ndigit0.png,7\ndigit9.png,1\n").location == "line 3");
    CHECK(csv("digit0.png 7\n").location == "line 1");
    s.labels = dir.write("labels.csv", "file,label\n\ndigit1.png, 2\ndigit0.png,7\n");
    CHECK(load(s).labels == std::vector<std::int64_t>{7, 2});

    s.labels.clear();
    dir.write("digit2.png", readAll(kDataDir + "/digits/digit2.png").substr(0, 60));
    CHECK(mentions(loadError(s), "digit2.png"));
    dir.write("digit2.png", "\x89PNG\r\n\x1a\n not really");
    CHECK(loadError(s).location == "PNG header");
    fs::remove(dir.path / "digit2.png");
    dir.write("digit3.jpg", readAll(kDataDir + "/digits/digit3.jpg").substr(0, 400));
    CHECK(loadError(s).location == "JPEG data");
    dir.write("digit3.jpg", "\xff\xd8\xff garbage");
    CHECK(loadError(s).location == "JPEG header");

    s.data = (dir.path / "nothing").string();
    CHECK(mentions(loadError(s), "is not a folder"));
    fs::create_directories(dir.path / "nothing");
    CHECK(mentions(loadError(s), "holds no .png"));
}

TEST_CASE("wav: consecutive windows of the first channel, labelled per file", "[dataset]")
{
    DatasetSpec s = spec({{"format", "wav"}, {"data", "speech"}, {"labels", "speech/labels.csv"}, {"windowSamples", 240}});
    const Dataset windows = load(s);
    CHECK(windows.sampleShape == Shape{240});
    CHECK(windows.count == 4 + 2);  // 1000 and 500 samples
    CHECK(windows.labels == std::vector<std::int64_t>{1, 1, 1, 1, 0, 0});
    CHECK(windows.sample(0)[1] == Approx(256.0 / 32768));
    CHECK(windows.sample(1)[0] == Approx((240 % 64) * 256.0 / 32768));
    CHECK(windows.sample(4)[1] == Approx(-512.0 / 32768));
    CHECK(load(s, 3, 2).labels == std::vector<std::int64_t>{1, 0});

    s.labels.clear();
    s.data = kDataDir + "/speech/b.wav";
    CHECK(load(s).count == 2);
    s.windowSamples = 501;
    CHECK(mentions(loadError(s), "500 samples, fewer than one window of 501"));
    s.windowSamples = 0;
    CHECK(loadError(s).location == "/accuracy/dataset/windowSamples");
    CHECK(s.withWindowFrom({1, 500}).windowSamples == 500);
    CHECK(load(s.withWindowFrom({-1, 250})).count == 2);

    s.windowSamples = 100;
    s.data = kDataDir + "/rate8k.wav";
    const Error e = loadError(s);
    CHECK(e.file == s.data);
    CHECK(mentions(e, "sample rate is 8000 Hz, the dataset's is 16000 Hz"));
    s.sampleRate = 8000;
    CHECK(load(s).count == 4);

    TempDir dir;
    s.data = dir.write("noise.wav", "RIFF\x10\x00\x00\x00WAVEfmt garbage");
    CHECK(loadError(s).location == "header");
    s.data = (dir.path / "missing.wav").string();
    CHECK(mentions(loadError(s), "no such file"));
}

TEST_CASE("wav: \"resample\" converts another rate, keeping what lies below the new Nyquist frequency and removing what lies above",
          "[dataset]")
{
    TempDir dir;
    // One second at 48 kHz: a 1 kHz tone survives the conversion to 16 kHz, a 10 kHz tone (above 8 kHz) must not
    // fold back to 6 kHz.
    const std::string low = dir.write("low.wav", wavBytes(48000, tone(1000, 48000, 48000, 0.5)));
    const std::string high = dir.write("high.wav", wavBytes(48000, tone(10000, 48000, 48000, 0.5)));
    DatasetSpec s = spec({{"format", "wav"}, {"data", low}, {"windowSamples", 16000}, {"resample", true}});
    const Dataset kept = load(s);
    REQUIRE(kept.count == 1);
    CHECK(middleRms(kept.sample(0)) == Approx(0.5 / std::sqrt(2.0)).epsilon(0.01));
    // The tone's phase at 16 kHz: sample 4000 is 0.25 s, a whole number of periods.
    CHECK(std::fabs(kept.sample(0)[4000]) < 0.01);
    CHECK(kept.sample(0)[4004] == Approx(0.5 * std::sin(2 * std::numbers::pi * 1000 * 4004 / 16000.0)).margin(0.01));
    CHECK(mentions(Error{ExitCode::BadInput, {}, {}, kept.source}, "(resampled)"));

    s.data = high;
    CHECK(middleRms(load(s).sample(0)) < 0.001);

    s.resample = false;
    const Error e = loadError(s);
    CHECK(e.file == high);
    CHECK(mentions(e, "sample rate is 48000 Hz, the dataset's is 16000 Hz"));
    CHECK(mentions(e, "\"resample\": true"));
}

TEST_CASE("a dataset against a model's input shape", "[dataset]")
{
    const DatasetSpec s = spec({{"format", "idx"}, {"images", "mnist20-images-idx3-ubyte"}});
    const Dataset data = load(s, 0, 2);
    CHECK_FALSE(checkDatasetFits(data, s, {1, 1, 28, 28}, "x"));
    CHECK_FALSE(checkDatasetFits(data, s, {-1, 1, 28, 28}, "x"));
    CHECK_FALSE(checkDatasetFits(data, s, {0, 1, -1, -1}, "x"));
    CHECK_FALSE(checkDatasetFits(data, s, {1, 784}, "flat"));
    const auto e = checkDatasetFits(data, s, {1, 1, 32, 32}, "x");
    REQUIRE(e);
    CHECK(e->code == ExitCode::BadInput);
    CHECK(e->file == s.data);
    CHECK(e->message == "images are 1 x 28 x 28, the model's input x is 1 x 1 x 32 x 32");
    CHECK(checkDatasetFits(data, s, {-1, 3, 28, 28}, "input")->message ==
          "images are 1 x 28 x 28, the model's input input is ? x 3 x 28 x 28");
    CHECK(checkDatasetFits(data, s, {1, -1, 784}, "x"));
}

// The full MNIST test set that scripts/fetch-deps.sh caches. Like the model tests, this fails
// (never skips) when the files are missing.
TEST_CASE("MNIST test set: 10,000 digits with the known label histogram", "[dataset][models]")
{
    const std::string dir = datasetDataDirectory() + "/mnist";
    INFO("run scripts/fetch-deps.sh to fetch the MNIST test set into " << dir);
    REQUIRE(fs::exists(dir + "/t10k-images-idx3-ubyte"));
    const DatasetSpec s = spec({{"format", "idx"},
                                {"images", "${CDX_DATA}/mnist/t10k-images-idx3-ubyte"},
                                {"labels", "${CDX_DATA}/mnist/t10k-labels-idx1-ubyte"}});
    const Dataset data = load(s);
    CHECK(data.count == 10000);
    CHECK(data.sampleShape == Shape{1, 28, 28});
    REQUIRE(data.labels.size() == 10000u);
    CHECK(data.labels.front() == 7);
    std::array<int, 10> histogram{};
    for (const auto label : data.labels) {
        REQUIRE(label >= 0);
        REQUIRE(label <= 9);
        ++histogram[static_cast<std::size_t>(label)];
    }
    CHECK(histogram == std::array<int, 10>{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009});
    const Dataset twenty = load(spec({{"format", "idx"}, {"images", "mnist20-images-idx3-ubyte"}}));
    CHECK(std::ranges::equal(std::span(data.values).first(twenty.values.size()), twenty.values));
    CHECK(data.source.find("10000 of 10000 images of 28 x 28") != std::string::npos);
}
