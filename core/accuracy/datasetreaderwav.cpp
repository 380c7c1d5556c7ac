#include "core/accuracy/datasetreader.h"

#include <samplerate.h>
#include <sndfile.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <memory>

namespace cdx {

// Audio read with libsndfile: the first channel, at the spec's rate (a model fed another rate
// measures nonsense, so another rate is an error unless the spec asks for "resample", which
// converts with libsamplerate's best sinc), cut into consecutive windows of windowSamples.

namespace fs = std::filesystem;

namespace {

/// Longest file read, in samples of one channel (about 4.6 hours at 16 kHz).
constexpr std::int64_t kMaxSamplesPerFile = std::int64_t{1} << 28;

std::vector<std::string> wavFiles(const std::string& folder)
{
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
        std::string name = entry.path().filename().string();
        std::string lower = name;
        std::ranges::transform(lower, lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (entry.is_regular_file(ec) && lower.ends_with(".wav"))
            names.push_back(name);
    }
    if (ec)
        failAt(folder, {}, "cannot list the folder: " + ec.message());
    if (names.empty())
        failAt(folder, {}, "holds no .wav files");
    std::ranges::sort(names);
    return names;
}

/// `samples` at `fromRate` converted to `toRate` with libsamplerate's best-quality sinc filter
/// (it low-passes below the new Nyquist frequency, so a 48 kHz file decimated to 16 kHz does not alias).
std::vector<float> resampled(const std::string& path, const std::vector<float>& samples, int fromRate, int toRate)
{
    const double ratio = static_cast<double>(toRate) / fromRate;
    if (!src_is_valid_ratio(ratio))
        failAt(path, "header", "cannot resample " + std::to_string(fromRate) + " Hz to " + std::to_string(toRate) + " Hz");
    std::vector<float> out(static_cast<std::size_t>(std::ceil(static_cast<double>(samples.size()) * ratio)) + 16);
    SRC_DATA data{};
    data.data_in = samples.data();
    data.input_frames = static_cast<long>(samples.size());
    data.data_out = out.data();
    data.output_frames = static_cast<long>(out.size());
    data.src_ratio = ratio;
    if (const int error = src_simple(&data, SRC_SINC_BEST_QUALITY, 1); error != 0)
        failAt(path, "resampling", src_strerror(error));
    out.resize(static_cast<std::size_t>(data.output_frames_gen));
    return out;
}

/// The first channel of a sound file, as floats in [-1, 1], at `sampleRate` (resampled when `resample`).
std::vector<float> readMono(const std::string& path, int sampleRate, bool resample)
{
    SF_INFO info{};
    const std::unique_ptr<SNDFILE, int (*)(SNDFILE*)> file(sf_open(path.c_str(), SFM_READ, &info), sf_close);
    if (!file)
        failAt(path, "header", std::string("not a sound file libsndfile reads: ") + sf_strerror(nullptr));
    if (info.samplerate != sampleRate && !resample)
        failAt(path, "header", "sample rate is " + std::to_string(info.samplerate) + " Hz, the dataset's is " +
                                   std::to_string(sampleRate) + " Hz (\"sampleRate\"); resample the files first or give \"resample\": true");
    if (info.samplerate <= 0)
        failAt(path, "header", "sample rate is " + std::to_string(info.samplerate) + " Hz");
    if (info.channels < 1)
        failAt(path, "header", "has no channels");
    std::vector<float> mono;
    const sf_count_t chunkFrames = 4096;
    std::vector<float> chunk(static_cast<std::size_t>(chunkFrames) * static_cast<std::size_t>(info.channels));
    // Read in chunks until the end rather than trusting the frame count in the header.
    while (true) {
        const sf_count_t frames = sf_readf_float(file.get(), chunk.data(), chunkFrames);
        if (frames <= 0)
            break;
        for (sf_count_t f = 0; f < frames; ++f) {
            const float value = chunk[static_cast<std::size_t>(f * info.channels)];
            if (!std::isfinite(value))
                failAt(path, "sample " + std::to_string(mono.size()), "is not a finite number");
            mono.push_back(value);
        }
        if (static_cast<std::int64_t>(mono.size()) > kMaxSamplesPerFile)
            failAt(path, {}, "longer than " + std::to_string(kMaxSamplesPerFile) + " samples");
    }
    if (sf_error(file.get()) != SF_ERR_NO_ERROR)
        failAt(path, "sample " + std::to_string(mono.size()), sf_strerror(file.get()));
    return info.samplerate == sampleRate ? mono : resampled(path, mono, info.samplerate, sampleRate);
}

}  // namespace

Dataset readWavDataset(const DatasetSpec& spec, const DatasetRange& range)
{
    if (spec.windowSamples <= 0)
        failAt(spec.file, spec.jsonPath + "/windowSamples",
               "is 0 and no model input gave the window length (DatasetSpec::withWindowFrom)");
    std::error_code ec;
    const bool folder = fs::is_directory(spec.data, ec);
    if (!folder && !fs::is_regular_file(spec.data, ec))
        failAt(spec.data, {}, "no such file or folder");
    const std::vector<std::string> names =
        folder ? wavFiles(spec.data) : std::vector<std::string>{fs::path(spec.data).filename().string()};
    const std::vector<std::int64_t> fileLabels =
        spec.labels.empty() ? std::vector<std::int64_t>{} : readLabelCsv(spec.labels, names);

    Dataset all;
    const std::size_t window = static_cast<std::size_t>(spec.windowSamples);
    for (std::size_t f = 0; f < names.size(); ++f) {
        const std::string path = folder ? (fs::path(spec.data) / names[f]).string() : spec.data;
        const auto samples = readMono(path, spec.sampleRate, spec.resample);
        // A clip shorter than one window would silently drop its label from the measurement.
        if (samples.size() < window)
            failAt(path, {}, "has " + std::to_string(samples.size()) + " samples, fewer than one window of " +
                                 std::to_string(window) + " (\"windowSamples\")");
        const std::size_t windows = samples.size() / window;
        all.values.insert(all.values.end(), samples.begin(), samples.begin() + static_cast<std::ptrdiff_t>(windows * window));
        if (!fileLabels.empty())
            all.labels.insert(all.labels.end(), windows, fileLabels[f]);
        all.count += static_cast<std::int64_t>(windows);
    }
    const auto [begin, end] = range.resolve(all.count, spec.data);
    Dataset data;
    data.sampleShape = {spec.windowSamples};
    data.count = end - begin;
    data.values.assign(all.values.begin() + static_cast<std::ptrdiff_t>(begin * spec.windowSamples),
                       all.values.begin() + static_cast<std::ptrdiff_t>(end * spec.windowSamples));
    if (!all.labels.empty())
        data.labels.assign(all.labels.begin() + begin, all.labels.begin() + end);
    data.source = "wav " + spec.data + ": " + std::to_string(data.count) + " of " + std::to_string(all.count) +
                  " windows of " + std::to_string(spec.windowSamples) + " samples at " + std::to_string(spec.sampleRate) +
                  " Hz" + (spec.resample ? " (resampled)" : "") + " from " + std::to_string(names.size()) + " file" + (names.size() == 1 ? "" : "s") +
                  (spec.labels.empty() ? "" : ", labels " + spec.labels);
    return data;
}

}  // namespace cdx
