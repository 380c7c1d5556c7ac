#pragma once

#include "core/onnx/onnximportcontext.h"

#include <map>
#include <string>

// The per-operator mappers of the ONNX importer: each turns one node (or a small pattern
// starting at it) into layers of the network model.
namespace cdx {

using OnnxMapper = void (*)(const OnnxNode& node, OnnxImportContext& ctx);

/// The mapper for an operator of the default domain, or null.
OnnxMapper findOnnxMapper(const std::string& opType);

/// Keeps a node the tool does not model as an "other" layer with its element counts.
void mapUnmodelled(const OnnxNode& node, OnnxImportContext& ctx);

// Families, each in its own file; they add their mappers to the table.
void addConvMappers(std::map<std::string, OnnxMapper>& table);
void addLinearMappers(std::map<std::string, OnnxMapper>& table);
void addRecurrentMappers(std::map<std::string, OnnxMapper>& table);
void addElementwiseMappers(std::map<std::string, OnnxMapper>& table);
void addShapeMappers(std::map<std::string, OnnxMapper>& table);

// Helpers shared by the families.
namespace onnxmap {

/// A layer of the given kind reading `inputs` and writing the node's first output.
Layer makeLayer(OnnxImportContext& ctx, const OnnxNode& node, LayerKind kind, std::vector<std::string> inputs,
                LayerParams params);

/// If the node's only reader is an Add of a constant with `channels` elements laid along
/// `axisFromEnd` (0: the last axis, as for fc; the spatial rank for conv), returns that Add,
/// so the caller can take the constant as its bias.
const OnnxNode* trailingBiasAdd(const OnnxImportContext& ctx, const OnnxNode& node, Dim channels,
                                std::size_t axisFromEnd);

/// The constant operand of a trailing bias Add (the input that is not the node's output).
const OnnxTensor& biasOf(const OnnxImportContext& ctx, const OnnxNode& add, const std::string& produced);

/// Appends WeightTensors for every float constant among the node's inputs (for "other" layers
/// and fused patterns, so that their parameters count).
void attachFloatConstants(const OnnxImportContext& ctx, const OnnxNode& node, Layer& layer, const char* role);

}  // namespace onnxmap

}  // namespace cdx
