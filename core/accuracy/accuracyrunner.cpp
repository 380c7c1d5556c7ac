// Measured accuracy: the float and the compressed network side by side in ONNX Runtime.
#include "core/accuracy/accuracyrunner.h"

#include "core/accuracy/accumulatorprofile.h"
#include "core/accuracy/dataset.h"
#include "core/accuracy/fakequantop.h"
#include "core/accuracy/floatresultscache.h"
#include "core/accuracy/modelrewriter.h"
#include "core/accuracy/ortapi.h"
#include "core/accuracy/ortruntime.h"
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

namespace {

/// Whether a layer's outputs are stored as the plan's activations: every layer but those that
/// only move data (their output holds values already quantised where they were made).
bool quantizesOutput(const Layer& layer, const LayerCompression& setting)
{
    if (isShapeKind(layer.kind))
        return false;
    return !(setting.activations.format == NumberFormat::Fp32);
}

double decibels(double signal, double noise)
{
    if (noise <= 0)
        return std::numeric_limits<double>::infinity();
    if (signal <= 0)
        return -std::numeric_limits<double>::infinity();
    return 10 * std::log10(signal / noise);
}

Ort::Env& ortEnv()
{
    static Ort::Env env(ORT_LOGGING_LEVEL_ERROR, "cdx");
    return env;
}

/// Running statistics of one observed tensor over the calibration examples.
struct RangeTally {
    double minValue = std::numeric_limits<double>::infinity();
    double maxValue = -std::numeric_limits<double>::infinity();
    double sumSquares = 0;
    std::int64_t count = 0;
    /// Nonzero |x| at every stride-th position of each example's tensor, for the median. The
    /// positions depend on the example alone, so the merged sample (and the median) is the same
    /// however the examples were split among threads; the stride keeps it near 200,000 values.
    std::vector<float> magnitudes;
    std::int64_t examples = 1;  ///< how many examples the tally will see, for the stride
    std::size_t stride = 0;

    void add(const float* x, std::size_t n)
    {
        if (stride == 0)
            stride = std::max<std::size_t>(7, (n * static_cast<std::size_t>(std::max<std::int64_t>(examples, 1)) + 199'999) / 200'000);
        for (std::size_t i = 0; i < n; ++i) {
            const double v = x[i];
            if (!std::isfinite(v))
                continue;
            minValue = std::min(minValue, v);
            maxValue = std::max(maxValue, v);
            sumSquares += v * v;
            if (v != 0 && i % stride == 0)
                magnitudes.push_back(static_cast<float>(std::fabs(v)));
            ++count;
        }
    }
    void merge(const RangeTally& o)
    {
        minValue = std::min(minValue, o.minValue);
        maxValue = std::max(maxValue, o.maxValue);
        sumSquares += o.sumSquares;
        count += o.count;
        magnitudes.insert(magnitudes.end(), o.magnitudes.begin(), o.magnitudes.end());
    }
    ValueRange range()
    {
        ValueRange r;
        if (count == 0)
            return ValueRange::gaussian(1.0);
        r.minValue = minValue;
        r.maxValue = maxValue;
        r.maxAbs = std::max(std::fabs(minValue), std::fabs(maxValue));
        r.rms = std::sqrt(sumSquares / static_cast<double>(count));
        if (!magnitudes.empty()) {
            auto mid = magnitudes.begin() + static_cast<std::ptrdiff_t>(magnitudes.size() / 2);
            std::nth_element(magnitudes.begin(), mid, magnitudes.end());
            r.medianAbs = *mid;
        } else {
            r.medianAbs = 0;
        }
        r.measured = true;
        return r;
    }
};

/// Signal and error energy of the compressed network's tensors against the float network's.
struct ErrorTally {
    double signal = 0, noise = 0;
    void add(const float* reference, const float* measured, std::size_t n)
    {
        for (std::size_t i = 0; i < n; ++i) {
            const double d = static_cast<double>(measured[i]) - reference[i];
            signal += static_cast<double>(reference[i]) * reference[i];
            noise += d * d;
        }
    }
};

struct Totals {
    std::int64_t examples = 0, top1 = 0, top5 = 0, agree = 0;
    ErrorTally output;
    std::vector<ErrorTally> layers;
};

std::vector<std::size_t> topK(const float* y, std::size_t n, std::size_t k)
{
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i)
        order[i] = i;
    k = std::min(k, n);
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                      [y](std::size_t a, std::size_t b) { return y[a] > y[b] || (y[a] == y[b] && a < b); });
    order.resize(k);
    return order;
}

/// One ONNX Runtime session with its input and output names and the inputs that hold constants.
class Runner {
public:
    Runner(const std::string& bytes, const FakeQuantDomain* domain)
    {
        Ort::SessionOptions options;
        options.SetIntraOpNumThreads(1);
        options.SetInterOpNumThreads(1);
        options.SetGraphOptimizationLevel(GraphOptimizationLevel::ORT_ENABLE_ALL);
        if (domain)
            options.Add(domain->domain());
        session_ = std::make_unique<Ort::Session>(ortEnv(), bytes.data(), bytes.size(), options);
        Ort::AllocatorWithDefaultOptions allocator;
        for (std::size_t i = 0; i < session_->GetInputCount(); ++i)
            inputNames_.push_back(session_->GetInputNameAllocated(i, allocator).get());
        for (std::size_t i = 0; i < session_->GetOutputCount(); ++i)
            outputNames_.push_back(session_->GetOutputNameAllocated(i, allocator).get());
        for (const auto& n : inputNames_)
            inputPointers_.push_back(n.c_str());
    }

    Ort::Session& session() { return *session_; }
    const std::vector<std::string>& inputNames() const { return inputNames_; }
    const std::vector<std::string>& outputNames() const { return outputNames_; }

    /// Runs with `inputs` (in inputNames order) and returns the outputs named.
    std::vector<Ort::Value> run(std::vector<Ort::Value>& inputs, const std::vector<const char*>& outputs)
    {
        return session_->Run(runOptions_, inputPointers_.data(), inputs.data(), inputs.size(), outputs.data(), outputs.size());
    }

private:
    std::unique_ptr<Ort::Session> session_;
    std::vector<std::string> inputNames_, outputNames_;
    std::vector<const char*> inputPointers_;
    Ort::RunOptions runOptions_{nullptr};
};

/// Makes the input tensors of one example: the data input and the constant inputs.
class InputMaker {
public:
    InputMaker(Ort::Session& session, const std::vector<std::string>& names, const AccuracySpec& spec, const Dataset& data)
    {
        for (std::size_t i = 0; i < names.size(); ++i) {
            // The shape info is a view into the type info, which must outlive it.
            const Ort::TypeInfo typeInfo = session.GetInputTypeInfo(i);
            const auto info = typeInfo.GetTensorTypeAndShapeInfo();
            std::vector<std::int64_t> shape = info.GetShape();
            if (i == 0) {
                const std::int64_t per = static_cast<std::int64_t>(data.values.size() / std::max<std::int64_t>(data.count, 1));
                std::int64_t fixed = 1;
                int open = 0;
                for (auto& d : shape) {
                    if (d <= 0)
                        ++open;
                    else
                        fixed *= d;
                }
                // The batch axis takes 1; one other open axis takes what the example leaves.
                for (std::size_t a = 0; a < shape.size(); ++a)
                    if (shape[a] <= 0)
                        shape[a] = (a == 0 && open > 1) || (a == 0 && fixed == per) ? 1 : std::max<std::int64_t>(1, per / std::max<std::int64_t>(fixed, 1));
                dataShape_ = shape;
                dataType_ = info.GetElementType();
                continue;
            }
            Constant c;
            for (auto& d : shape)
                d = d <= 0 ? 1 : d;
            c.shape = shape;
            c.type = info.GetElementType();
            const auto given = std::find_if(spec.constantInputs.begin(), spec.constantInputs.end(),
                                            [&](const auto& p) { return p.first == names[i]; });
            if (given == spec.constantInputs.end())
                throw InputError(Error{ExitCode::BadInput, spec.file, "/accuracy/inputs",
                                       "the model's input \"" + names[i] + "\" needs a value: give it as \"inputs\": {\"" + names[i] +
                                           "\": VALUE} (every element takes it)"});
            c.value = given->second;
            constants_.push_back(std::move(c));
        }
    }

    const std::vector<std::int64_t>& dataShape() const { return dataShape_; }

    /// One thread's input tensors, made once over buffers of their own: load() refills the data
    /// input with an example (of `exampleSize` values) and returns them all.
    class Bound {
    public:
        std::vector<Ort::Value>& load(std::span<const float> example)
        {
            std::copy(example.begin(), example.begin() + static_cast<std::ptrdiff_t>(std::min(example.size(), data_.size())), data_.begin());
            return values_;
        }

    private:
        friend class InputMaker;
        std::vector<float> data_;
        std::vector<std::vector<char>> constants_;
        std::vector<Ort::Value> values_;
    };

    Bound bind(std::size_t exampleSize) const
    {
        const auto memory = Ort::MemoryInfo::CreateCpu(OrtArenaAllocator, OrtMemTypeDefault);
        Bound b;
        b.data_.resize(exampleSize);
        b.values_.push_back(Ort::Value::CreateTensor<float>(memory, b.data_.data(), b.data_.size(), dataShape_.data(), dataShape_.size()));
        b.constants_.resize(constants_.size());
        for (std::size_t i = 0; i < constants_.size(); ++i) {
            const Constant& c = constants_[i];
            std::int64_t n = 1;
            for (auto d : c.shape)
                n *= d;
            auto& buffer = b.constants_[i];
            switch (c.type) {
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64: {
                buffer.resize(static_cast<std::size_t>(n) * sizeof(std::int64_t));
                auto* p = reinterpret_cast<std::int64_t*>(buffer.data());
                std::fill(p, p + n, static_cast<std::int64_t>(c.value));
                b.values_.push_back(Ort::Value::CreateTensor<std::int64_t>(memory, p, static_cast<std::size_t>(n), c.shape.data(), c.shape.size()));
                break;
            }
            default: {
                buffer.resize(static_cast<std::size_t>(n) * sizeof(float));
                auto* p = reinterpret_cast<float*>(buffer.data());
                std::fill(p, p + n, static_cast<float>(c.value));
                b.values_.push_back(Ort::Value::CreateTensor<float>(memory, p, static_cast<std::size_t>(n), c.shape.data(), c.shape.size()));
                break;
            }
            }
        }
        return b;
    }

private:
    struct Constant {
        std::vector<std::int64_t> shape;
        ONNXTensorElementDataType type = ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT;
        double value = 0;
    };
    std::vector<std::int64_t> dataShape_;
    ONNXTensorElementDataType dataType_ = ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT;
    std::vector<Constant> constants_;
};

/// Calls `work(first, last, thread)` on `threads` contiguous shares of [0, n) at once.
template <class Work>
void inParallel(std::int64_t n, int threads, Work&& work)
{
    threads = static_cast<int>(std::clamp<std::int64_t>(threads, 1, std::max<std::int64_t>(n, 1)));
    std::vector<std::thread> pool;
    std::vector<std::exception_ptr> errors(static_cast<std::size_t>(threads));
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            try {
                work(n * t / threads, n * (t + 1) / threads, t);
            } catch (...) {
                errors[static_cast<std::size_t>(t)] = std::current_exception();
            }
        });
    for (auto& th : pool)
        th.join();
    for (auto& e : errors)
        if (e)
            std::rethrow_exception(e);
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

Result<AccuracyReport> AccuracySession::Impl::measure(const CompressionPlan& plan, bool withLayers,
                                                      const std::function<bool(double)>& progress) const
{
    const auto start = std::chrono::steady_clock::now();
    const std::vector<ValueRange>& ranges = reference.ranges;
    // What the plan quantises: weights (replaced constants) and layer outputs (FakeQuant).
    ModelRewrite compressed = weightRewrite(*net, plan);
    std::vector<std::size_t> chosen;  // candidate indices, in the order of compressed.fakeQuantized
    auto quantizers = std::make_shared<std::vector<Quantizer>>();
    for (std::size_t k = 0; k < candidates.size(); ++k) {
        const std::size_t li = candidateLayerIndex[k];
        const LayerCompression setting = plan.forLayer(net->layers()[li], static_cast<Dim>(li));
        if (!quantizesOutput(net->layers()[li], setting))
            continue;
        chosen.push_back(k);
        compressed.fakeQuantized.push_back(candidates[k]);
        quantizers->push_back(Quantizer::fit(setting.activations, ranges[k]));
    }
    if (withLayers)
        compressed.observed = compressed.fakeQuantized;
    // Accumulator profiling ("accumulator": {"bits": "auto"}): each probed layer's output before
    // any output quantisation, on every example; the data input's range when a probe reads it.
    const std::vector<AccumulatorProbe> probes = accumulatorProbes(*net, plan);
    std::vector<std::string> probeTensors;
    for (const auto& probe : probes) {
        const bool quantized = std::find(compressed.fakeQuantized.begin(), compressed.fakeQuantized.end(), probe.output) !=
                               compressed.fakeQuantized.end();
        probeTensors.push_back(quantized ? probe.output + kFloatSuffix : probe.output);
        compressed.observed.push_back(probeTensors.back());
    }
    const std::string& dataInput = floatRunner->inputNames()[0];
    // The per-layer SQNR: every layerStep-th example (see kLayerSqnrExamples).
    const std::int64_t layerStep = std::max<std::int64_t>(1, (data.count + kLayerSqnrExamples - 1) / kLayerSqnrExamples);
    try {
        const FakeQuantDomain domain(quantizers);
        auto compressedBytes = rewriteOnnxModel(bytes, modelPath, compressed);
        if (!compressedBytes)
            return compressedBytes.error();
        Runner compressedRunner(compressedBytes.value(), &domain);
        // Outputs: the network's, then the probes' (every example), then the layers' (some).
        std::vector<const char*> outputOnly{outputName.c_str()};
        for (const auto& t : probeTensors)
            outputOnly.push_back(t.c_str());
        std::vector<const char*> names = outputOnly;
        std::vector<const char*> floatNames{outputName.c_str()};
        if (withLayers)
            for (std::size_t k : chosen) {
                names.push_back(candidates[k].c_str());
                floatNames.push_back(candidates[k].c_str());
            }
        const std::size_t observed = withLayers ? chosen.size() : 0;
        const std::size_t firstLayer = 1 + probes.size();
        std::vector<std::vector<AccumulatorTally>> accumulators(static_cast<std::size_t>(threads), std::vector<AccumulatorTally>(probes.size()));
        std::vector<RangeTally> dataRanges(static_cast<std::size_t>(threads));
        const bool probesReadData = std::any_of(probes.begin(), probes.end(), [&](const auto& p) { return p.input == dataInput; });

        std::atomic<std::int64_t> done{0};
        std::atomic<bool> cancelled{false};
        std::vector<Totals> perThread(static_cast<std::size_t>(threads));
        std::vector<std::int64_t> layerExamples(static_cast<std::size_t>(threads));
        const bool labelled = !data.labels.empty();
        inParallel(data.count, threads, [&](std::int64_t first, std::int64_t last, int t) {
            Totals& tot = perThread[static_cast<std::size_t>(t)];
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
                for (std::size_t j = 0; j < probes.size(); ++j)
                    accumulators[static_cast<std::size_t>(t)][j].add(probes[j], measured[1 + j].GetTensorData<float>(),
                                                                     measured[1 + j].GetTensorTypeAndShapeInfo().GetShape());
                if (probesReadData) {
                    const auto example = data.sample(i);
                    dataRanges[static_cast<std::size_t>(t)].add(example.data(), example.size());
                }
                if (layersHere) {
                    auto floatLayers = floatRunner->run(bound.load(data.sample(i)), floatNames);
                    for (std::size_t k = 0; k < observed; ++k)
                        tot.layers[k].add(floatLayers[k + 1].GetTensorData<float>(), measured[firstLayer + k].GetTensorData<float>(),
                                          std::min(floatLayers[k + 1].GetTensorTypeAndShapeInfo().GetElementCount(),
                                                   measured[firstLayer + k].GetTensorTypeAndShapeInfo().GetElementCount()));
                    ++layerExamples[static_cast<std::size_t>(t)];
                }
                const std::int64_t d = ++done;
                if (t == 0 && progress && !progress(static_cast<double>(d) / static_cast<double>(data.count)))
                    cancelled = true;
                if (cancelled)
                    throw Cancelled{};
            }
        });

        Totals all;
        all.layers.resize(observed);
        for (const auto& t : perThread) {
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
        r.labelled = labelled;
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
        for (std::size_t j = 0; j < chosen.size(); ++j) {
            const std::size_t k = chosen[j];
            r.layers.push_back({candidateLayers[k], candidates[k], withLayers ? decibels(all.layers[j].signal, all.layers[j].noise) : 0.0,
                                ranges[k].minValue, ranges[k].maxValue, (*quantizers)[j].params().describe()});
        }
        for (const std::int64_t e : layerExamples)
            r.layerSqnrSamples += e;
        RangeTally dataRange;
        for (const auto& d : dataRanges)
            dataRange.merge(d);
        const ValueRange dataValues = dataRange.range();
        for (std::size_t j = 0; j < probes.size(); ++j) {
            AccumulatorTally tally;
            for (const auto& perThreadTallies : accumulators)
                tally.merge(perThreadTallies[j]);
            const QuantParams* quantized = nullptr;
            const ValueRange* range = probes[j].input == dataInput ? &dataValues : nullptr;
            for (std::size_t q = 0; q < chosen.size(); ++q)
                if (candidates[chosen[q]] == probes[j].input)
                    quantized = &(*quantizers)[q].params();
            for (std::size_t k = 0; k < candidates.size() && !range; ++k)
                if (candidates[k] == probes[j].input)
                    range = &ranges[k];
            if (const double step = inputStepFor(probes[j], quantized, range); step > 0)
                r.accumulators.push_back(accumulatorNeed(probes[j], tally, step));
        }
        r.replacedTensors = static_cast<std::int64_t>(compressed.constants.size());
        r.runtime = runtime;
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
