#include "core/accuracy/datasetreader.h"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

namespace cdx {

// NumPy's .npy: "\x93NUMPY", version, header length, then a Python dict literal such as
// {'descr': '<f4', 'fortran_order': False, 'shape': (10, 1, 28, 28), } and the raw values.

static_assert(std::endian::native == std::endian::little, "the .npy reader copies little-endian values as they are");

namespace {

struct NpyArray {
    std::string descr;
    std::vector<std::int64_t> shape;
    std::size_t dataOffset = 0;
    std::size_t itemBytes = 0;
    std::int64_t elements = 0;
};

/// A parser for the one dict literal .npy headers hold; anything else is an error at a byte offset.
class NpyHeaderParser {
public:
    NpyHeaderParser(std::string_view text, std::size_t offset, const std::string& path)
        : text_(text), offset_(offset), path_(path)
    {
    }

    NpyArray parse()
    {
        NpyArray array;
        bool haveDescr = false, haveOrder = false, haveShape = false;
        expect('{');
        while (true) {
            skipSpace();
            if (peek() == '}')
                break;
            const std::string key = readString();
            expect(':');
            skipSpace();
            if (key == "descr") {
                array.descr = readString();
                haveDescr = true;
            } else if (key == "fortran_order") {
                if (readWord())
                    fail("fortran_order is True: only C-order arrays are read (numpy.ascontiguousarray before saving)");
                haveOrder = true;
            } else if (key == "shape") {
                array.shape = readTuple();
                haveShape = true;
            } else {
                fail("unexpected key '" + key + "' in the header");
            }
            skipSpace();
            if (peek() == ',')
                ++pos_;
            else if (peek() != '}')
                fail("expected ',' or '}' in the header");
        }
        if (!haveDescr || !haveOrder || !haveShape)
            fail("the header lacks one of 'descr', 'fortran_order' and 'shape'");
        return array;
    }

private:
    [[noreturn]] void fail(const std::string& message) const
    {
        failAt(path_, "byte " + std::to_string(offset_ + pos_), message);
    }
    char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
    void skipSpace()
    {
        while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' || text_[pos_] == '\t'))
            ++pos_;
    }
    void expect(char c)
    {
        skipSpace();
        if (peek() != c)
            fail(std::string("expected '") + c + "' in the header");
        ++pos_;
    }
    std::string readString()
    {
        skipSpace();
        const char quote = peek();
        if (quote != '\'' && quote != '"')
            fail("expected a quoted string in the header");
        const auto end = text_.find(quote, pos_ + 1);
        if (end == std::string_view::npos)
            fail("unterminated string in the header");
        std::string value(text_.substr(pos_ + 1, end - pos_ - 1));
        pos_ = end + 1;
        return value;
    }
    bool readWord()
    {
        if (text_.substr(pos_, 4) == "True") {
            pos_ += 4;
            return true;
        }
        if (text_.substr(pos_, 5) == "False") {
            pos_ += 5;
            return false;
        }
        fail("expected True or False");
    }
    std::vector<std::int64_t> readTuple()
    {
        std::vector<std::int64_t> dims;
        expect('(');
        while (true) {
            skipSpace();
            if (peek() == ')')
                break;
            std::int64_t d = 0;
            const char* begin = text_.data() + pos_;
            const auto [end, ec] = std::from_chars(begin, text_.data() + text_.size(), d);
            if (ec != std::errc() || d < 0)
                fail("expected a dimension size in 'shape'");
            pos_ += static_cast<std::size_t>(end - begin);
            dims.push_back(d);
            skipSpace();
            if (peek() == ',')
                ++pos_;
            else if (peek() != ')')
                fail("expected ',' or ')' in 'shape'");
        }
        ++pos_;
        return dims;
    }

    std::string_view text_;
    std::size_t offset_;
    std::string path_;
    std::size_t pos_ = 0;
};

std::size_t itemBytesOf(const std::string& descr)
{
    if (descr == "<f4" || descr == "<i4")
        return 4;
    if (descr == "<f8" || descr == "<i8")
        return 8;
    if (descr == "|u1" || descr == "<u1")
        return 1;
    return 0;
}

NpyArray readNpyHeader(const std::vector<unsigned char>& bytes, const std::string& path)
{
    static const unsigned char magic[] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
    if (bytes.size() < 10 || std::memcmp(bytes.data(), magic, sizeof magic) != 0)
        failAt(path, "byte 0", bytes.size() < 10 ? "truncated: too short for a .npy header"
                                                 : "not a .npy file: it does not start with \"\\x93NUMPY\"");
    const int major = bytes[6];
    if (major < 1 || major > 3)
        failAt(path, "byte 6", ".npy version " + std::to_string(major) + " is not 1, 2 or 3");
    std::size_t headerLength = bytes[8] | (std::size_t{bytes[9]} << 8);
    std::size_t headerStart = 10;
    if (major >= 2) {
        if (bytes.size() < 12)
            failAt(path, "byte 8", "truncated inside the header length");
        headerLength |= (std::size_t{bytes[10]} << 16) | (std::size_t{bytes[11]} << 24);
        headerStart = 12;
    }
    if (headerLength > bytes.size() - headerStart)
        failAt(path, "byte 8", "the header length " + std::to_string(headerLength) + " runs past the end of the file");
    const std::string_view text(reinterpret_cast<const char*>(bytes.data()) + headerStart, headerLength);
    NpyArray array = NpyHeaderParser(text, headerStart, path).parse();
    array.dataOffset = headerStart + headerLength;
    array.itemBytes = itemBytesOf(array.descr);
    if (array.itemBytes == 0)
        failAt(path, "header field 'descr'", "dtype '" + array.descr +
                                                 "' is not supported; use '<f4', '<f8', '|u1', '<i4' or '<i8'");
    // Bound the element count by the bytes present before anything is multiplied further or allocated.
    const std::uint64_t have = bytes.size() - array.dataOffset;
    std::uint64_t elements = 1;
    for (const auto d : array.shape) {
        if (d != 0 && elements > have / static_cast<std::uint64_t>(d)) {
            elements = have + 1;
            break;
        }
        elements *= static_cast<std::uint64_t>(d);
    }
    if (elements > have / array.itemBytes || elements * array.itemBytes != have) {
        const bool truncated = elements > have / array.itemBytes || elements * array.itemBytes > have;
        failAt(path, "byte " + std::to_string(bytes.size()),
               std::string(truncated ? "truncated" : "longer than its header says") + ": 'shape' needs " +
                   (elements > have ? "more than " + std::to_string(have) : std::to_string(elements * array.itemBytes)) +
                   " bytes of data, the file has " + std::to_string(have));
    }
    array.elements = static_cast<std::int64_t>(elements);
    return array;
}

template <class T>
T load(const unsigned char* at)
{
    T value;
    std::memcpy(&value, at, sizeof value);
    return value;
}

double valueAt(const NpyArray& array, const unsigned char* at)
{
    if (array.descr == "<f4")
        return load<float>(at);
    if (array.descr == "<f8")
        return load<double>(at);
    if (array.descr == "<i4")
        return load<std::int32_t>(at);
    if (array.descr == "<i8")
        return static_cast<double>(load<std::int64_t>(at));
    return *at;
}

std::vector<std::int64_t> readNpyLabels(const std::string& path, std::int64_t expected, std::int64_t begin,
                                        std::int64_t end, const std::string& dataPath)
{
    const auto bytes = readBinaryFile(path);
    const NpyArray array = readNpyHeader(bytes, path);
    if (array.descr == "<f4" || array.descr == "<f8")
        failAt(path, "header field 'descr'", "labels must be integers, not '" + array.descr + "'");
    const bool column = array.shape.size() == 2 && array.shape[1] == 1;
    if (array.shape.size() != 1 && !column)
        failAt(path, "header field 'shape'", "labels must have shape (N,) or (N, 1)");
    if (array.shape[0] != expected)
        failAt(path, "header field 'shape'", std::to_string(array.shape[0]) + " labels, but " + dataPath + " has " +
                                                 std::to_string(expected) + " examples");
    std::vector<std::int64_t> labels;
    for (std::int64_t i = begin; i < end; ++i) {
        const unsigned char* at = bytes.data() + array.dataOffset + static_cast<std::size_t>(i) * array.itemBytes;
        labels.push_back(array.descr == "<i8" ? load<std::int64_t>(at) : static_cast<std::int64_t>(valueAt(array, at)));
    }
    return labels;
}

}  // namespace

Dataset readNpyDataset(const DatasetSpec& spec, const DatasetRange& range)
{
    const auto bytes = readBinaryFile(spec.data);
    const NpyArray array = readNpyHeader(bytes, spec.data);
    if (array.shape.empty())
        failAt(spec.data, "header field 'shape'", "a scalar holds no examples; expected shape (N, ...)");
    const std::int64_t total = array.shape[0];
    const auto [begin, end] = range.resolve(total, spec.data);

    Dataset data;
    data.sampleShape.assign(array.shape.begin() + 1, array.shape.end());
    if (data.sampleShape.empty())
        data.sampleShape = {1};
    const std::int64_t size = total > 0 ? array.elements / total : 0;
    data.count = end - begin;
    data.values.resize(static_cast<std::size_t>(data.count * size));
    const std::size_t firstByte = array.dataOffset + static_cast<std::size_t>(begin * size) * array.itemBytes;
    for (std::size_t i = 0; i < data.values.size(); ++i) {
        const std::size_t at = firstByte + i * array.itemBytes;
        const double value = valueAt(array, bytes.data() + at);
        // Checked before narrowing: a double past the float range would be undefined behaviour to convert.
        if (!std::isfinite(value) || std::fabs(value) > std::numeric_limits<float>::max())
            failAt(spec.data, "byte " + std::to_string(at),
                   "value " + std::to_string(value) + " of example " + std::to_string(begin + static_cast<std::int64_t>(i) / size) +
                       " is not a finite float");
        data.values[i] = static_cast<float>(value);
    }
    data.source = "NPY " + spec.data + ": " + std::to_string(data.count) + " of " + std::to_string(total) +
                  " examples of " + formatShape(data.sampleShape) + " (" + array.descr + ") from " + std::to_string(begin);
    if (!spec.labels.empty()) {
        data.labels = readNpyLabels(spec.labels, total, begin, end, spec.data);
        data.source += ", labels " + spec.labels;
    }
    return data;
}

}  // namespace cdx
