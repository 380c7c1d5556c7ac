#pragma once

#include "core/network/network.h"
#include "core/onnx/onnxmodel.h"
#include "core/util/result.h"

#include <map>
#include <string>

namespace cdx {

struct OnnxImportOptions {
    DimBindings dims;  ///< values for symbolic input dimensions (batch, seq_len, or the file's names)
    /// The branch to take of an If whose condition is not known at import.
    enum class Branch { Then, Else } unknownIfBranch = Branch::Then;
};

/// What the importer met, beside the network it made.
struct OnnxImportReport {
    std::int64_t irVersion = 0;
    std::int64_t opset = 0;
    std::string producer;
    std::int64_t nodes = 0;                ///< in the main graph and the branches taken
    std::int64_t storedFloatElements = 0;  ///< float constants the file's graph uses
    std::map<std::string, int> unmodelled; ///< operator -> how many became "other" layers
};

/// Imports an ONNX file into the network model: constants folded, If branches inlined, weights
/// kept on the layers. Never fails for one operator it does not model (that becomes an
/// "other" layer and a warning); fails with the file and node for what it cannot read.
Result<Network> importOnnxFile(const std::string& path, const OnnxImportOptions& options = {},
                               OnnxImportReport* report = nullptr);

/// The same for a model already read (tests build these by hand).
Result<Network> importOnnxModel(const OnnxModel& model, const OnnxImportOptions& options = {},
                                OnnxImportReport* report = nullptr);

}  // namespace cdx
