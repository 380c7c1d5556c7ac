#include "core/accuracy/datasetreader.h"

#include <png.h>
#include <turbojpeg.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <memory>

namespace cdx {

// A folder of PNG or JPEG files, decoded with libpng and libjpeg-turbo (both fuzzed continuously
// upstream, which matters for files from anywhere), sorted by file name.

namespace fs = std::filesystem;

namespace {

/// Images larger than this are refused before decoding, whatever their header claims.
constexpr std::uint64_t kMaxPixels = std::uint64_t{1} << 26;

struct Image {
    int width = 0, height = 0;
    int storedChannels = 0;           ///< 1 or 3, as the file holds it
    std::vector<unsigned char> pixels;  ///< height x width x channels, as decoded
};

bool endsWithNoCase(std::string name, std::string_view suffix)
{
    std::ranges::transform(name, name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return name.ends_with(suffix);
}

bool isPng(const std::string& name) { return endsWithNoCase(name, ".png"); }
bool isJpeg(const std::string& name) { return endsWithNoCase(name, ".jpg") || endsWithNoCase(name, ".jpeg"); }

/// Checks the size a header declares against the spec (or the first image) before any allocation.
void checkSize(const std::string& path, int width, int height, int wantWidth, int wantHeight)
{
    if (width <= 0 || height <= 0 || std::uint64_t(width) * std::uint64_t(height) > kMaxPixels)
        failAt(path, "header", "image size " + std::to_string(width) + " x " + std::to_string(height) +
                                   " is empty or too large");
    if ((wantWidth && width != wantWidth) || (wantHeight && height != wantHeight))
        failAt(path, "header", "image is " + std::to_string(width) + " x " + std::to_string(height) +
                                   ", the others are " + std::to_string(wantWidth) + " x " +
                                   std::to_string(wantHeight) + " (width x height; nothing is resized)");
}

Image decodePng(const std::string& path, const std::vector<unsigned char>& bytes, int channels, int wantWidth,
                int wantHeight)
{
    png_image png;
    std::memset(&png, 0, sizeof png);
    png.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&png, bytes.data(), bytes.size()))
        failAt(path, "PNG header", png.message);
    // Frees libpng's state on every way out, including the throws below.
    const std::unique_ptr<png_image, void (*)(png_image*)> guard(&png, png_image_free);
    Image image;
    image.width = static_cast<int>(std::min<png_uint_32>(png.width, 1u << 30));
    image.height = static_cast<int>(std::min<png_uint_32>(png.height, 1u << 30));
    image.storedChannels = (png.format & PNG_FORMAT_FLAG_COLOR) ? 3 : 1;
    checkSize(path, image.width, image.height, wantWidth, wantHeight);
    const int outChannels = channels ? channels : image.storedChannels;
    png.format = outChannels == 3 ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY;
    image.pixels.resize(PNG_IMAGE_SIZE(png));
    if (!png_image_finish_read(&png, nullptr, image.pixels.data(), 0, nullptr))
        failAt(path, "PNG data", png.message);
    return image;
}

Image decodeJpeg(const std::string& path, const std::vector<unsigned char>& bytes, int channels, int wantWidth,
                 int wantHeight)
{
    const std::unique_ptr<void, int (*)(tjhandle)> handle(tjInitDecompress(), tjDestroy);
    if (!handle)
        throw InputError(Error{ExitCode::Internal, path, {}, "libjpeg-turbo could not start a decoder"});
    Image image;
    int subsampling = 0, colorspace = 0;
    if (tjDecompressHeader3(handle.get(), bytes.data(), bytes.size(), &image.width, &image.height, &subsampling,
                            &colorspace) != 0)
        failAt(path, "JPEG header", tjGetErrorStr2(handle.get()));
    image.storedChannels = colorspace == TJCS_GRAY ? 1 : 3;
    checkSize(path, image.width, image.height, wantWidth, wantHeight);
    const int outChannels = channels ? channels : image.storedChannels;
    image.pixels.resize(std::size_t(image.width) * std::size_t(image.height) * std::size_t(outChannels));
    // A warning (a truncated file, for one) stops too: a half-grey example would skew the measurement.
    if (tjDecompress2(handle.get(), bytes.data(), bytes.size(), image.pixels.data(), image.width, 0, image.height,
                      outChannels == 3 ? TJPF_RGB : TJPF_GRAY, TJFLAG_STOPONWARNING) != 0)
        failAt(path, "JPEG data", tjGetErrorStr2(handle.get()));
    return image;
}

std::vector<std::string> imageFiles(const std::string& folder)
{
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        failAt(folder, {}, "is not a folder (format \"images\" reads a folder of PNG and JPEG files)");
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
        const std::string name = entry.path().filename().string();
        if (entry.is_regular_file(ec) && (isPng(name) || isJpeg(name)))
            names.push_back(name);
    }
    if (ec)
        failAt(folder, {}, "cannot list the folder: " + ec.message());
    if (names.empty())
        failAt(folder, {}, "holds no .png, .jpg or .jpeg files");
    std::ranges::sort(names);
    return names;
}

}  // namespace

Dataset readImageDataset(const DatasetSpec& spec, const DatasetRange& range)
{
    const auto names = imageFiles(spec.data);
    const auto [begin, end] = range.resolve(static_cast<std::int64_t>(names.size()), spec.data);

    Dataset data;
    data.count = end - begin;
    int width = spec.width, height = spec.height, channels = spec.channels;
    for (std::int64_t i = begin; i < end; ++i) {
        const std::string path = (fs::path(spec.data) / names[static_cast<std::size_t>(i)]).string();
        const auto bytes = readBinaryFile(path);
        Image image = isPng(path) ? decodePng(path, bytes, channels, width, height)
                                  : decodeJpeg(path, bytes, channels, width, height);
        if (i == begin) {
            // The first image read sets what the spec left open; the others must match it.
            width = image.width;
            height = image.height;
            channels = channels ? channels : image.storedChannels;
            data.sampleShape = spec.layout == "nhwc" ? Shape{height, width, channels} : Shape{channels, height, width};
            data.values.reserve(static_cast<std::size_t>(data.count) * image.pixels.size());
        }
        const std::size_t plane = std::size_t(width) * std::size_t(height);
        if (spec.layout == "nhwc" || channels == 1) {
            data.values.insert(data.values.end(), image.pixels.begin(), image.pixels.end());
        } else {
            for (int c = 0; c < channels; ++c)
                for (std::size_t p = 0; p < plane; ++p)
                    data.values.push_back(image.pixels[p * std::size_t(channels) + std::size_t(c)]);
        }
    }
    data.source = "images " + spec.data + ": " + std::to_string(data.count) + " of " + std::to_string(names.size()) +
                  " files of " + std::to_string(width) + " x " + std::to_string(height) + " x " +
                  std::to_string(channels) + " (" + spec.layout + ") from " + names[static_cast<std::size_t>(begin)];
    if (!spec.labels.empty()) {
        const auto all = readLabelCsv(spec.labels, names);
        data.labels.assign(all.begin() + begin, all.begin() + end);
        data.source += ", labels " + spec.labels;
    }
    return data;
}

}  // namespace cdx
