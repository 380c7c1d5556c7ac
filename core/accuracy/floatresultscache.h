#pragma once

#include "core/compression/quantizer.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cdx {

/// What the float network gave on a model's data: all a measurement needs of it but the per-layer
/// outputs. AccuracySession::open computes it (the float network over the calibration and the
/// evaluated examples) or reads it back from FloatResultsCache.
struct FloatResults {
    std::vector<ValueRange> ranges;     ///< per observed tensor: its range over the calibration examples
    std::vector<float> outputs;         ///< every evaluated example's first output, one after the other
    std::vector<std::uint64_t> offsets; ///< example i's output is outputs[offsets[i], offsets[i + 1]); examples + 1 entries
    std::vector<std::uint32_t> top1;    ///< the float network's class, per evaluated example
    double top1Pct = 0, top5Pct = 0;    ///< labelled data only

    std::int64_t examples() const { return static_cast<std::int64_t>(top1.size()); }
    std::span<const float> output(std::int64_t i) const;
};

/// The float network's results on disk, one binary file per model and data
/// ("float-<key>.bin", key from FloatResultsKey), so that a second session on the same model and
/// data skips the float network. A file is taken only whole: a wrong magic, version, key, size or
/// checksum (a truncated or damaged file) reads as absent and the results are computed again.
/// Folder: accuracyCacheFolder() ($CDX_ACCURACY_CACHE, else ~/.cache/cdx-accuracy; "off" disables).
class FloatResultsCache {
public:
    FloatResultsCache();
    /// An empty folder disables the cache (find finds nothing, store stores nothing).
    explicit FloatResultsCache(std::string folder);

    bool enabled() const { return !folder_.empty(); }
    const std::string& folder() const { return folder_; }
    std::string pathOf(const std::string& key) const;

    /// The results stored under `key`, if they are whole and have `observed` ranges and `examples` examples.
    std::optional<FloatResults> find(const std::string& key, std::size_t observed, std::int64_t examples) const;
    /// Written atomically (temporary file and rename); a failure to write only costs a later open.
    void store(const std::string& key, const FloatResults& results) const;

    /// The file format, for tests: serialise and parse (nullopt for anything but a whole file of this key).
    static std::string serialise(const std::string& key, const FloatResults& results);
    static std::optional<FloatResults> parse(std::string_view bytes, const std::string& key);

private:
    std::string folder_;
};

/// A 64-bit hash of everything that decides the float network's results: the model's bytes, the
/// preprocessed values and labels of both datasets, the observed tensors, the runtime's version.
/// Hashes the content itself (not file names or times), eight bytes at a time.
class FloatResultsKey {
public:
    FloatResultsKey& add(std::string_view bytes);
    FloatResultsKey& add(std::span<const float> values);
    FloatResultsKey& add(std::span<const std::int64_t> values);
    FloatResultsKey& add(std::int64_t value);
    std::uint64_t value() const;
    /// value() as 16 hex digits.
    std::string hex() const;

private:
    void mix(const unsigned char* bytes, std::size_t n);
    std::uint64_t lanes_[4] = {0x9e3779b97f4a7c15ull, 0xc2b2ae3d27d4eb4full, 0x165667b19e3779f9ull, 0x27d4eb2f165667c5ull};
    std::uint64_t length_ = 0;
};

}  // namespace cdx
