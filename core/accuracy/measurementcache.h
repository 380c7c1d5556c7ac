#pragma once

#include "core/accuracy/projectaccuracy.h"

#include <map>
#include <optional>
#include <string>

namespace cdx {

/// What a measurement concluded, without its per-layer detail: what estimates and explorations keep.
struct MeasuredAccuracy {
    AccuracyMetric metric = AccuracyMetric::Top1;
    std::int64_t samples = 0;
    double floatMetric = 0;
    double compressedMetric = 0;
    double dropPp = 0;
    double agreement = 0;
    double outputSqnrDb = 0;
    std::vector<AccumulatorNeed> accumulators;  ///< AccuracyReport::accumulators

    /// The profiled widths by layer name: what CompressionPlan::accumulatorProfile takes.
    std::map<std::string, int> accumulatorProfile() const;

    static MeasuredAccuracy of(const AccuracyReport& report);
};

/// Measurements on disk, one small JSON file each, named by the compressed network's identity:
/// a hash of the model file's bytes, every layer's resolved compression setting, the accuracy
/// block and the number of examples. Compression is deterministic, so the same identity is the
/// same network on the same data: no point is run twice, across runs and `--resume`.
/// Folder: accuracyCacheFolder().
class MeasurementCache {
public:
    MeasurementCache();
    /// An empty folder disables the cache (find finds nothing, store stores nothing).
    explicit MeasurementCache(std::string folder);

    std::optional<MeasuredAccuracy> find(const std::string& key) const;
    /// Written atomically; a failure to write only costs a later measurement.
    void store(const std::string& key, const MeasuredAccuracy& measured) const;

    const std::string& folder() const { return folder_; }

private:
    std::string folder_;
};

/// The folder of the accuracy caches (this one and FloatResultsCache): $CDX_ACCURACY_CACHE, else
/// ~/.cache/cdx-accuracy; empty (caching off) when $CDX_ACCURACY_CACHE is "off".
std::string accuracyCacheFolder();

/// The identity of `plan` applied to the inputs' network, on its data (16 hex digits).
std::string measurementKey(const ProjectAccuracyInputs& inputs, const std::string& modelBytes, const CompressionPlan& plan,
                           std::int64_t samples);

/// measureProjectAccuracy through the cache: `cached` says whether it was found there.
Result<MeasuredAccuracy> measureProjectAccuracyCached(const Project& project, const AccuracyOptions& options, bool* cached = nullptr);

}  // namespace cdx
