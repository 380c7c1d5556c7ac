#pragma once

#include "core/accuracy/accuracyspec.h"
#include "core/compression/compressionplan.h"
#include "core/network/network.h"
#include "core/util/result.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace cdx {

/// One quantised tensor of the measured network: where the loss comes from.
struct LayerAccuracy {
    std::string layer;
    std::string tensor;
    double sqnrDb = 0;       ///< the compressed network's output of this layer against the float network's, over the evaluated examples
    double calibratedMin = 0;
    double calibratedMax = 0;
    std::string quantizer;   ///< QuantParams::describe() of the activation quantiser
};

/// What running the compressed network gave.
struct AccuracyReport {
    std::string model;
    std::string dataset;            ///< the dataset's one-line source
    AccuracyMetric metric = AccuracyMetric::Top1;
    std::int64_t samples = 0;       ///< evaluated examples
    std::int64_t calibrationSamples = 0;
    bool labelled = false;
    double floatTop1 = 0, compressedTop1 = 0;  ///< percent; labelled only
    double floatTop5 = 0, compressedTop5 = 0;
    double agreement = 0;           ///< percent of examples whose top-1 class is the float model's
    double outputSqnrDb = 0;        ///< first output, compressed against float
    double floatMetric = 0;         ///< the chosen metric, float network
    double compressedMetric = 0;
    double dropPp = 0;              ///< floatMetric - compressedMetric (percentage points; for sqnr: 0)
    std::vector<LayerAccuracy> layers;
    std::int64_t replacedTensors = 0;
    double seconds = 0;
    std::string runtime;            ///< "ONNX Runtime 1.30.0"
};

struct AccuracyOptions {
    std::int64_t samples = 0;  ///< 0: the spec's
    int threads = 0;           ///< 0: one per core
    /// Called now and then with the share done; returning false cancels (the result is then an error).
    std::function<bool(double)> progress;
};

/// A model and its data, ready to measure compressed versions of it. Opening it runs the float
/// network once: on the calibration examples, for the range of every layer output (the rule:
/// the minimum and maximum seen), and on the evaluated examples, for the reference outputs and
/// the float metric. Each measure() then runs only the compressed network, so a sensitivity
/// table or an exploration pays for the float network once.
///
/// The compressed network is the model file with every weight the plan compresses replaced by
/// the values of compressLayerWeights (the quantisers and masks of `cdx compress`) and every
/// layer output whose activations the plan quantises passed through the same Quantizer, fitted
/// to the calibrated range. The calibration examples never overlap the evaluated ones.
class AccuracySession {
public:
    /// Errors: BadInput for a dataset that does not fit the model's input, a model ONNX Runtime
    /// cannot run, ONNX Runtime absent; a cancelled run is CheckFailed.
    static Result<std::shared_ptr<const AccuracySession>> open(const Network& net, const std::string& modelPath, const AccuracySpec& spec,
                                                               const AccuracyOptions& options = {});
    ~AccuracySession();

    /// The network compressed by `plan`. `withLayers`: also each quantised layer's output SQNR
    /// against the float network's (which then runs alongside). Safe to call from several threads.
    Result<AccuracyReport> measure(const CompressionPlan& plan, bool withLayers = false,
                                   const std::function<bool(double)>& progress = {}) const;

    /// The float network's metric on the evaluated examples.
    double floatMetric() const;
    std::int64_t samples() const;

    struct Impl;

private:
    explicit AccuracySession(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

/// AccuracySession::open, then measure with the layers; options.progress sees one share from 0 to 1.
Result<AccuracyReport> measureAccuracy(const Network& net, const std::string& modelPath, const CompressionPlan& plan,
                                       const AccuracySpec& spec, const AccuracyOptions& options = {});

/// The weight replacements a plan makes in an ONNX model: per compressed operand, the node and
/// input it feeds and the values (exposed for tests that read them back).
struct CompressedOperand {
    std::string layer;
    std::string role;
    std::string node;
    int input = 0;
    Shape dims;
    std::vector<float> values;
};
std::vector<CompressedOperand> compressedOperands(const Network& net, const CompressionPlan& plan);

/// The compressed model's bytes (no activation quantisation): what a user can run elsewhere.
Result<std::string> compressedModelBytes(const Network& net, const std::string& modelPath, const CompressionPlan& plan);

}  // namespace cdx
