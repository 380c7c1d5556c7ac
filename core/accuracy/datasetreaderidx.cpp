#include "core/accuracy/datasetreader.h"

#include <cstdint>

namespace cdx {

// IDX (the MNIST files): a big-endian header, magic 0x000008DD (unsigned bytes, DD dimensions),
// one 32-bit size per dimension, then the bytes.

namespace {

std::uint32_t bigEndian32(const std::vector<unsigned char>& bytes, std::size_t at)
{
    return (std::uint32_t{bytes[at]} << 24) | (std::uint32_t{bytes[at + 1]} << 16) |
           (std::uint32_t{bytes[at + 2]} << 8) | std::uint32_t{bytes[at + 3]};
}

std::string hex32(std::uint32_t value)
{
    static const char* digits = "0123456789abcdef";
    std::string text = "0x";
    for (int shift = 28; shift >= 0; shift -= 4)
        text += digits[(value >> shift) & 0xF];
    return text;
}

/// The dimensions of an IDX file holding unsigned bytes in `rank` dimensions; checks that the
/// file holds exactly that many bytes after its header.
std::vector<std::int64_t> readIdxHeader(const std::vector<unsigned char>& bytes, const std::string& path, int rank,
                                        const char* what)
{
    const std::size_t headerBytes = 4 + 4 * static_cast<std::size_t>(rank);
    if (bytes.size() < 4)
        failAt(path, "byte 0", "truncated: " + std::to_string(bytes.size()) + " bytes, an IDX header needs " +
                                   std::to_string(headerBytes));
    const std::uint32_t magic = bigEndian32(bytes, 0);
    const std::uint32_t expected = 0x00000800u | static_cast<std::uint32_t>(rank);
    if (magic != expected)
        failAt(path, "byte 0", "magic number " + hex32(magic) + " is not " + hex32(expected) + " (IDX " + what +
                                   ": unsigned bytes, " + std::to_string(rank) + " dimension" +
                                   (rank > 1 ? "s" : "") + ")");
    if (bytes.size() < headerBytes)
        failAt(path, "byte " + std::to_string(bytes.size()),
               "truncated inside the header, which needs " + std::to_string(headerBytes) + " bytes");
    std::vector<std::int64_t> dims;
    std::uint64_t total = 1;
    for (int d = 0; d < rank; ++d) {
        const std::uint32_t size = bigEndian32(bytes, 4 + 4 * static_cast<std::size_t>(d));
        if (size == 0)
            failAt(path, "header field 'size " + std::to_string(d) + "' (byte " + std::to_string(4 + 4 * d) + ")",
                   "is 0: the file holds no " + std::string(what));
        dims.push_back(size);
        // Sizes are 32-bit and the product is checked against the file size at each step, so no overflow.
        total *= size;
        if (total > bytes.size())
            break;
    }
    const std::uint64_t have = bytes.size() - headerBytes;
    if (total != have) {
        std::string shape;
        for (const auto d : dims)
            shape += (shape.empty() ? "" : " x ") + std::to_string(d);
        failAt(path, "byte " + std::to_string(bytes.size()),
               std::string(total > have ? "truncated" : "longer than its header says") + ": dimensions " + shape +
                   " need " + std::to_string(total) + " bytes after the header, the file has " + std::to_string(have));
    }
    return dims;
}

}  // namespace

Dataset readIdxDataset(const DatasetSpec& spec, const DatasetRange& range)
{
    const auto images = readBinaryFile(spec.data);
    const auto dims = readIdxHeader(images, spec.data, 3, "images");
    const auto [begin, end] = range.resolve(dims[0], spec.data);
    const std::int64_t size = dims[1] * dims[2];

    Dataset data;
    data.sampleShape = {1, dims[1], dims[2]};
    data.count = end - begin;
    data.values.resize(static_cast<std::size_t>(data.count * size));
    const unsigned char* pixels = images.data() + 16 + begin * size;
    for (std::size_t i = 0; i < data.values.size(); ++i)
        data.values[i] = static_cast<float>(pixels[i]);
    data.source = "IDX " + spec.data + ": " + std::to_string(data.count) + " of " + std::to_string(dims[0]) +
                  " images of " + std::to_string(dims[1]) + " x " + std::to_string(dims[2]) + " from " +
                  std::to_string(begin);

    if (!spec.labels.empty()) {
        const auto labels = readBinaryFile(spec.labels);
        const auto labelDims = readIdxHeader(labels, spec.labels, 1, "labels");
        if (labelDims[0] != dims[0])
            failAt(spec.labels, "header field 'count' (byte 4)",
                   std::to_string(labelDims[0]) + " labels, but " + spec.data + " has " + std::to_string(dims[0]) +
                       " images");
        for (std::int64_t i = begin; i < end; ++i)
            data.labels.push_back(labels[static_cast<std::size_t>(8 + i)]);
        data.source += ", labels " + spec.labels;
    }
    return data;
}

}  // namespace cdx
