// Measured accuracy: the float and the compressed network side by side in ONNX Runtime.
#include "core/accuracy/accuracyrunner.h"

#include "core/accuracy/accumulatorprofile.h"
#include "core/accuracy/dataset.h"
#include "core/accuracy/fakequantop.h"
#include "core/accuracy/floatresultscache.h"
#include "core/accuracy/modelrewriter.h"
#include "core/accuracy/ortapi.h"
#include "core/accuracy/ortruntime.h"
#include "core/accuracy/ortsession.h"
#include "core/compression/weightcompressor.h"
#include "core/onnx/onnxreader.h"
#include "core/util/fileio.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <thread>

namespace cdx {

std::vector<CompressedOperand> compressedOperands(const Network& net, const CompressionPlan& plan)
{
    std::vector<CompressedOperand> operands;
    const auto& layers = net.layers();
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const Layer& layer = layers[i];
        const bool fromModel = std::any_of(layer.weightData.begin(), layer.weightData.end(),
                                           [](const WeightTensor& w) { return !w.sourceNode.empty() && w.values; });
        if (!fromModel || !hasWeightOperand(layer))
            continue;
        const LayerCompression setting = plan.forLayer(layer, static_cast<Dim>(i));
        const std::vector<CompressedMatrix> compressed = compressLayerWeights(layer, setting);
        std::vector<WeightMatrix> matrices;
        for (const auto& c : compressed) {
            if (!c.matrix.hasValues())
                break;
            matrices.push_back(c.matrix);
        }
        if (matrices.size() != compressed.size() || matrices.empty())
            continue;
        for (WeightTensor& t : weightTensorsOf(layer, matrices)) {
            const auto source = std::find_if(layer.weightData.begin(), layer.weightData.end(),
                                             [&](const WeightTensor& w) { return w.role == t.role; });
            if (source == layer.weightData.end() || source->sourceNode.empty() || !t.values)
                continue;
            operands.push_back({layer.name, t.role, source->sourceNode, source->sourceInput, source->shape,
                                std::vector<float>(t.values->begin(), t.values->end())});
        }
    }
    return operands;
}

namespace {

ModelRewrite weightRewrite(const Network& net, const CompressionPlan& plan)
{
    ModelRewrite rewrite;
    for (auto& op : compressedOperands(net, plan))
        rewrite.constants.push_back({op.node, op.input, op.dims, std::move(op.values)});
    return rewrite;
}

}  // namespace

Result<std::string> compressedModelBytes(const Network& net, const std::string& modelPath, const CompressionPlan& plan)
{
    auto bytes = readTextFile(modelPath);
    if (!bytes)
        return bytes.error();
    return rewriteOnnxModel(bytes.value(), modelPath, weightRewrite(net, plan));
}

#ifndef CDX_HAVE_ONNXRUNTIME

struct AccuracySession::Impl {};
AccuracySession::AccuracySession(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AccuracySession::~AccuracySession() = default;
double AccuracySession::floatMetric() const { return 0; }
std::int64_t AccuracySession::samples() const { return 0; }
bool AccuracySession::floatCached() const { return false; }

Result<std::shared_ptr<const AccuracySession>> AccuracySession::open(const Network&, const std::string&, const AccuracySpec&,
                                                                     const AccuracyOptions&)
{
    return OrtRuntime::get().error();
}

Result<AccuracyReport> AccuracySession::measure(const CompressionPlan&, bool, const std::function<bool(double)>&) const
{
    return OrtRuntime::get().error();
}

Result<AccuracyReport> measureAccuracy(const Network&, const std::string&, const CompressionPlan&, const AccuracySpec&,
                                       const AccuracyOptions&)
{
    return OrtRuntime::get().error();
}

#else

using namespace ort;

namespace {

/// Whether a layer's outputs are stored as the plan's activations: every layer but those that
/// only move data (their output holds values already quantised where they were made).
bool quantizesOutput(const Layer& layer, const LayerCompression& setting)
{
    if (isShapeKind(layer.kind))
        return false;
    return !(setting.activations.format == NumberFormat::Fp32);
}

struct Cancelled {};

/// What an exception from a run means for the user (inside a catch block only).
Error runFailure(const std::string& modelPath)
{
    try {
        throw;
    } catch (const Cancelled&) {
        return Error{ExitCode::CheckFailed, modelPath, {}, "the measurement was cancelled"};
    } catch (const InputError& e) {
        return e.error();
    } catch (const Ort::Exception& e) {
        return Error{ExitCode::BadInput, modelPath, {}, std::string("ONNX Runtime cannot run this model: ") + e.what()};
    }
}


/// Runs the float network over the calibration examples (ranges) and the evaluated ones
/// (reference outputs, float top-1/top-5): what the float cache holds.
FloatResults runFloatNetwork(Runner& runner, const InputMaker& evaluatedInputs, const Dataset& evaluated, const InputMaker& calibrationInputs,
                             const Dataset& calibration, const std::string& outputName, const std::vector<std::string>& candidates, int threads,
                             const std::function<bool(double)>& progress)
{
    std::vector<const char*> names{outputName.c_str()};
    for (const auto& t : candidates)
        names.push_back(t.c_str());
    const std::size_t observed = candidates.size();
    const double totalWork = static_cast<double>(calibration.count + evaluated.count);
    std::atomic<std::int64_t> done{0};
    std::atomic<bool> cancelled{false};
    auto step = [&](int thread) {
        const std::int64_t d = ++done;
        if (thread == 0 && progress && !progress(static_cast<double>(d) / totalWork))
            cancelled = true;
        if (cancelled)
            throw Cancelled{};
    };

    FloatResults results;
    RangeTally empty;
    empty.examples = calibration.count;
    std::vector<std::vector<RangeTally>> tallies(static_cast<std::size_t>(threads), std::vector<RangeTally>(observed, empty));
    inParallel(calibration.count, threads, [&](std::int64_t first, std::int64_t last, int t) {
        auto bound = calibrationInputs.bind(static_cast<std::size_t>(calibration.sampleSize()));
        for (std::int64_t i = first; i < last; ++i) {
            auto out = runner.run(bound.load(calibration.sample(i)), names);
            for (std::size_t k = 0; k < observed; ++k)
                tallies[static_cast<std::size_t>(t)][k].add(out[k + 1].GetTensorData<float>(),
                                                            out[k + 1].GetTensorTypeAndShapeInfo().GetElementCount());
            step(t);
        }
    });
    std::vector<RangeTally> merged(observed);
    for (auto& perThread : tallies)
        for (std::size_t k = 0; k < observed; ++k)
            merged[k].merge(perThread[k]);
    for (auto& m : merged)
        results.ranges.push_back(m.range());

    // The float network's outputs on the evaluated examples: the reference of every measurement.
    std::vector<std::vector<float>> outputs(static_cast<std::size_t>(evaluated.count));
    results.top1.resize(static_cast<std::size_t>(evaluated.count));
    const bool labelled = !evaluated.labels.empty();
    std::vector<std::int64_t> top1(static_cast<std::size_t>(threads)), top5(static_cast<std::size_t>(threads));
    const std::vector<const char*> outputOnly{outputName.c_str()};
    inParallel(evaluated.count, threads, [&](std::int64_t first, std::int64_t last, int t) {
        auto bound = evaluatedInputs.bind(static_cast<std::size_t>(evaluated.sampleSize()));
        for (std::int64_t i = first; i < last; ++i) {
            auto out = runner.run(bound.load(evaluated.sample(i)), outputOnly);
            const float* y = out[0].GetTensorData<float>();
            const std::size_t n = out[0].GetTensorTypeAndShapeInfo().GetElementCount();
            outputs[static_cast<std::size_t>(i)].assign(y, y + n);
            const auto best = topK(y, n, 5);
            results.top1[static_cast<std::size_t>(i)] = best.empty() ? 0 : static_cast<std::uint32_t>(best[0]);
            if (labelled) {
                const auto label = static_cast<std::size_t>(evaluated.labels[static_cast<std::size_t>(i)]);
                top1[static_cast<std::size_t>(t)] += !best.empty() && best[0] == label;
                top5[static_cast<std::size_t>(t)] += std::find(best.begin(), best.end(), label) != best.end();
            }
            step(t);
        }
    });
    results.offsets.reserve(outputs.size() + 1);
    results.offsets.push_back(0);
    for (const auto& o : outputs) {
        results.outputs.insert(results.outputs.end(), o.begin(), o.end());
        results.offsets.push_back(results.outputs.size());
    }
    const double perExample = 100.0 / static_cast<double>(evaluated.count);
    for (int t = 0; t < threads; ++t) {
        results.top1Pct += static_cast<double>(top1[static_cast<std::size_t>(t)]) * perExample;
        results.top5Pct += static_cast<double>(top5[static_cast<std::size_t>(t)]) * perExample;
    }
    return results;
}

/// What decides the float network's results (FloatResultsCache's key).
std::string floatResultsKey(const std::string& runtime, const std::string& modelBytes, const std::string& outputName,
                            const std::vector<std::string>& candidates, const Dataset& evaluated, const Dataset& calibration,
                            const AccuracySpec& spec, const std::vector<std::int64_t>& inputShape)
{
    FloatResultsKey key;
    key.add("cdx float results").add(runtime).add(modelBytes).add(outputName);
    key.add(static_cast<std::int64_t>(candidates.size()));
    for (const auto& c : candidates)
        key.add(c);
    for (const Dataset* d : {&evaluated, &calibration}) {
        key.add(d->count).add(d->values).add(d->labels);
        key.add(static_cast<std::int64_t>(d->sampleShape.size()));
        for (const auto dim : d->sampleShape)
            key.add(static_cast<std::int64_t>(dim));
    }
    for (const auto& [name, value] : spec.constantInputs)
        key.add(name + "=" + std::to_string(value));
    key.add(inputShape);
    // The calibration's median magnitude samples every 7th value of each thread's share.
    return key.hex();
}

}  // namespace

struct AccuracySession::Impl {
    std::string modelPath;
    std::string bytes;
    std::shared_ptr<const Network> net;
    AccuracySpec spec;
    int threads = 1;
    Dataset data;
    std::int64_t calibrationCount = 0;
    std::string outputName;
    /// Outputs of the layers that may be quantised, in the main graph, with their layer.
    std::vector<std::string> candidates;
    std::vector<std::string> candidateLayers;
    std::vector<std::size_t> candidateLayerIndex;
    FloatResults reference;               ///< ranges per candidate, outputs and top-1 per example
    bool floatCached = false;
    std::unique_ptr<Runner> floatRunner;  ///< observes every candidate
    std::unique_ptr<InputMaker> inputs;
    std::string runtime;

    Result<AccuracyReport> measure(const CompressionPlan& plan, bool withLayers, const std::function<bool(double)>& progress) const;

private:
    /// What a plan changes in the model: the rewrite (replaced weights, fake-quantised layer
    /// outputs), the candidates it quantises with their quantisers, and the accumulator probes.
    struct CompressedGraph {
        ModelRewrite rewrite;
        std::vector<std::size_t> chosen;  ///< candidate indices, in the order of rewrite.fakeQuantized
        std::shared_ptr<std::vector<Quantizer>> quantizers = std::make_shared<std::vector<Quantizer>>();
        std::vector<AccumulatorProbe> probes;
        std::vector<std::string> probeTensors;
    };
    /// What the run of the compressed network counted, per thread.
    struct RunTallies {
        std::vector<Totals> perThread;
        std::vector<std::vector<AccumulatorTally>> accumulators;  ///< [thread][probe]
        std::vector<RangeTally> dataRanges;                        ///< the data input's, per thread
        std::vector<std::int64_t> layerExamples;                   ///< examples with per-layer SQNR, per thread
    };
    CompressedGraph compressedGraph(const CompressionPlan& plan, bool withLayers) const;
    /// Runs the compressed network over every evaluated example on `threads` threads (throws
    /// Cancelled when `progress` says stop, and ONNX Runtime's errors).
    RunTallies runCompressed(const CompressedGraph& graph, bool withLayers, const std::function<bool(double)>& progress) const;
    AccuracyReport report(const CompressedGraph& graph, const RunTallies& tallies, bool withLayers) const;
};

AccuracySession::AccuracySession(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AccuracySession::~AccuracySession() = default;
double AccuracySession::floatMetric() const
{
    switch (impl_->spec.metric) {
    case AccuracyMetric::Top1: return impl_->reference.top1Pct;
    case AccuracyMetric::Top5: return impl_->reference.top5Pct;
    case AccuracyMetric::Agreement: return 100;
    case AccuracyMetric::Sqnr: return std::numeric_limits<double>::infinity();
    }
    return 0;
}
std::int64_t AccuracySession::samples() const { return impl_->data.count; }
bool AccuracySession::floatCached() const { return impl_->floatCached; }

Result<std::shared_ptr<const AccuracySession>> AccuracySession::open(const Network& net, const std::string& modelPath,
                                                                     const AccuracySpec& spec, const AccuracyOptions& options)
{
    auto runtime = OrtRuntime::get();
    if (!runtime)
        return runtime.error();
    auto impl = std::make_unique<Impl>();
    impl->modelPath = modelPath;
    impl->net = std::make_shared<const Network>(net);
    impl->spec = spec;
    impl->runtime = "ONNX Runtime " + runtime.value()->version();
    impl->threads = options.threads > 0 ? options.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    auto bytes = readTextFile(modelPath);
    if (!bytes)
        return bytes.error();
    impl->bytes = std::move(bytes).value();
    auto graph = onnxGraphTensors(impl->bytes, modelPath);
    if (!graph)
        return graph.error();
    if (graph->graphInputs.empty() || graph->graphOutputs.empty())
        return Error{ExitCode::BadInput, modelPath, {}, "the model has no input or no output to measure"};
    impl->outputName = graph->graphOutputs[0];

    // Calibration examples first (another dataset, or the head of this one), then the evaluated ones.
    const std::int64_t samples = options.samples > 0 ? options.samples : spec.samples;
    Result<Dataset> calibration = spec.calibrationDataset ? loadDataset(*spec.calibrationDataset, 0, spec.calibration)
                                                          : loadDataset(spec.dataset, 0, spec.calibration);
    if (!calibration)
        return calibration.error();
    const std::int64_t skip = spec.calibrationDataset ? 0 : calibration->count;
    Result<Dataset> data = loadDataset(spec.dataset, skip, samples);
    if (!data)
        return data.error();
    if (data->count == 0)
        return Error{ExitCode::BadInput, spec.file, "/accuracy/dataset",
                     "no examples are left to evaluate after the " + std::to_string(skip) + " used for calibration"};
    impl->data = std::move(data).value();
    impl->calibrationCount = calibration->count;

    // Only float tensors can be observed or fake-quantised: ONNX shape inference types the rest
    // (Silero VAD computes on its int64 sample rate in layers of its own).
    std::set<std::string> mainTensors(graph->nodeOutputs.begin(), graph->nodeOutputs.end());
    if (auto typed = parseOnnxModel(impl->bytes, modelPath); typed.ok())
        for (const auto& [name, info] : typed->graph.valueInfo)
            if (info.type != OnnxElementType::Undefined && info.type != OnnxElementType::Float)
                mainTensors.erase(name);
    std::set<std::string> taken;
    const auto& layers = net.layers();
    for (std::size_t i = 0; i < layers.size(); ++i) {
        if (isShapeKind(layers[i].kind))
            continue;
        for (const auto& out : layers[i].outputs)
            if (mainTensors.count(out) && taken.insert(out).second) {
                impl->candidates.push_back(out);
                impl->candidateLayers.push_back(layers[i].name);
                impl->candidateLayerIndex.push_back(i);
            }
    }

    try {
        // The float session is made even when its results are cached: it checks that the
        // runtime can run the model, gives the input shapes, and runs again for the per-layer SQNR.
        ModelRewrite observe;
        observe.observed = impl->candidates;
        auto floatBytes = rewriteOnnxModel(impl->bytes, modelPath, observe);
        if (!floatBytes)
            return floatBytes.error();
        impl->floatRunner = std::make_unique<Runner>(floatBytes.value(), nullptr);
        Runner& runner = *impl->floatRunner;
        impl->inputs = std::make_unique<InputMaker>(runner.session(), runner.inputNames(), spec, impl->data);
        if (auto misfit = checkDatasetFits(impl->data, spec.dataset, impl->inputs->dataShape(), runner.inputNames()[0]))
            return *misfit;
        const InputMaker calibrationInputs(runner.session(), runner.inputNames(), spec, calibration.value());
        if (auto misfit = checkDatasetFits(calibration.value(), spec.calibrationDataset ? *spec.calibrationDataset : spec.dataset,
                                           calibrationInputs.dataShape(), runner.inputNames()[0]))
            return *misfit;

        const FloatResultsCache cache = options.floatCache ? FloatResultsCache() : FloatResultsCache(std::string());
        const std::string key = cache.enabled() ? floatResultsKey(impl->runtime, impl->bytes, impl->outputName, impl->candidates, impl->data,
                                                                  calibration.value(), spec, impl->inputs->dataShape())
                                                : std::string();
        if (auto found = cache.find(key, impl->candidates.size(), impl->data.count)) {
            impl->reference = std::move(found).value();
            impl->floatCached = true;
            if (options.progress && !options.progress(1.0))
                throw Cancelled{};
        } else {
            impl->reference = runFloatNetwork(runner, *impl->inputs, impl->data, calibrationInputs, calibration.value(), impl->outputName,
                                              impl->candidates, impl->threads, options.progress);
            cache.store(key, impl->reference);
        }
    } catch (...) {
        return runFailure(modelPath);
    }
    return std::shared_ptr<const AccuracySession>(new AccuracySession(std::move(impl)));
}

Result<AccuracyReport> AccuracySession::measure(const CompressionPlan& plan, bool withLayers, const std::function<bool(double)>& progress) const
{
    return impl_->measure(plan, withLayers, progress);
}

AccuracySession::Impl::CompressedGraph AccuracySession::Impl::compressedGraph(const CompressionPlan& plan, bool withLayers) const
{
    // What the plan quantises: weights (replaced constants) and layer outputs (FakeQuant).
    CompressedGraph g;
    g.rewrite = weightRewrite(*net, plan);
    for (std::size_t k = 0; k < candidates.size(); ++k) {
        const std::size_t li = candidateLayerIndex[k];
        const LayerCompression setting = plan.forLayer(net->layers()[li], static_cast<Dim>(li));
        if (!quantizesOutput(net->layers()[li], setting))
            continue;
        g.chosen.push_back(k);
        g.rewrite.fakeQuantized.push_back(candidates[k]);
        g.quantizers->push_back(Quantizer::fit(setting.activations, reference.ranges[k]));
    }
    if (withLayers)
        g.rewrite.observed = g.rewrite.fakeQuantized;
    // Accumulator profiling ("accumulator": {"bits": "auto"}): each probed layer's output before
    // any output quantisation, on every example; the data input's range when a probe reads it.
    g.probes = accumulatorProbes(*net, plan);
    for (const auto& probe : g.probes) {
        const bool quantized = std::find(g.rewrite.fakeQuantized.begin(), g.rewrite.fakeQuantized.end(), probe.output) !=
                               g.rewrite.fakeQuantized.end();
        g.probeTensors.push_back(quantized ? probe.output + kFloatSuffix : probe.output);
        g.rewrite.observed.push_back(g.probeTensors.back());
    }
    return g;
}

AccuracySession::Impl::RunTallies AccuracySession::Impl::runCompressed(const CompressedGraph& g, bool withLayers,
                                                                       const std::function<bool(double)>& progress) const
{
    const FakeQuantDomain domain(g.quantizers);
    auto compressedBytes = rewriteOnnxModel(bytes, modelPath, g.rewrite);
    if (!compressedBytes)
        throw InputError(compressedBytes.error());
    Runner compressedRunner(compressedBytes.value(), &domain);
    const std::string& dataInput = floatRunner->inputNames()[0];
    // The per-layer SQNR: every layerStep-th example (see kLayerSqnrExamples).
    const std::int64_t layerStep = std::max<std::int64_t>(1, (data.count + kLayerSqnrExamples - 1) / kLayerSqnrExamples);
    // Outputs: the network's, then the probes' (every example), then the layers' (some).
    std::vector<const char*> outputOnly{outputName.c_str()};
    for (const auto& t : g.probeTensors)
        outputOnly.push_back(t.c_str());
    std::vector<const char*> names = outputOnly;
    std::vector<const char*> floatNames{outputName.c_str()};
    if (withLayers)
        for (std::size_t k : g.chosen) {
            names.push_back(candidates[k].c_str());
            floatNames.push_back(candidates[k].c_str());
        }
    const std::size_t observed = withLayers ? g.chosen.size() : 0;
    const std::size_t firstLayer = 1 + g.probes.size();
    const auto threadCount = static_cast<std::size_t>(threads);
    RunTallies tallies{std::vector<Totals>(threadCount), std::vector<std::vector<AccumulatorTally>>(threadCount, std::vector<AccumulatorTally>(g.probes.size())),
                       std::vector<RangeTally>(threadCount), std::vector<std::int64_t>(threadCount)};
    const bool probesReadData = std::any_of(g.probes.begin(), g.probes.end(), [&](const auto& p) { return p.input == dataInput; });
    const bool labelled = !data.labels.empty();
    std::atomic<std::int64_t> done{0};
    std::atomic<bool> cancelled{false};
    inParallel(data.count, threads, [&](std::int64_t first, std::int64_t last, int t) {
        const auto ti = static_cast<std::size_t>(t);
        Totals& tot = tallies.perThread[ti];
        tot.layers.resize(observed);
        auto bound = inputs->bind(static_cast<std::size_t>(data.sampleSize()));
        for (std::int64_t i = first; i < last; ++i) {
            const bool layersHere = observed > 0 && i % layerStep == 0;
            auto measured = compressedRunner.run(bound.load(data.sample(i)), layersHere ? names : outputOnly);
            const std::span<const float> ref = reference.output(i);
            const std::size_t n = std::min(ref.size(), measured[0].GetTensorTypeAndShapeInfo().GetElementCount());
            const float* yc = measured[0].GetTensorData<float>();
            tot.output.add(ref.data(), yc, n);
            const auto best = topK(yc, n, 5);
            ++tot.examples;
            tot.agree += !best.empty() && best[0] == reference.top1[static_cast<std::size_t>(i)];
            if (labelled) {
                const auto label = static_cast<std::size_t>(data.labels[static_cast<std::size_t>(i)]);
                tot.top1 += !best.empty() && best[0] == label;
                tot.top5 += std::find(best.begin(), best.end(), label) != best.end();
            }
            for (std::size_t j = 0; j < g.probes.size(); ++j)
                tallies.accumulators[ti][j].add(g.probes[j], measured[1 + j].GetTensorData<float>(), measured[1 + j].GetTensorTypeAndShapeInfo().GetShape());
            if (probesReadData) {
                const auto example = data.sample(i);
                tallies.dataRanges[ti].add(example.data(), example.size());
            }
            if (layersHere) {
                auto floatLayers = floatRunner->run(bound.load(data.sample(i)), floatNames);
                for (std::size_t k = 0; k < observed; ++k)
                    tot.layers[k].add(floatLayers[k + 1].GetTensorData<float>(), measured[firstLayer + k].GetTensorData<float>(),
                                      std::min(floatLayers[k + 1].GetTensorTypeAndShapeInfo().GetElementCount(),
                                               measured[firstLayer + k].GetTensorTypeAndShapeInfo().GetElementCount()));
                ++tallies.layerExamples[ti];
            }
            const std::int64_t d = ++done;
            if (t == 0 && progress && !progress(static_cast<double>(d) / static_cast<double>(data.count)))
                cancelled = true;
            if (cancelled)
                throw Cancelled{};
        }
    });
    return tallies;
}

AccuracyReport AccuracySession::Impl::report(const CompressedGraph& g, const RunTallies& tallies, bool withLayers) const
{
    Totals all;
    all.layers.resize(withLayers ? g.chosen.size() : 0);
    for (const auto& t : tallies.perThread) {
        all.examples += t.examples;
        all.top1 += t.top1;
        all.top5 += t.top5;
        all.agree += t.agree;
        all.output.signal += t.output.signal;
        all.output.noise += t.output.noise;
        for (std::size_t k = 0; k < t.layers.size(); ++k) {
            all.layers[k].signal += t.layers[k].signal;
            all.layers[k].noise += t.layers[k].noise;
        }
    }
    AccuracyReport r;
    r.model = modelPath;
    r.dataset = data.source;
    r.metric = spec.metric;
    r.samples = all.examples;
    r.calibrationSamples = calibrationCount;
    r.labelled = !data.labels.empty();
    const double perExample = 100.0 / static_cast<double>(std::max<std::int64_t>(all.examples, 1));
    r.floatTop1 = reference.top1Pct;
    r.floatTop5 = reference.top5Pct;
    r.compressedTop1 = static_cast<double>(all.top1) * perExample;
    r.compressedTop5 = static_cast<double>(all.top5) * perExample;
    r.agreement = static_cast<double>(all.agree) * perExample;
    r.outputSqnrDb = decibels(all.output.signal, all.output.noise);
    switch (spec.metric) {
    case AccuracyMetric::Top1: r.floatMetric = r.floatTop1; r.compressedMetric = r.compressedTop1; break;
    case AccuracyMetric::Top5: r.floatMetric = r.floatTop5; r.compressedMetric = r.compressedTop5; break;
    case AccuracyMetric::Agreement: r.floatMetric = 100; r.compressedMetric = r.agreement; break;
    case AccuracyMetric::Sqnr: r.floatMetric = std::numeric_limits<double>::infinity(); r.compressedMetric = r.outputSqnrDb; break;
    }
    r.dropPp = spec.metric == AccuracyMetric::Sqnr ? 0.0 : r.floatMetric - r.compressedMetric;
    const std::vector<ValueRange>& ranges = reference.ranges;
    for (std::size_t j = 0; j < g.chosen.size(); ++j) {
        const std::size_t k = g.chosen[j];
        r.layers.push_back({candidateLayers[k], candidates[k], withLayers ? decibels(all.layers[j].signal, all.layers[j].noise) : 0.0,
                            ranges[k].minValue, ranges[k].maxValue, (*g.quantizers)[j].params().describe()});
    }
    for (const std::int64_t e : tallies.layerExamples)
        r.layerSqnrSamples += e;
    // Each probe's accumulator need, at the step of its input: the quantiser's when the input
    // is a quantised layer output, else the input's measured range (the data input's included).
    RangeTally dataRange;
    for (const auto& d : tallies.dataRanges)
        dataRange.merge(d);
    const ValueRange dataValues = dataRange.range();
    const std::string& dataInput = floatRunner->inputNames()[0];
    for (std::size_t j = 0; j < g.probes.size(); ++j) {
        AccumulatorTally tally;
        for (const auto& perThreadTallies : tallies.accumulators)
            tally.merge(perThreadTallies[j]);
        const QuantParams* quantized = nullptr;
        const ValueRange* range = g.probes[j].input == dataInput ? &dataValues : nullptr;
        for (std::size_t q = 0; q < g.chosen.size(); ++q)
            if (candidates[g.chosen[q]] == g.probes[j].input)
                quantized = &(*g.quantizers)[q].params();
        for (std::size_t k = 0; k < candidates.size() && !range; ++k)
            if (candidates[k] == g.probes[j].input)
                range = &ranges[k];
        if (const double step = inputStepFor(g.probes[j], quantized, range); step > 0)
            r.accumulators.push_back(accumulatorNeed(g.probes[j], tally, step));
    }
    r.replacedTensors = static_cast<std::int64_t>(g.rewrite.constants.size());
    r.runtime = runtime;
    return r;
}

Result<AccuracyReport> AccuracySession::Impl::measure(const CompressionPlan& plan, bool withLayers,
                                                      const std::function<bool(double)>& progress) const
{
    const auto start = std::chrono::steady_clock::now();
    const CompressedGraph graph = compressedGraph(plan, withLayers);
    try {
        const RunTallies tallies = runCompressed(graph, withLayers, progress);
        AccuracyReport r = report(graph, tallies, withLayers);
        r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return r;
    } catch (...) {
        return runFailure(modelPath);
    }
}

Result<AccuracyReport> measureAccuracy(const Network& net, const std::string& modelPath, const CompressionPlan& plan,
                                       const AccuracySpec& spec, const AccuracyOptions& options)
{
    const auto start = std::chrono::steady_clock::now();
    // One share that only grows: opening runs the float network over every example once (or
    // reads its results back), the measurement the compressed network; about half the work each.
    AccuracyOptions opening = options;
    if (options.progress)
        opening.progress = [&options](double share) { return options.progress(0.5 * share); };
    auto session = AccuracySession::open(net, modelPath, spec, opening);
    if (!session)
        return session.error();
    std::function<bool(double)> measuring;
    if (options.progress)
        measuring = [&options](double share) { return options.progress(0.5 + 0.5 * share); };
    auto report = session.value()->measure(plan, true, measuring);
    if (report)
        report->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report;
}

#endif

}  // namespace cdx
