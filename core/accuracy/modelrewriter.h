#pragma once

#include "core/network/shape.h"
#include "core/util/result.h"

#include <string>
#include <vector>

namespace cdx {

/// A constant a node reads, replaced: the node is named by its first output (unique in a model,
/// subgraphs included), `input` is the position it reads the new values at.
struct TensorReplacement {
    std::string node;
    int input = 0;
    Shape dims;
    std::vector<float> values;
};

/// What a measurement changes in a model before ONNX Runtime runs it. The model's own bytes are
/// edited (not the session's initializers: ONNX Runtime ignores those it has constant-folded
/// at its higher optimisation levels, and models that keep weights in Constant nodes have none).
struct ModelRewrite {
    /// Each becomes a Constant node the reading node takes instead; the old tensor, if nothing
    /// else reads it, is left for ONNX Runtime to drop.
    std::vector<TensorReplacement> constants;
    /// Tensors of the main graph passed through the custom operator FakeQuant (domain
    /// kFakeQuantDomain) with attribute "id" = the index here: the producer's output is renamed,
    /// and the operator writes the old name, so that every reader and graph output sees the
    /// quantised values.
    std::vector<std::string> fakeQuantized;
    /// Tensors of the main graph added to the graph's outputs (float), to observe them. A
    /// fake-quantised tensor's values before quantisation are `name + kFloatSuffix`.
    std::vector<std::string> observed;
};

inline constexpr const char* kFakeQuantDomain = "ai.cdx";
inline constexpr const char* kFloatSuffix = ".cdx_float";

/// The rewritten model, serialised. Errors: a node or tensor the rewrite names that the model
/// lacks (Internal: the importer and the model disagree), bytes that are not a model (BadInput).
Result<std::string> rewriteOnnxModel(const std::string& bytes, const std::string& path, const ModelRewrite& rewrite);

/// The float tensors a model produces in its main graph, by node output, and the model's graph
/// inputs and outputs: what a measurement may observe or quantise.
struct OnnxGraphTensors {
    std::vector<std::string> nodeOutputs;
    std::vector<std::string> graphInputs;  ///< without initializers
    std::vector<std::string> graphOutputs;
};
Result<OnnxGraphTensors> onnxGraphTensors(const std::string& bytes, const std::string& path);

}  // namespace cdx
