#pragma once

#include "core/explore/metric.h"
#include "estimators/results/networkresult.h"

namespace cdx {

/// The metrics of a network result (a design point's objectives and constraints choose from
/// these). Free of the evaluator's threading headers, for the GUI.
MetricValues networkMetrics(const NetworkResult& result);

}  // namespace cdx
