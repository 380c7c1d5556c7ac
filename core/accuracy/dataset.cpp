#include "core/accuracy/dataset.h"

#include "core/accuracy/datasetreader.h"

#include <cmath>

namespace cdx {

namespace {

/// Which axis of an example holds the channels, for per-channel mean and std.
std::size_t channelAxis(const Dataset& data, const DatasetSpec& spec)
{
    if (spec.format == "wav" || data.sampleShape.size() < 2)
        return 0;
    return spec.layout == "nhwc" ? data.sampleShape.size() - 1 : 0;
}

/// x' = (x * scale - mean) / std, with one mean and std per channel when the spec gives several.
void normalise(Dataset& data, const DatasetSpec& spec)
{
    const std::size_t axis = channelAxis(data, spec);
    const std::int64_t channels = data.sampleShape.empty() ? 1 : data.sampleShape[axis];
    for (const auto* list : {&spec.mean, &spec.std})
        if (list->size() > 1 && static_cast<std::int64_t>(list->size()) != channels)
            throw InputError(Error{ExitCode::BadInput, spec.file, spec.jsonPath + (list == &spec.mean ? "/mean" : "/std"),
                                   "has " + std::to_string(list->size()) + " entries, the examples have " +
                                       std::to_string(channels) + " channels (" + formatShape(data.sampleShape) + ", " +
                                       spec.layout + ")"});
    if (spec.scale == 1.0 && spec.mean.empty() && spec.std.empty())
        return;
    // With the channel axis at `axis`, value i of the flat buffer is in channel (i / inner) % channels,
    // inner being the product of the axes after it (1 for nhwc, H x W for nchw).
    std::int64_t inner = 1;
    for (std::size_t d = axis + 1; d < data.sampleShape.size(); ++d)
        inner *= data.sampleShape[d];
    const auto pick = [](const std::vector<double>& list, std::int64_t c, double fallback) {
        return list.empty() ? fallback : list.size() == 1 ? list[0] : list[static_cast<std::size_t>(c)];
    };
    for (std::size_t i = 0; i < data.values.size(); ++i) {
        const std::int64_t c = channels > 1 ? (static_cast<std::int64_t>(i) / inner) % channels : 0;
        const double x = (data.values[i] * spec.scale - pick(spec.mean, c, 0.0)) / pick(spec.std, c, 1.0);
        data.values[i] = static_cast<float>(x);
    }
}

const char* exampleWord(const std::string& format)
{
    if (format == "idx" || format == "images")
        return "images";
    if (format == "wav")
        return "windows";
    return "examples";
}

std::string formatDims(const std::vector<std::int64_t>& dims)
{
    std::string text;
    for (const auto d : dims)
        text += (text.empty() ? "" : " x ") + (d > 0 ? std::to_string(d) : std::string("?"));
    return text.empty() ? "a scalar" : text;
}

}  // namespace

std::int64_t Dataset::sampleSize() const
{
    std::int64_t size = 1;
    for (const auto d : sampleShape)
        size *= d;
    return size;
}

std::span<const float> Dataset::sample(std::int64_t i) const
{
    const auto size = static_cast<std::size_t>(sampleSize());
    return std::span<const float>(values).subspan(static_cast<std::size_t>(i) * size, size);
}

Result<Dataset> loadDataset(const DatasetSpec& spec, std::int64_t first, std::int64_t count)
{
    try {
        const DatasetRange range{first, count};
        Dataset data;
        if (spec.format == "idx")
            data = readIdxDataset(spec, range);
        else if (spec.format == "npy")
            data = readNpyDataset(spec, range);
        else if (spec.format == "images")
            data = readImageDataset(spec, range);
        else if (spec.format == "wav")
            data = readWavDataset(spec, range);
        else
            return Error{ExitCode::BadInput, spec.file, spec.jsonPath + "/format",
                         "unknown format \"" + spec.format + "\"; expected idx, npy, images or wav"};
        normalise(data, spec);
        return data;
    } catch (const InputError& e) {
        return e.error();
    } catch (const std::bad_alloc&) {
        return Error{ExitCode::Internal, spec.data, {}, "out of memory reading the dataset"};
    }
}

std::optional<Error> checkDatasetFits(const Dataset& data, const DatasetSpec& spec,
                                      const std::vector<std::int64_t>& inputShape, const std::string& inputName)
{
    const std::vector<std::int64_t> model(inputShape.begin() + (inputShape.empty() ? 0 : 1), inputShape.end());
    bool same = model.size() == data.sampleShape.size();
    for (std::size_t d = 0; same && d < model.size(); ++d)
        same = model[d] <= 0 || model[d] == data.sampleShape[d];
    if (same)
        return std::nullopt;
    // A flat model input takes the example as it lies in memory (28 x 28 into 784).
    bool fixed = true;
    std::int64_t modelSize = 1;
    for (const auto d : model) {
        fixed = fixed && d > 0;
        modelSize *= d > 0 ? d : 1;
    }
    if (fixed && modelSize == data.sampleSize())
        return std::nullopt;
    return Error{ExitCode::BadInput, spec.data, {},
                 std::string(exampleWord(spec.format)) + " are " + formatDims(data.sampleShape) + ", the model's input " +
                     inputName + " is " + formatDims(inputShape) +
                     (spec.format == "images" ? " (nothing is resized; check \"layout\" and \"channels\")" : "")};
}

}  // namespace cdx
