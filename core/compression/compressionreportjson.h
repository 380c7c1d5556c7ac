#pragma once

#include "core/compression/compressionreport.h"

#include <nlohmann/json.hpp>

namespace cdx {

/// One layer's resolved setting and analysis, as `cdx compress --json` and `cdx estimate --json` show it.
nlohmann::ordered_json layerCompressionJson(const LayerCompressionReport& layer);

/// `cdx compress --json`: "format": "cdx-compression", the layers, totals and warnings.
nlohmann::ordered_json compressionReportJson(const NetworkCompressionReport& report);

}  // namespace cdx
