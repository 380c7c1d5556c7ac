#pragma once

#include "core/accuracy/accumulatorprofile.h"
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
    double sqnrDb = 0;       ///< the compressed network's output of this layer against the float network's, over AccuracyReport::layerSqnrSamples examples
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
    /// The evaluated examples LayerAccuracy::sqnrDb was taken over (0 without it): all of them up
    /// to kLayerSqnrExamples, else an evenly spaced kLayerSqnrExamples of them.
    std::int64_t layerSqnrSamples = 0;
    /// The layers whose plan says "accumulator": {"bits": "auto"}: the largest accumulator value
    /// every evaluated example produced, in codes, and the signed bits that hold it.
    std::vector<AccumulatorNeed> accumulators;
    std::int64_t replacedTensors = 0;
    double seconds = 0;
    std::string runtime;            ///< "ONNX Runtime 1.30.0"
};

/// At most this many evaluated examples give the per-layer SQNR (measure with `withLayers`): each
/// needs the float network's layer outputs, which are not kept, so the float network runs again
/// on them. Every step-th example, step = ceil(samples / kLayerSqnrExamples): all of them for
/// 1,000 or fewer, every 10th of MNIST's 10,000.
inline constexpr std::int64_t kLayerSqnrExamples = 1000;

struct AccuracyOptions {
    std::int64_t samples = 0;  ///< 0: the spec's
    int threads = 0;           ///< 0: one per core
    /// Read the float network's results from FloatResultsCache when there, store them when not
    /// (besides this, $CDX_ACCURACY_CACHE=off turns the cache off).
    bool floatCache = true;
    /// Called now and then with the share done; returning false cancels (the result is then an error).
    std::function<bool(double)> progress;
};

/// A model and its data, ready to measure compressed versions of it. Opening it runs the float
/// network once: on the calibration examples, for the range of every layer output (the rule:
/// the minimum and maximum seen), and on the evaluated examples, for the reference outputs and
/// the float metric. Each measure() then runs only the compressed network, so a sensitivity
/// table or an exploration pays for the float network once. Those float results go to
/// FloatResultsCache on disk, keyed by the model's bytes, the content of both datasets, the
/// observed tensors and the runtime (not the thread count: every figure, the median magnitude
/// included, is the same however the examples are split); a later open of the same model and
/// data reads them back instead of running the float network (AccuracyOptions::floatCache).
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
    /// against the float network's, which then runs alongside on at most kLayerSqnrExamples of
    /// the examples (AccuracyReport::layerSqnrSamples). Safe to call from several threads.
    Result<AccuracyReport> measure(const CompressionPlan& plan, bool withLayers = false,
                                   const std::function<bool(double)>& progress = {}) const;

    /// The float network's metric on the evaluated examples.
    double floatMetric() const;
    std::int64_t samples() const;
    /// Whether open read the float network's results from the cache rather than running it.
    bool floatCached() const;

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
