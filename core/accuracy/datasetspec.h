#pragma once

#include "core/util/result.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace cdx {

/// Where the examples of an accuracy measurement come from and how their values are
/// preprocessed: the "dataset" object of a project's "accuracy" block.
struct DatasetSpec {
    std::string format;           ///< "idx" | "npy" | "images" | "wav"
    std::string data;             ///< idx: images file; npy: the .npy tensor [N, ...]; images: a folder; wav: a folder or one .wav file
    std::string labels;           ///< optional: idx labels file, a .npy of integers, or a CSV "file,label" (images, wav); empty: unlabelled
    double scale = 1.0;           ///< x' = (x * scale - mean) / std applied to every value (per channel if mean/std have C entries)
    std::vector<double> mean, std;
    std::string layout = "nchw";  ///< images and npy: where the channel axis is ("nchw": first of an example, "nhwc": last)
    int width = 0, height = 0;    ///< images: 0 takes the first image's size; every image must have the same size
    int channels = 0;             ///< images: 1 (grey) or 3 (RGB); 0: as the first image is stored
    int sampleRate = 16000;       ///< wav: the rate the model takes; a file at another rate is an error unless `resample`
    bool resample = false;        ///< wav: convert files at another rate to sampleRate (libsamplerate, best-quality sinc)
    std::int64_t windowSamples = 0;  ///< wav: samples per example; 0: the model's input length (see withWindowFrom)
    std::string file;             ///< the project file (for messages and relative paths)
    std::string jsonPath;         ///< "/accuracy/dataset"
    std::string dataAsWritten;    ///< data and labels as the project wrote them ("${CDX_DATA}/…", relative), for toJson
    std::string labelsAsWritten;

    /// Reads the block; paths relative to the project file's folder; "${CDX_DATA}" expands to datasetDataDirectory().
    /// Unknown keys and bad values are BadInput naming file and JSON path.
    static Result<DatasetSpec> fromJson(const nlohmann::ordered_json& block, const std::string& file, const std::string& jsonPath);
    /// The block as the project wrote it: paths unexpanded, values left at their default omitted.
    nlohmann::ordered_json toJson() const;

    /// A wav spec whose windowSamples is 0 gets the model input's last dimension; other specs come back unchanged.
    DatasetSpec withWindowFrom(const std::vector<std::int64_t>& inputShape) const;
};

/// The folder "${CDX_DATA}" stands for: $CDX_DATASETS_DIR, else $CDX_DEPS_DIR/data (where scripts/fetch-deps.sh
/// puts MNIST), else ~/.cache/cdx-deps/data. Not $CDX_DATA_DIR: that names the folder of the shipped projects/
/// and resources/ (core/util/datapaths.h), and the GUI tests set it to the source tree.
std::string datasetDataDirectory();

}  // namespace cdx
