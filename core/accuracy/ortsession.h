#pragma once

// The pieces of a measured-accuracy run (accuracyrunner.cpp) that are not about accuracy:
// an ONNX Runtime session, the input tensors of an example, running shares of the examples on
// threads, and the running statistics of tensors. Only with ONNX Runtime (CDX_HAVE_ONNXRUNTIME).

#include "core/accuracy/accuracyspec.h"
#include "core/accuracy/dataset.h"
#include "core/accuracy/fakequantop.h"
#include "core/accuracy/ortapi.h"
#include "core/compression/quantizer.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <thread>
#include <vector>

#ifdef CDX_HAVE_ONNXRUNTIME

namespace cdx::ort {

/// 10 log10(signal / noise), +inf without noise, -inf without signal.
inline double decibels(double signal, double noise)
{
    if (noise <= 0)
        return std::numeric_limits<double>::infinity();
    if (signal <= 0)
        return -std::numeric_limits<double>::infinity();
    return 10 * std::log10(signal / noise);
}

Ort::Env& ortEnv();

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

/// One thread's counts over its share of the evaluated examples.
struct Totals {
    std::int64_t examples = 0, top1 = 0, top5 = 0, agree = 0;
    ErrorTally output;
    std::vector<ErrorTally> layers;
};

/// The indices of the k largest of y[0..n), largest first (ties: the lower index first).
inline std::vector<std::size_t> topK(const float* y, std::size_t n, std::size_t k)
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
    Runner(const std::string& bytes, const FakeQuantDomain* domain);

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
    InputMaker(Ort::Session& session, const std::vector<std::string>& names, const AccuracySpec& spec, const Dataset& data);

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

    Bound bind(std::size_t exampleSize) const;

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

}  // namespace cdx::ort

#endif
