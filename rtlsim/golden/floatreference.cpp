#include "rtlsim/golden/floatreference.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace cdx {

namespace {

using Dims = std::vector<std::int64_t>;

Error shapeError(const char* op, std::string message)
{
    return Error{ExitCode::BadInput, {}, op, std::move(message)};
}

std::string dimsText(const Dims& d)
{
    std::string s = "[";
    for (std::size_t i = 0; i < d.size(); ++i)
        s.append(i ? ", " : "").append(std::to_string(d[i]));
    return s.append("]");
}

std::size_t product(const Dims& d)
{
    std::size_t n = 1;
    for (auto v : d)
        n *= static_cast<std::size_t>(std::max<std::int64_t>(v, 0));
    return n;
}

std::int64_t at(const std::vector<std::int64_t>& v, std::size_t i, std::int64_t fallback)
{
    return i < v.size() ? v[i] : fallback;
}

}  // namespace

std::size_t FloatTensor::size() const
{
    return product(dims);
}

Result<FloatTensor> referenceConv(const FloatTensor& xIn, const FloatTensor& wIn, const FloatTensor* bias, const ConvAttributes& a)
{
    if (xIn.dims.size() != wIn.dims.size() || (xIn.dims.size() != 3 && xIn.dims.size() != 4))
        return shapeError("Conv", "input " + dimsText(xIn.dims) + " and weights " + dimsText(wIn.dims) + ": only 1-D and 2-D convolutions");
    if (xIn.data.size() != xIn.size() || wIn.data.size() != wIn.size())
        return shapeError("Conv", "tensor data do not match their dimensions");
    // 1-D as 2-D of height 1.
    const bool oneD = xIn.dims.size() == 3;
    auto as2d = [oneD](const Dims& d) { return oneD ? Dims{d[0], d[1], 1, d[2]} : d; };
    const Dims xd = as2d(xIn.dims), wd = as2d(wIn.dims);
    auto spatial = [oneD](const std::vector<std::int64_t>& v, std::size_t axis, std::int64_t fallback) {
        if (oneD)
            return axis == 0 ? fallback : at(v, 0, fallback);
        return at(v, axis, fallback);
    };
    const std::int64_t n = xd[0], c = xd[1], h = xd[2], wIn2 = xd[3];
    const std::int64_t m = wd[0], cg = wd[1], kh = wd[2], kw = wd[3];
    const std::int64_t g = a.group;
    if (g < 1 || c % g != 0 || m % g != 0 || cg != c / g)
        return shapeError("Conv", "input channels " + std::to_string(c) + ", weights " + dimsText(wIn.dims) + " and group " +
                                      std::to_string(g) + " do not fit");
    if (!a.kernelShape.empty() && (spatial(a.kernelShape, 0, 1) != kh || spatial(a.kernelShape, 1, 1) != kw))
        return shapeError("Conv", "kernel_shape does not match the weights " + dimsText(wIn.dims));
    const std::int64_t sh = spatial(a.strides, 0, 1), sw = spatial(a.strides, 1, 1);
    const std::int64_t dh = spatial(a.dilations, 0, 1), dw = spatial(a.dilations, 1, 1);
    if (sh < 1 || sw < 1 || dh < 1 || dw < 1)
        return shapeError("Conv", "strides and dilations must be positive");
    const std::size_t rank = oneD ? 1 : 2;
    std::int64_t padTop = oneD ? 0 : at(a.pads, 0, 0), padLeft = at(a.pads, oneD ? 0 : 1, 0);
    std::int64_t padBottom = oneD ? 0 : at(a.pads, rank, 0), padRight = at(a.pads, oneD ? 1 : 3, 0);
    const std::int64_t ekh = (kh - 1) * dh + 1, ekw = (kw - 1) * dw + 1;
    if (a.autoPad == "VALID") {
        padTop = padLeft = padBottom = padRight = 0;
    } else if (a.autoPad == "SAME_UPPER" || a.autoPad == "SAME_LOWER") {
        auto same = [&a](std::int64_t in, std::int64_t stride, std::int64_t extent, std::int64_t& begin, std::int64_t& end) {
            const std::int64_t out = (in + stride - 1) / stride;
            const std::int64_t total = std::max<std::int64_t>(0, (out - 1) * stride + extent - in);
            begin = a.autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
            end = total - begin;
        };
        if (!oneD)
            same(h, sh, ekh, padTop, padBottom);
        same(wIn2, sw, ekw, padLeft, padRight);
    } else if (a.autoPad != "NOTSET") {
        return shapeError("Conv", "auto_pad \"" + a.autoPad + "\" is not NOTSET, SAME_UPPER, SAME_LOWER or VALID");
    }
    const std::int64_t oh = (h + padTop + padBottom - ekh) / sh + 1;
    const std::int64_t ow = (wIn2 + padLeft + padRight - ekw) / sw + 1;
    if (oh < 1 || ow < 1)
        return shapeError("Conv", "the kernel is larger than the padded input");
    if (bias != nullptr && bias->size() != static_cast<std::size_t>(m))
        return shapeError("Conv", "bias " + dimsText(bias->dims) + " for " + std::to_string(m) + " output channels");
    FloatTensor y;
    y.dims = oneD ? Dims{n, m, ow} : Dims{n, m, oh, ow};
    y.data.resize(y.size());
    const std::int64_t mg = m / g;
    auto xAt = [&](std::int64_t b, std::int64_t ch, std::int64_t r, std::int64_t col) {
        return static_cast<double>(xIn.data[static_cast<std::size_t>(((b * c + ch) * h + r) * wIn2 + col)]);
    };
    for (std::int64_t b = 0; b < n; ++b)
        for (std::int64_t om = 0; om < m; ++om) {
            const std::int64_t grp = om / mg;
            for (std::int64_t r = 0; r < oh; ++r)
                for (std::int64_t col = 0; col < ow; ++col) {
                    double sum = bias != nullptr ? bias->data[static_cast<std::size_t>(om)] : 0.0;
                    for (std::int64_t ic = 0; ic < cg; ++ic)
                        for (std::int64_t i = 0; i < kh; ++i) {
                            const std::int64_t ir = r * sh - padTop + i * dh;
                            if (ir < 0 || ir >= h)
                                continue;
                            for (std::int64_t j = 0; j < kw; ++j) {
                                const std::int64_t jc = col * sw - padLeft + j * dw;
                                if (jc < 0 || jc >= wIn2)
                                    continue;
                                sum += xAt(b, grp * cg + ic, ir, jc) *
                                       wIn.data[static_cast<std::size_t>(((om * cg + ic) * kh + i) * kw + j)];
                            }
                        }
                    y.data[static_cast<std::size_t>(((b * m + om) * oh + r) * ow + col)] = static_cast<float>(sum);
                }
        }
    return y;
}

Result<FloatTensor> referenceGemm(const FloatTensor& a, const FloatTensor& b, const FloatTensor* c, const GemmAttributes& at)
{
    if (a.dims.size() != 2 || b.dims.size() != 2)
        return shapeError("Gemm", "A " + dimsText(a.dims) + " and B " + dimsText(b.dims) + " must be matrices");
    const std::int64_t m = at.transA ? a.dims[1] : a.dims[0], k = at.transA ? a.dims[0] : a.dims[1];
    const std::int64_t kb = at.transB ? b.dims[1] : b.dims[0], n = at.transB ? b.dims[0] : b.dims[1];
    if (k != kb)
        return shapeError("Gemm", "inner dimensions " + std::to_string(k) + " and " + std::to_string(kb) + " differ");
    // C broadcasts from the right: [], [1], [N], [1, N], [M, 1], [M, N].
    std::int64_t cm = 1, cn = 1;
    if (c != nullptr) {
        if (c->dims.size() > 2)
            return shapeError("Gemm", "C " + dimsText(c->dims) + " has more than two dimensions");
        cn = c->dims.empty() ? 1 : c->dims.back();
        cm = c->dims.size() == 2 ? c->dims[0] : 1;
        if ((cn != 1 && cn != n) || (cm != 1 && cm != m))
            return shapeError("Gemm", "C " + dimsText(c->dims) + " does not broadcast to [" + std::to_string(m) + ", " + std::to_string(n) + "]");
    }
    FloatTensor y;
    y.dims = {m, n};
    y.data.resize(y.size());
    for (std::int64_t i = 0; i < m; ++i)
        for (std::int64_t j = 0; j < n; ++j) {
            double sum = 0;
            for (std::int64_t p = 0; p < k; ++p) {
                const float av = at.transA ? a.data[static_cast<std::size_t>(p * m + i)] : a.data[static_cast<std::size_t>(i * k + p)];
                const float bv = at.transB ? b.data[static_cast<std::size_t>(j * k + p)] : b.data[static_cast<std::size_t>(p * n + j)];
                sum += static_cast<double>(av) * bv;
            }
            double out = at.alpha * sum;
            if (c != nullptr)
                out += static_cast<double>(at.beta) * c->data[static_cast<std::size_t>((cm == 1 ? 0 : i) * cn + (cn == 1 ? 0 : j))];
            y.data[static_cast<std::size_t>(i * n + j)] = static_cast<float>(out);
        }
    return y;
}

Result<FloatTensor> referenceMatMul(const FloatTensor& aIn, const FloatTensor& bIn)
{
    if (aIn.dims.empty() || bIn.dims.empty())
        return shapeError("MatMul", "operands must have at least one dimension");
    Dims ad = aIn.dims, bd = bIn.dims;
    const bool aVector = ad.size() == 1, bVector = bd.size() == 1;
    if (aVector)
        ad.insert(ad.begin(), 1);
    if (bVector)
        bd.push_back(1);
    const std::int64_t m = ad[ad.size() - 2], k = ad.back(), kb = bd[bd.size() - 2], n = bd.back();
    if (k != kb)
        return shapeError("MatMul", "A " + dimsText(aIn.dims) + " and B " + dimsText(bIn.dims) + ": inner dimensions differ");
    // Broadcast the batch dimensions.
    const std::size_t batchRank = std::max(ad.size(), bd.size()) - 2;
    Dims batch(batchRank), aBatch(batchRank, 1), bBatch(batchRank, 1);
    for (std::size_t i = 0; i < ad.size() - 2; ++i)
        aBatch[batchRank - (ad.size() - 2) + i] = ad[i];
    for (std::size_t i = 0; i < bd.size() - 2; ++i)
        bBatch[batchRank - (bd.size() - 2) + i] = bd[i];
    for (std::size_t i = 0; i < batchRank; ++i) {
        if (aBatch[i] != bBatch[i] && aBatch[i] != 1 && bBatch[i] != 1)
            return shapeError("MatMul", "batch dimensions of " + dimsText(aIn.dims) + " and " + dimsText(bIn.dims) + " do not broadcast");
        batch[i] = std::max(aBatch[i], bBatch[i]);
    }
    FloatTensor y;
    y.dims = batch;
    if (!aVector)
        y.dims.push_back(m);
    if (!bVector)
        y.dims.push_back(n);
    const std::size_t batches = product(batch);
    y.data.resize(batches * static_cast<std::size_t>(m * n));
    for (std::size_t t = 0; t < batches; ++t) {
        // The flat batch index of each operand (a broadcast dimension stays at 0).
        std::size_t rest = t, aOff = 0, bOff = 0, aStride = 1, bStride = 1;
        for (std::size_t i = batchRank; i-- > 0;) {
            const std::size_t idx = rest % static_cast<std::size_t>(batch[i]);
            rest /= static_cast<std::size_t>(batch[i]);
            aOff += (aBatch[i] == 1 ? 0 : idx) * aStride;
            bOff += (bBatch[i] == 1 ? 0 : idx) * bStride;
            aStride *= static_cast<std::size_t>(aBatch[i]);
            bStride *= static_cast<std::size_t>(bBatch[i]);
        }
        const float* a = aIn.data.data() + aOff * static_cast<std::size_t>(m * k);
        const float* b = bIn.data.data() + bOff * static_cast<std::size_t>(k * n);
        float* out = y.data.data() + t * static_cast<std::size_t>(m * n);
        for (std::int64_t i = 0; i < m; ++i)
            for (std::int64_t j = 0; j < n; ++j) {
                double sum = 0;
                for (std::int64_t p = 0; p < k; ++p)
                    sum += static_cast<double>(a[i * k + p]) * b[p * n + j];
                out[i * n + j] = static_cast<float>(sum);
            }
    }
    return y;
}

Result<LstmOutputs> referenceLstm(const FloatTensor& x, const FloatTensor& w, const FloatTensor& r, const FloatTensor* b,
                                  const FloatTensor* sequenceLens, const FloatTensor* initialH, const FloatTensor* initialC,
                                  const FloatTensor* peepholes, const LstmAttributes& at)
{
    if (x.dims.size() != 3 || w.dims.size() != 3 || r.dims.size() != 3)
        return shapeError("LSTM", "X, W and R must have three dimensions");
    const bool batchFirst = at.layout == 1;
    const std::int64_t seq = batchFirst ? x.dims[1] : x.dims[0], batch = batchFirst ? x.dims[0] : x.dims[1], input = x.dims[2];
    const std::int64_t dirs = at.direction == "bidirectional" ? 2 : 1;
    if (at.direction != "forward" && at.direction != "reverse" && at.direction != "bidirectional")
        return shapeError("LSTM", "direction \"" + at.direction + "\" is not forward, reverse or bidirectional");
    const std::int64_t hidden = at.hiddenSize > 0 ? at.hiddenSize : r.dims[2];
    if (w.dims != Dims{dirs, 4 * hidden, input} || r.dims != Dims{dirs, 4 * hidden, hidden})
        return shapeError("LSTM", "W " + dimsText(w.dims) + " or R " + dimsText(r.dims) + " does not fit " + std::to_string(dirs) +
                                      " direction(s), hidden size " + std::to_string(hidden) + " and input size " + std::to_string(input));
    if (b != nullptr && b->size() != static_cast<std::size_t>(dirs * 8 * hidden))
        return shapeError("LSTM", "B " + dimsText(b->dims) + " does not fit");
    if (peepholes != nullptr && peepholes->size() != static_cast<std::size_t>(dirs * 3 * hidden))
        return shapeError("LSTM", "P " + dimsText(peepholes->dims) + " does not fit");
    const std::size_t stateSize = static_cast<std::size_t>(dirs * batch * hidden);
    if ((initialH != nullptr && initialH->size() != stateSize) || (initialC != nullptr && initialC->size() != stateSize))
        return shapeError("LSTM", "initial_h or initial_c does not fit");
    std::vector<std::string> names = at.activations;
    if (names.empty())
        for (std::int64_t d = 0; d < dirs; ++d)
            names.insert(names.end(), {"Sigmoid", "Tanh", "Tanh"});
    if (names.size() != static_cast<std::size_t>(3 * dirs))
        return shapeError("LSTM", "activations must name 3 functions per direction");
    std::vector<std::function<double(double)>> fns;
    for (const std::string& name : names) {
        if (name == "Sigmoid")
            fns.emplace_back([](double v) { return 1 / (1 + std::exp(-v)); });
        else if (name == "Tanh")
            fns.emplace_back([](double v) { return std::tanh(v); });
        else if (name == "Relu")
            fns.emplace_back([](double v) { return std::max(0.0, v); });
        else
            return shapeError("LSTM", "activation \"" + name + "\" is not supported (Sigmoid, Tanh, Relu)");
    }
    const std::size_t H = static_cast<std::size_t>(hidden);
    LstmOutputs out;
    out.y.dims = batchFirst ? Dims{batch, seq, dirs, hidden} : Dims{seq, dirs, batch, hidden};
    out.y.data.assign(out.y.size(), 0.0f);
    out.yH.dims = batchFirst ? Dims{batch, dirs, hidden} : Dims{dirs, batch, hidden};
    out.yC.dims = out.yH.dims;
    out.yH.data.assign(stateSize, 0.0f);
    out.yC.data.assign(stateSize, 0.0f);
    auto xAt = [&](std::int64_t t, std::int64_t bi, std::int64_t i) {
        return static_cast<double>(x.data[static_cast<std::size_t>(batchFirst ? (bi * seq + t) * input + i : (t * batch + bi) * input + i)]);
    };
    auto clip = [&at](double v) { return at.clip > 0 ? std::clamp(v, -static_cast<double>(at.clip), static_cast<double>(at.clip)) : v; };
    for (std::int64_t d = 0; d < dirs; ++d) {
        const bool reverse = at.direction == "reverse" || d == 1;
        const auto& f = fns[static_cast<std::size_t>(3 * d)];
        const auto& g = fns[static_cast<std::size_t>(3 * d + 1)];
        const auto& h = fns[static_cast<std::size_t>(3 * d + 2)];
        const float* wd = w.data.data() + static_cast<std::size_t>(d) * 4 * H * static_cast<std::size_t>(input);
        const float* rd = r.data.data() + static_cast<std::size_t>(d) * 4 * H * H;
        for (std::int64_t bi = 0; bi < batch; ++bi) {
            const std::size_t stateAt = static_cast<std::size_t>((d * batch + bi) * hidden);
            std::vector<double> hs(H, 0.0), cs(H, 0.0);
            for (std::size_t j = 0; j < H; ++j) {
                hs[j] = initialH != nullptr ? initialH->data[stateAt + j] : 0.0;
                cs[j] = initialC != nullptr ? initialC->data[stateAt + j] : 0.0;
            }
            const std::int64_t len = sequenceLens != nullptr ? static_cast<std::int64_t>(sequenceLens->data[static_cast<std::size_t>(bi)]) : seq;
            for (std::int64_t step = 0; step < std::min(len, seq); ++step) {
                const std::int64_t t = reverse ? std::min(len, seq) - 1 - step : step;
                std::vector<double> gates(4 * H);
                for (std::size_t q = 0; q < 4 * H; ++q) {
                    double sum = 0;
                    for (std::int64_t i = 0; i < input; ++i)
                        sum += xAt(t, bi, i) * wd[q * static_cast<std::size_t>(input) + static_cast<std::size_t>(i)];
                    for (std::size_t j = 0; j < H; ++j)
                        sum += hs[j] * rd[q * H + j];
                    if (b != nullptr)
                        sum += static_cast<double>(b->data[static_cast<std::size_t>(d) * 8 * H + q]) + b->data[static_cast<std::size_t>(d) * 8 * H + 4 * H + q];
                    gates[q] = sum;
                }
                const float* p = peepholes != nullptr ? peepholes->data.data() + static_cast<std::size_t>(d) * 3 * H : nullptr;
                for (std::size_t j = 0; j < H; ++j) {
                    const double iGate = f(clip(gates[j] + (p ? p[j] * cs[j] : 0.0)));
                    double fGate = f(clip(gates[2 * H + j] + (p ? p[2 * H + j] * cs[j] : 0.0)));
                    if (at.inputForget)
                        fGate = 1 - iGate;
                    const double cand = g(clip(gates[3 * H + j]));
                    cs[j] = fGate * cs[j] + iGate * cand;
                    const double oGate = f(clip(gates[H + j] + (p ? p[H + j] * cs[j] : 0.0)));
                    hs[j] = oGate * h(cs[j]);
                    const std::size_t yAt = static_cast<std::size_t>(batchFirst ? ((bi * seq + t) * dirs + d) * hidden : ((t * dirs + d) * batch + bi) * hidden) + j;
                    out.y.data[yAt] = static_cast<float>(hs[j]);
                }
            }
            for (std::size_t j = 0; j < H; ++j) {
                const std::size_t sAt = static_cast<std::size_t>(batchFirst ? (bi * dirs + d) * hidden : (d * batch + bi) * hidden) + j;
                out.yH.data[sAt] = static_cast<float>(hs[j]);
                out.yC.data[sAt] = static_cast<float>(cs[j]);
            }
        }
    }
    return out;
}

}  // namespace cdx
