#pragma once

#include "core/accuracy/datasetspec.h"
#include "core/network/shape.h"
#include "core/util/result.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace cdx {

/// Examples read from a dataset, preprocessed and ready to feed a model input.
struct Dataset {
    Shape sampleShape;                 ///< one example, without the batch axis (MNIST idx: {1, 28, 28})
    std::vector<float> values;         ///< count x product(sampleShape), preprocessed
    std::vector<std::int64_t> labels;  ///< empty when unlabelled
    std::int64_t count = 0;
    std::string source;                ///< what was read, one line, for reports

    std::int64_t sampleSize() const;
    std::span<const float> sample(std::int64_t i) const;
};

/// Reads `first`..`first+count` examples (count -1: all). Bad files are BadInput naming the file and the place
/// (byte offset / header field / CSV line): wrong magic, truncated file, label count unlike image count,
/// unsupported dtype, non-finite values, an image of another size than the others.
Result<Dataset> loadDataset(const DatasetSpec& spec, std::int64_t first = 0, std::int64_t count = -1);

/// Checks a dataset against a model input shape (with batch axis first, possibly -1/0 for an open batch).
/// Nothing when it fits; otherwise BadInput naming the dataset file, e.g. "images are 1 x 32 x 32, the
/// model's input x is 1 x 1 x 28 x 28". An example fits when every fixed dimension after the batch axis
/// matches, or when those dimensions are all fixed and hold as many values (28 x 28 into 784).
/// (Result<void> does not exist in core/util/result.h; std::optional<Error> is what
/// writeFileAtomically uses for the same purpose.)
std::optional<Error> checkDatasetFits(const Dataset& data, const DatasetSpec& spec,
                                      const std::vector<std::int64_t>& inputShape, const std::string& inputName);

}  // namespace cdx
