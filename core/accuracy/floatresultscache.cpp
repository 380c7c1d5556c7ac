#include "core/accuracy/floatresultscache.h"

#include "core/accuracy/measurementcache.h"
#include "core/util/fileio.h"

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <type_traits>

namespace cdx {

namespace {

// Bump kVersion when what the file holds, or what open computes into it, changes.
constexpr char kMagic[8] = {'C', 'D', 'X', 'F', 'L', 'O', 'A', 'T'};
constexpr std::uint32_t kVersion = 1;
/// Results larger than this are not cached (readTextFile's limit; MNIST's are 0.5 MB).
constexpr std::size_t kMaxFileBytes = 256u << 20;

std::uint64_t finalMix(std::uint64_t h)
{
    // splitmix64's finaliser.
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebull;
    h ^= h >> 31;
    return h;
}

std::uint64_t checksum(std::string_view bytes)
{
    return FloatResultsKey().add(bytes).value();
}

/// Appends plain values in the machine's byte order (a cache belongs to one machine).
class Writer {
public:
    template <class T>
    void put(const T& v)
    {
        static_assert(std::is_trivially_copyable_v<T>);
        out.append(reinterpret_cast<const char*>(&v), sizeof v);
    }
    template <class T>
    void putAll(const std::vector<T>& v)
    {
        put(static_cast<std::uint64_t>(v.size()));
        out.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
    }
    std::string out;
};

/// Reads them back, every read bounds-checked: a short file fails, never reads past the end.
class Reader {
public:
    explicit Reader(std::string_view bytes) : bytes_(bytes) {}
    template <class T>
    bool get(T& v)
    {
        if (bytes_.size() - pos_ < sizeof v)
            return false;
        std::memcpy(&v, bytes_.data() + pos_, sizeof v);
        pos_ += sizeof v;
        return true;
    }
    template <class T>
    bool getAll(std::vector<T>& v)
    {
        std::uint64_t n = 0;
        if (!get(n) || n > (bytes_.size() - pos_) / sizeof(T))
            return false;
        v.resize(static_cast<std::size_t>(n));
        std::memcpy(v.data(), bytes_.data() + pos_, static_cast<std::size_t>(n) * sizeof(T));
        pos_ += static_cast<std::size_t>(n) * sizeof(T);
        return true;
    }
    bool atEnd() const { return pos_ == bytes_.size(); }

private:
    std::string_view bytes_;
    std::size_t pos_ = 0;
};

}  // namespace

std::span<const float> FloatResults::output(std::int64_t i) const
{
    const auto k = static_cast<std::size_t>(i);
    return {outputs.data() + offsets[k], static_cast<std::size_t>(offsets[k + 1] - offsets[k])};
}

FloatResultsCache::FloatResultsCache() : folder_(accuracyCacheFolder()) {}
FloatResultsCache::FloatResultsCache(std::string folder) : folder_(std::move(folder)) {}

std::string FloatResultsCache::pathOf(const std::string& key) const
{
    return (std::filesystem::path(folder_) / ("float-" + key + ".bin")).string();
}

std::string FloatResultsCache::serialise(const std::string& key, const FloatResults& r)
{
    Writer w;
    w.out.append(kMagic, sizeof kMagic);
    w.put(kVersion);
    w.putAll(std::vector<char>(key.begin(), key.end()));
    w.put(static_cast<std::uint64_t>(r.ranges.size()));
    for (const ValueRange& v : r.ranges) {
        w.put(v.minValue);
        w.put(v.maxValue);
        w.put(v.maxAbs);
        w.put(v.medianAbs);
        w.put(v.rms);
        w.put(static_cast<std::uint8_t>(v.measured));
    }
    w.putAll(r.offsets);
    w.putAll(r.outputs);
    w.putAll(r.top1);
    w.put(r.top1Pct);
    w.put(r.top5Pct);
    w.put(checksum(w.out));
    return std::move(w.out);
}

std::optional<FloatResults> FloatResultsCache::parse(std::string_view bytes, const std::string& key)
{
    std::uint64_t sum = 0;
    if (bytes.size() < sizeof kMagic + sizeof sum || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
        return std::nullopt;
    const std::string_view body = bytes.substr(0, bytes.size() - sizeof sum);
    std::memcpy(&sum, bytes.data() + body.size(), sizeof sum);
    if (sum != checksum(body))
        return std::nullopt;
    Reader in(body.substr(sizeof kMagic));
    std::uint32_t version = 0;
    std::vector<char> storedKey;
    std::uint64_t ranges = 0;
    if (!in.get(version) || version != kVersion || !in.getAll(storedKey) || std::string(storedKey.begin(), storedKey.end()) != key ||
        !in.get(ranges) || ranges > body.size())
        return std::nullopt;
    FloatResults r;
    r.ranges.resize(static_cast<std::size_t>(ranges));
    for (ValueRange& v : r.ranges) {
        std::uint8_t measured = 0;
        if (!in.get(v.minValue) || !in.get(v.maxValue) || !in.get(v.maxAbs) || !in.get(v.medianAbs) || !in.get(v.rms) || !in.get(measured))
            return std::nullopt;
        v.measured = measured != 0;
    }
    if (!in.getAll(r.offsets) || !in.getAll(r.outputs) || !in.getAll(r.top1) || !in.get(r.top1Pct) || !in.get(r.top5Pct) || !in.atEnd())
        return std::nullopt;
    // The offsets must describe the outputs: one more than the examples, rising, ending at the end.
    if (r.offsets.size() != r.top1.size() + 1 || r.offsets.front() != 0 || r.offsets.back() != r.outputs.size())
        return std::nullopt;
    for (std::size_t i = 1; i < r.offsets.size(); ++i)
        if (r.offsets[i] < r.offsets[i - 1])
            return std::nullopt;
    return r;
}

std::optional<FloatResults> FloatResultsCache::find(const std::string& key, std::size_t observed, std::int64_t examples) const
{
    if (!enabled())
        return std::nullopt;
    const std::string path = pathOf(key);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return std::nullopt;
    auto bytes = readTextFile(path);
    if (!bytes)
        return std::nullopt;
    auto r = parse(bytes.value(), key);
    if (!r || r->ranges.size() != observed || r->examples() != examples)
        return std::nullopt;  // damaged, older, or (a hash collision) another network's
    return r;
}

void FloatResultsCache::store(const std::string& key, const FloatResults& results) const
{
    if (!enabled() || results.outputs.size() * sizeof(float) > kMaxFileBytes / 2)
        return;
    std::error_code ec;
    std::filesystem::create_directories(folder_, ec);
    (void)writeFileAtomically(pathOf(key), serialise(key, results));
}

void FloatResultsKey::mix(const unsigned char* bytes, std::size_t n)
{
    constexpr std::uint64_t kPrime = 0x9fb21c651e98df25ull;
    std::size_t i = 0;
    // Four independent lanes, so that the multiplications overlap.
    for (; i + 32 <= n; i += 32)
        for (int lane = 0; lane < 4; ++lane) {
            std::uint64_t word;
            std::memcpy(&word, bytes + i + 8 * static_cast<std::size_t>(lane), 8);
            std::uint64_t& h = lanes_[lane];
            h = (h ^ word) * kPrime;
            h ^= h >> 32;
        }
    for (int lane = 0; i < n; ++lane, i += 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, bytes + i, std::min<std::size_t>(8, n - i));
        std::uint64_t& h = lanes_[lane];
        h = (h ^ word) * kPrime;
        h ^= h >> 32;
    }
    length_ += n;
}

FloatResultsKey& FloatResultsKey::add(std::string_view bytes)
{
    add(static_cast<std::int64_t>(bytes.size()));  // so that "ab" + "c" is not "a" + "bc"
    mix(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    return *this;
}

FloatResultsKey& FloatResultsKey::add(std::span<const float> values)
{
    add(static_cast<std::int64_t>(values.size()));
    mix(reinterpret_cast<const unsigned char*>(values.data()), values.size_bytes());
    return *this;
}

FloatResultsKey& FloatResultsKey::add(std::span<const std::int64_t> values)
{
    add(static_cast<std::int64_t>(values.size()));
    mix(reinterpret_cast<const unsigned char*>(values.data()), values.size_bytes());
    return *this;
}

FloatResultsKey& FloatResultsKey::add(std::int64_t value)
{
    mix(reinterpret_cast<const unsigned char*>(&value), sizeof value);
    return *this;
}

std::uint64_t FloatResultsKey::value() const
{
    std::uint64_t h = finalMix(length_);
    for (const std::uint64_t lane : lanes_)
        h = finalMix(h ^ finalMix(lane));
    return h;
}

std::string FloatResultsKey::hex() const
{
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value()));
    return text;
}

}  // namespace cdx
