#pragma once

#include "core/compression/compressionplan.h"
#include "core/util/result.h"

#include <optional>
#include <string>
#include <vector>

namespace cdx {

/// A per-layer accuracy sensitivity table a user measured (CSV with the header
/// `layer,setting,accuracy_drop`): each row says that compressing the layers matching `layer`
/// (a glob) with a setting that has every token of `setting` loses `accuracy_drop` percentage
/// points. Tokens (space separated): w8, a8 (bits), w:int, a:fp8_e5m2 or a bare format (the
/// weights'), a pruning kind (dense, unstructured, topk, ...), its parameters as key=value
/// (density=0.1, group=16, k=2, blocks=10, keep=0.5, n=2, m=4, size=8, b=16, groups=4, pes=32),
/// fast=winograd_f2x3, granularity=channel or granularity=tensor (the weights'). The most
/// specific matching row (most tokens; the first on a tie) wins.
class SensitivityTable {
public:
    struct Row {
        std::string layerGlob;
        std::vector<std::string> tokens;  ///< normalised
        double drop = 0;
        int line = 0;
    };

    static Result<SensitivityTable> parse(const std::string& text, const std::string& file);
    static Result<SensitivityTable> load(const std::string& path);

    /// The matching row for a layer and its setting, if any.
    const Row* find(const std::string& layerName, const LayerCompression& setting) const;
    const std::vector<Row>& rows() const { return rows_; }
    const std::string& file() const { return file_; }

private:
    std::vector<Row> rows_;
    std::string file_;
};

/// The tokens a layer's setting has (what rows are matched against).
std::vector<std::string> settingTokens(const LayerCompression& setting);

}  // namespace cdx
