#pragma once

#include "core/accuracy/datasetspec.h"
#include "core/util/result.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace cdx {

/// What a measurement reports as "the" accuracy.
enum class AccuracyMetric {
    Top1,       ///< share of examples whose largest output is the label (needs labels)
    Top5,       ///< the label among the five largest outputs (needs labels)
    Agreement,  ///< share of examples whose top-1 class is the float model's (no labels needed)
    Sqnr,       ///< output signal-to-quantisation-noise ratio against the float model, dB (no labels needed)
};

std::string accuracyMetricName(AccuracyMetric metric);

/// The "accuracy" block of a project:
///   {"dataset": {...}, "calibration_dataset": {...}, "metric": "top1", "samples": 10000, "calibration": 500}
/// The compressed network runs on `samples` examples of the dataset; activation ranges are
/// calibrated on `calibration` examples of calibration_dataset, or, without one, on the first
/// examples of the dataset, which the evaluation then skips (the two never overlap).
struct AccuracySpec {
    DatasetSpec dataset;
    std::optional<DatasetSpec> calibrationDataset;
    AccuracyMetric metric = AccuracyMetric::Top1;
    std::int64_t samples = 1000;
    std::int64_t calibration = 200;
    /// Extra model inputs fed as constants (a sample rate, a zero state): name -> value, every element.
    std::vector<std::pair<std::string, double>> constantInputs;
    std::string file;

    /// Errors name `file` and the JSON path ("/accuracy/metric").
    static Result<AccuracySpec> fromJson(const nlohmann::ordered_json& block, const std::string& file);
};

}  // namespace cdx
