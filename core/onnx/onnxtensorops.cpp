#include "core/onnx/onnxtensorops.h"

#include "core/onnx/onnxconstantfolder.h"
#include "core/onnx/onnxreader.h"
#include "core/util/checkedmath.h"
#include "core/util/error.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace cdx::onnxtensor {

namespace {

[[noreturn]] void fail(const std::string& message) { throw InputError({}, message); }

}  // namespace

std::vector<Dim> stridesOf(const Shape& dims)
{
    std::vector<Dim> strides(dims.size(), 1);
    for (std::size_t i = dims.size(); i-- > 1;)
        strides[i - 1] = strides[i] * dims[i];
    return strides;
}

Builder::Builder(Shape d, bool f, OnnxElementType t) : dims(std::move(d)), isFloat(f), type(t)
{
    const std::size_t n = checkedSize(dims);
    if (isFloat)
        floats.reserve(n);
    else
        ints.reserve(n);
}

OnnxTensor Builder::done()
{
    return isFloat ? OnnxTensor::fromFloats(dims, std::move(floats), type) : OnnxTensor::fromInts(dims, std::move(ints), type);
}


std::size_t checkedSize(const Shape& dims)
{
    Dim n = 1;
    for (Dim d : dims) {
        if (d < 0)
            fail("a folded tensor would have a negative dimension " + std::to_string(d));
        n = checkedMul(n, d);
    }
    if (n > kMaxOnnxFoldedElements)
        fail("a folded constant would have " + std::to_string(n) + " elements; the limit is " +
             std::to_string(kMaxOnnxFoldedElements));
    return static_cast<std::size_t>(n);
}

OnnxTensor withDims(const OnnxTensor& t, Shape dims)
{
    OnnxTensor out = t;
    out.dims = std::move(dims);
    return out;
}

std::size_t axisOf(std::int64_t axis, std::size_t rank, const char* op)
{
    const auto r = static_cast<std::int64_t>(rank);
    if (axis < -r || axis >= r)
        fail(std::string(op) + " axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
    return static_cast<std::size_t>(axis < 0 ? axis + r : axis);
}

OnnxTensor castTo(const OnnxTensor& t, OnnxElementType type)
{
    const std::size_t n = static_cast<std::size_t>(t.size());
    if (isFloatElementType(type)) {
        std::vector<float> v(n);
        for (std::size_t i = 0; i < n; ++i)
            v[i] = static_cast<float>(t.value(i));
        return OnnxTensor::fromFloats(t.dims, std::move(v), type);
    }
    std::vector<std::int64_t> v(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double x = t.value(i);
        v[i] = type == OnnxElementType::Bool ? (x != 0.0) : static_cast<std::int64_t>(std::trunc(x));
    }
    return OnnxTensor::fromInts(t.dims, std::move(v), type);
}

/// Element-wise over broadcast inputs; `isFloat` decides the result's storage.
OnnxTensor elementwise(const std::vector<const OnnxTensor*>& in, bool isFloat, OnnxElementType type,
                       const std::function<double(const std::vector<double>&)>& f)
{
    Shape dims = in[0]->dims;
    for (std::size_t k = 1; k < in.size(); ++k)
        dims = broadcastOrFail(dims, in[k]->dims);
    Builder out(dims, isFloat, type);
    const std::size_t n = checkedSize(dims);
    const auto outStrides = stridesOf(dims);
    std::vector<std::vector<Dim>> inStrides;
    for (const auto* t : in) {
        auto s = stridesOf(t->dims);
        std::vector<Dim> aligned(dims.size(), 0);
        const std::size_t offset = dims.size() - t->dims.size();
        for (std::size_t d = 0; d < t->dims.size(); ++d)
            aligned[offset + d] = t->dims[d] == 1 ? 0 : s[d];
        inStrides.push_back(std::move(aligned));
    }
    std::vector<double> args(in.size());
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t k = 0; k < in.size(); ++k) {
            Dim index = 0;
            Dim rest = static_cast<Dim>(i);
            for (std::size_t d = 0; d < dims.size(); ++d) {
                const Dim coordinate = rest / outStrides[d];
                rest %= outStrides[d];
                index += coordinate * inStrides[k][d];
            }
            args[k] = in[k]->value(static_cast<std::size_t>(index));
        }
        out.push(f(args));
    }
    return out.done();
}

bool anyFloat(const std::vector<const OnnxTensor*>& in)
{
    return std::any_of(in.begin(), in.end(), [](const OnnxTensor* t) { return t->isFloat(); });
}

OnnxTensor gather(const OnnxTensor& data, const OnnxTensor& indices, std::int64_t axisAttr)
{
    if (data.dims.empty())
        fail("Gather of a scalar");
    const std::size_t axis = axisOf(axisAttr, data.dims.size(), "Gather");
    const Dim extent = data.dims[axis];
    Shape dims(data.dims.begin(), data.dims.begin() + static_cast<std::ptrdiff_t>(axis));
    dims.insert(dims.end(), indices.dims.begin(), indices.dims.end());
    dims.insert(dims.end(), data.dims.begin() + static_cast<std::ptrdiff_t>(axis) + 1, data.dims.end());
    Builder out(dims, data.isFloat(), data.type);
    Dim outer = 1, inner = 1;
    for (std::size_t d = 0; d < axis; ++d) outer *= data.dims[d];
    for (std::size_t d = axis + 1; d < data.dims.size(); ++d) inner *= data.dims[d];
    const auto idx = indices.asInts();
    for (Dim o = 0; o < outer; ++o)
        for (std::int64_t i : idx) {
            const Dim k = i < 0 ? i + extent : i;
            if (k < 0 || k >= extent)
                fail("Gather index " + std::to_string(i) + " is out of range for a dimension of " + std::to_string(extent));
            for (Dim j = 0; j < inner; ++j)
                out.push(data.value(static_cast<std::size_t>((o * extent + k) * inner + j)));
        }
    return out.done();
}

OnnxTensor transpose(const OnnxTensor& t, std::vector<std::int64_t> perm)
{
    const std::size_t rank = t.dims.size();
    if (perm.empty())
        for (std::size_t i = rank; i-- > 0;)
            perm.push_back(static_cast<std::int64_t>(i));
    if (perm.size() != rank)
        fail("Transpose perm does not match the rank");
    std::set<std::int64_t> seen(perm.begin(), perm.end());
    if (seen.size() != rank || *seen.begin() != 0 || *seen.rbegin() != static_cast<std::int64_t>(rank) - 1)
        fail("Transpose perm is not a permutation");
    Shape dims;
    for (auto p : perm) dims.push_back(t.dims[static_cast<std::size_t>(p)]);
    Builder out(dims, t.isFloat(), t.type);
    const auto inStrides = stridesOf(t.dims);
    const auto outStrides = stridesOf(dims);
    const std::size_t n = checkedSize(dims);
    for (std::size_t i = 0; i < n; ++i) {
        Dim rest = static_cast<Dim>(i), index = 0;
        for (std::size_t d = 0; d < rank; ++d) {
            const Dim c = rest / outStrides[d];
            rest %= outStrides[d];
            index += c * inStrides[static_cast<std::size_t>(perm[d])];
        }
        out.push(t.value(static_cast<std::size_t>(index)));
    }
    return out.done();
}

OnnxTensor concat(const std::vector<const OnnxTensor*>& in, std::int64_t axisAttr)
{
    const Shape& first = in[0]->dims;
    if (first.empty())
        fail("Concat of scalars");
    const std::size_t axis = axisOf(axisAttr, first.size(), "Concat");
    Shape dims = first;
    dims[axis] = 0;
    for (const auto* t : in) {
        if (t->dims.size() != first.size())
            fail("Concat inputs differ in rank");
        for (std::size_t d = 0; d < first.size(); ++d)
            if (d != axis && t->dims[d] != first[d])
                fail("Concat inputs differ outside the axis");
        dims[axis] += t->dims[axis];
    }
    Builder out(dims, anyFloat(in), anyFloat(in) ? OnnxElementType::Float : in[0]->type);
    Dim outer = 1;
    for (std::size_t d = 0; d < axis; ++d) outer *= first[d];
    for (Dim o = 0; o < outer; ++o)
        for (const auto* t : in) {
            Dim block = 1;
            for (std::size_t d = axis; d < t->dims.size(); ++d) block *= t->dims[d];
            for (Dim j = 0; j < block; ++j)
                out.push(t->value(static_cast<std::size_t>(o * block + j)));
        }
    return out.done();
}

OnnxTensor slice(const OnnxTensor& t, std::vector<std::int64_t> starts, std::vector<std::int64_t> ends,
                 std::vector<std::int64_t> axes, std::vector<std::int64_t> steps)
{
    const std::size_t rank = t.dims.size();
    if (axes.empty())
        for (std::size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<std::int64_t>(i));
    if (steps.empty())
        steps.assign(starts.size(), 1);
    if (starts.size() != ends.size() || axes.size() != starts.size() || steps.size() != starts.size())
        fail("Slice starts, ends, axes and steps differ in length");
    std::vector<Dim> begin(rank, 0), step(rank, 1), count(t.dims);
    for (std::size_t i = 0; i < axes.size(); ++i) {
        const std::size_t a = axisOf(axes[i], rank, "Slice");
        const Dim dim = t.dims[a];
        const Dim s = steps[i];
        if (s == 0)
            fail("Slice step is 0");
        auto clampIndex = [&](Dim v, Dim lo, Dim hi) { return std::clamp(v < 0 ? v + dim : v, lo, hi); };
        Dim b = 0, n = 0;
        if (s > 0) {
            b = clampIndex(starts[i], 0, dim);
            const Dim e = clampIndex(ends[i], 0, dim);
            n = e > b ? (e - b + s - 1) / s : 0;
        } else {
            b = clampIndex(starts[i], 0, dim - 1);
            const Dim e = clampIndex(ends[i], -1, dim - 1);
            n = b > e ? (b - e - s - 1) / (-s) : 0;
        }
        begin[a] = b;
        step[a] = s;
        count[a] = n;
    }
    Builder out(count, t.isFloat(), t.type);
    const auto inStrides = stridesOf(t.dims);
    const auto outStrides = stridesOf(count);
    const std::size_t n = checkedSize(count);
    for (std::size_t i = 0; i < n; ++i) {
        Dim rest = static_cast<Dim>(i), index = 0;
        for (std::size_t d = 0; d < rank; ++d) {
            const Dim c = rest / outStrides[d];
            rest %= outStrides[d];
            index += (begin[d] + c * step[d]) * inStrides[d];
        }
        out.push(t.value(static_cast<std::size_t>(index)));
    }
    return out.done();
}

Shape reshapeTarget(const Shape& in, const std::vector<std::int64_t>& shape, bool allowZero)
{
    Shape out;
    Dim known = 1;
    int inferred = -1;
    for (std::size_t i = 0; i < shape.size(); ++i) {
        Dim d = shape[i];
        if (d == 0 && !allowZero) {
            if (i >= in.size())
                fail("Reshape copies dimension " + std::to_string(i) + " that the input lacks");
            d = in[i];
        } else if (d == -1) {
            if (inferred >= 0)
                fail("Reshape has two -1 entries");
            inferred = static_cast<int>(i);
            out.push_back(1);
            continue;
        } else if (d < 0) {
            fail("Reshape target has a negative entry " + std::to_string(d));
        }
        known = checkedMul(known, d);
        out.push_back(d);
    }
    Dim total = 1;
    for (Dim d : in) total = checkedMul(total, d);
    if (inferred >= 0) {
        if (known == 0 || total % known != 0)
            fail("Reshape cannot infer the -1 entry");
        out[static_cast<std::size_t>(inferred)] = total / known;
    } else if (known != total) {
        fail("Reshape changes the element count from " + std::to_string(total) + " to " + std::to_string(known));
    }
    return out;
}

OnnxTensor squeeze(const OnnxTensor& t, std::vector<std::int64_t> axes)
{
    Shape dims;
    std::set<std::size_t> drop;
    for (auto a : axes) drop.insert(axisOf(a, t.dims.size(), "Squeeze"));
    for (std::size_t d = 0; d < t.dims.size(); ++d) {
        const bool squeezed = axes.empty() ? t.dims[d] == 1 : drop.count(d) > 0;
        if (squeezed && t.dims[d] != 1)
            fail("Squeeze of a dimension of " + std::to_string(t.dims[d]));
        if (!squeezed)
            dims.push_back(t.dims[d]);
    }
    return withDims(t, dims);
}

OnnxTensor unsqueeze(const OnnxTensor& t, const std::vector<std::int64_t>& axes)
{
    const std::size_t rank = t.dims.size() + axes.size();
    std::set<std::size_t> inserted;
    for (auto a : axes) inserted.insert(axisOf(a, rank, "Unsqueeze"));
    if (inserted.size() != axes.size())
        fail("Unsqueeze lists an axis twice");
    Shape dims;
    std::size_t k = 0;
    for (std::size_t d = 0; d < rank; ++d)
        dims.push_back(inserted.count(d) ? 1 : t.dims[k++]);
    return withDims(t, dims);
}


}  // namespace cdx::onnxtensor
