#pragma once

// The format readers behind loadDataset(). Each throws an InputError that names the file and the
// place in it, and returns raw values (before scale, mean and std).

#include "core/accuracy/dataset.h"
#include "core/accuracy/datasetspec.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cdx {

/// The examples wanted, resolved against how many there are.
struct DatasetRange {
    std::int64_t first = 0;
    std::int64_t count = -1;  ///< -1: all from first on

    /// [first, end) within total examples; throws naming `file` when first lies past the end.
    std::pair<std::int64_t, std::int64_t> resolve(std::int64_t total, const std::string& file) const;
};

/// Largest data file read whole into memory: enough for any evaluation set, and a bound for
/// what a header may ask to allocate.
inline constexpr std::uintmax_t kMaxDatasetFileBytes = std::uintmax_t{4} << 30;

/// A whole binary file. Throws an InputError naming it (missing, a folder, too large).
std::vector<unsigned char> readBinaryFile(const std::string& path);

/// Throws a BadInput InputError naming the file and the place.
[[noreturn]] void failAt(const std::string& file, const std::string& place, const std::string& message);

Dataset readIdxDataset(const DatasetSpec& spec, const DatasetRange& range);
Dataset readNpyDataset(const DatasetSpec& spec, const DatasetRange& range);
Dataset readImageDataset(const DatasetSpec& spec, const DatasetRange& range);
Dataset readWavDataset(const DatasetSpec& spec, const DatasetRange& range);

/// Labels from a CSV "file,label" (an optional first line "file,label" is a header): the label of each
/// named file, in the order given by `files`. Every file needs exactly one line; errors name the CSV line.
std::vector<std::int64_t> readLabelCsv(const std::string& csvPath, const std::vector<std::string>& files);

}  // namespace cdx
