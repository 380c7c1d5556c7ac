#include "core/explore/explorefiles.h"

#include "core/explore/explorer.h"
#include "core/explore/pareto.h"
#include "core/util/fileio.h"
#include "core/util/jsonwriter.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>

namespace cdx::explorefiles {

namespace {

std::string csvField(const std::string& text)
{
    if (text.find_first_of(",\"\n\r") == std::string::npos)
        return text;
    std::string quoted = "\"";
    for (char c : text) {
        if (c == '"')
            quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

std::string exact(double v)
{
    char text[40];
    std::snprintf(text, sizeof text, "%.17g", v);
    return text;
}

/// Splits CSV text into records of fields (RFC 4180 quoting). `complete` is false for a last
/// record that has no newline after it.
struct CsvRecord {
    std::vector<std::string> fields;
    std::size_t line = 0;
    bool complete = false;
};

std::vector<CsvRecord> parseCsv(const std::string& text)
{
    std::vector<CsvRecord> records;
    CsvRecord record;
    std::string field;
    bool quoted = false, fieldStarted = false;
    std::size_t line = 1;
    record.line = 1;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                if (c == '\n')
                    ++line;
                field += c;
            }
            continue;
        }
        if (c == '"' && field.empty()) {
            quoted = true;
            fieldStarted = true;
        } else if (c == ',') {
            record.fields.push_back(std::move(field));
            field.clear();
            fieldStarted = true;
        } else if (c == '\n') {
            record.fields.push_back(std::move(field));
            field.clear();
            record.complete = true;
            records.push_back(std::move(record));
            record = CsvRecord{};
            record.line = ++line;
            fieldStarted = false;
        } else if (c != '\r') {
            field += c;
            fieldStarted = true;
        }
    }
    if (fieldStarted || !field.empty() || !record.fields.empty()) {
        record.fields.push_back(std::move(field));
        records.push_back(std::move(record));
    }
    return records;
}

/// Bounds of every objective over the feasible points, for normalisation.
void objectiveBounds(const DesignSpace& space, const std::vector<Evaluation>& points, std::vector<double>& lo, std::vector<double>& hi)
{
    const std::size_t m = space.objectives().size();
    lo.assign(m, std::numeric_limits<double>::infinity());
    hi.assign(m, -std::numeric_limits<double>::infinity());
    for (const Evaluation& e : points)
        if (e.feasible)
            for (std::size_t j = 0; j < m; ++j) {
                lo[j] = std::min(lo[j], e.objectives[j]);
                hi[j] = std::max(hi[j], e.objectives[j]);
            }
}

ObjectiveVector normalise(const ObjectiveVector& v, const std::vector<double>& lo, const std::vector<double>& hi)
{
    ObjectiveVector n(v.size());
    for (std::size_t j = 0; j < v.size(); ++j)
        n[j] = hi[j] > lo[j] ? (v[j] - lo[j]) / (hi[j] - lo[j]) : 0.0;
    return n;
}

}  // namespace

std::string pointsHeader(const DesignSpace& space)
{
    std::string header = "key,feasible,reason";
    for (const Axis& a : space.axes())
        header.append(",").append(csvField(a.name));
    for (std::size_t m = 0; m < kMetricCount; ++m)
        header.append(",").append(metricName(static_cast<Metric>(m)));
    return header + "\n";
}

std::string pointRow(const DesignSpace& space, const Evaluation& e)
{
    std::string row = e.key + "," + (e.feasible ? "1" : "0") + "," + csvField(e.reason);
    for (std::size_t a = 0; a < space.axes().size(); ++a)
        row.append(",").append(csvField(space.axes()[a].values[static_cast<std::size_t>(e.genome[a])].dump()));
    for (std::size_t m = 0; m < kMetricCount; ++m)
        row.append(",").append(e.estimated ? exact(e.metrics[m]) : std::string());
    return row + "\n";
}

Result<std::vector<Evaluation>> readPoints(const DesignSpace& space, const std::string& path, std::size_t* partialLines)
{
    auto text = readTextFile(path);
    if (!text)
        return text.error();
    if (partialLines)
        *partialLines = 0;
    std::vector<CsvRecord> records = parseCsv(text.value());
    if (records.empty() || !records.front().complete)
        return Error{ExitCode::BadInput, path, "line 1", "no header: this is not the points.csv of a cdx explore run"};
    const std::string header = pointsHeader(space);
    std::string got;
    for (std::size_t i = 0; i < records.front().fields.size(); ++i)
        got.append(i ? "," : "").append(csvField(records.front().fields[i]));
    if (got + "\n" != header)
        return Error{ExitCode::BadInput, path, "line 1", "the columns are not those of this design space (was the project's explore block changed?)"};
    const std::size_t columns = 3 + space.axes().size() + kMetricCount;
    std::vector<Evaluation> points;
    for (std::size_t r = 1; r < records.size(); ++r) {
        const CsvRecord& rec = records[r];
        const std::string where = "line " + std::to_string(rec.line);
        if (!rec.complete) {
            if (partialLines)
                ++*partialLines;
            continue;
        }
        if (rec.fields.size() != columns)
            return Error{ExitCode::BadInput, path, where,
                         "has " + std::to_string(rec.fields.size()) + " fields, the header " + std::to_string(columns)};
        const auto genome = space.parseKey(rec.fields[0]);
        if (!genome)
            return Error{ExitCode::BadInput, path, where, "\"" + rec.fields[0] + "\" is not a point of this design space"};
        PointEstimate estimate;
        estimate.ok = !rec.fields[3 + space.axes().size()].empty();
        if (estimate.ok) {
            for (std::size_t m = 0; m < kMetricCount; ++m) {
                const std::string& cell = rec.fields[3 + space.axes().size() + m];
                char* end = nullptr;
                estimate.metrics[m] = std::strtod(cell.c_str(), &end);
                if (cell.empty() || end != cell.c_str() + cell.size())
                    return Error{ExitCode::BadInput, path, where,
                                 "column " + std::string(metricName(static_cast<Metric>(m))) + ": \"" + cell + "\" is not a number"};
            }
        } else {
            estimate.reason = rec.fields[2];
        }
        points.push_back(judge(space, *genome, estimate));
    }
    return points;
}

nlohmann::ordered_json frontJson(const DesignSpace& space, const std::vector<Evaluation>& points, const std::vector<std::size_t>& front)
{
    nlohmann::ordered_json doc;
    doc["format"] = "cdx-front";
    doc["version"] = 1;
    doc["signature"] = space.signature();
    auto& objectives = doc["objectives"] = nlohmann::ordered_json::array();
    for (const Objective& o : space.objectives())
        objectives.push_back({{"metric", metricName(o.metric)}, {"goal", o.maximise ? "max" : "min"}});
    std::size_t feasible = 0;
    for (const Evaluation& e : points)
        feasible += e.feasible ? 1 : 0;
    doc["points_evaluated"] = points.size();
    doc["points_feasible"] = feasible;

    // Hypervolume and knee on the objectives normalised over every feasible point.
    std::vector<double> lo, hi;
    objectiveBounds(space, points, lo, hi);
    ObjectiveVector reference(space.objectives().size(), 1.1);
    if (!space.reference().empty())
        for (std::size_t j = 0; j < reference.size(); ++j) {
            const double r = space.objectives()[j].maximise ? -space.reference()[j] : space.reference()[j];
            reference[j] = hi[j] > lo[j] ? (r - lo[j]) / (hi[j] - lo[j]) : r - lo[j];
        }
    std::vector<ObjectiveVector> normalised;
    std::vector<std::size_t> positions;
    for (std::size_t i = 0; i < front.size(); ++i) {
        normalised.push_back(normalise(points[front[i]].objectives, lo, hi));
        positions.push_back(i);
    }
    doc["hypervolume"] = front.empty() ? 0.0 : hypervolume(normalised, reference);
    const std::size_t knee = kneePoint(normalised, positions);
    doc["knee"] = knee < front.size() ? nlohmann::ordered_json(points[front[knee]].key) : nlohmann::ordered_json();
    auto& list = doc["points"] = nlohmann::ordered_json::array();
    for (std::size_t i : front) {
        const Evaluation& e = points[i];
        nlohmann::ordered_json p;
        p["key"] = e.key;
        auto& settings = p["settings"] = nlohmann::ordered_json::object();
        for (std::size_t a = 0; a < space.axes().size(); ++a)
            settings[space.axes()[a].name] = space.axes()[a].values[static_cast<std::size_t>(e.genome[a])];
        auto& metrics = p["metrics"] = nlohmann::ordered_json::object();
        for (std::size_t m = 0; m < kMetricCount; ++m)
            metrics[std::string(metricName(static_cast<Metric>(m)))] = e.metrics[m];
        list.push_back(std::move(p));
    }
    return doc;
}

nlohmann::ordered_json summaryJson(const DesignSpace& space, const std::vector<Evaluation>& points, const nlohmann::ordered_json& frontDoc)
{
    nlohmann::ordered_json doc;
    doc["format"] = "cdx-explore-summary";
    doc["version"] = 1;
    doc["signature"] = space.signature();
    std::size_t feasible = 0;
    std::map<std::string, std::size_t> reasons;
    for (const Evaluation& e : points) {
        if (e.feasible)
            ++feasible;
        else
            ++reasons[e.reason];
    }
    doc["points"] = points.size();
    doc["feasible"] = feasible;
    doc["infeasible"] = points.size() - feasible;
    std::vector<std::pair<std::string, std::size_t>> common(reasons.begin(), reasons.end());
    std::stable_sort(common.begin(), common.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    auto& why = doc["infeasible_reasons"] = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < common.size() && i < 10; ++i)
        why.push_back({{"reason", common[i].first}, {"points", common[i].second}});
    doc["front"] = frontDoc["points"].size();
    doc["hypervolume"] = frontDoc["hypervolume"];
    doc["knee"] = frontDoc["knee"];
    return doc;
}

std::optional<Error> writeResults(const std::string& dir, const nlohmann::ordered_json& frontDoc, const nlohmann::ordered_json& summary)
{
    if (auto error = writeFileAtomically(dir + "/" + kFront, formatJson(frontDoc, 3)))
        return error;
    return writeFileAtomically(dir + "/" + kSummary, formatJson(summary, 2));
}

nlohmann::ordered_json runJson(const DesignSpace& space, const std::string& projectPath, Shard shard)
{
    nlohmann::ordered_json doc;
    doc["format"] = "cdx-explore-run";
    doc["version"] = 1;
    doc["signature"] = space.signature();
    doc["project"] = projectPath;
    doc["shard"] = std::to_string(shard.index) + "/" + std::to_string(shard.count);
    const char* strategy = space.search().strategy == SearchSpec::Strategy::Grid     ? "grid"
                           : space.search().strategy == SearchSpec::Strategy::Random ? "random"
                                                                                     : "nsga2";
    doc["strategy"] = strategy;
    return doc;
}

PointsWriter::~PointsWriter()
{
    // Each append is in the kernel's page cache already (a killed process loses nothing); the
    // sync at the end also survives a power cut.
    if (fd_ >= 0) {
        ::fdatasync(fd_);
        ::close(fd_);
    }
}

std::optional<Error> PointsWriter::open(const std::string& path, const std::string& header)
{
    path_ = path;
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0)
        return Error{ExitCode::Internal, path, "", std::string("cannot open for writing: ") + std::strerror(errno)};
    struct stat st {};
    if (::fstat(fd_, &st) != 0)
        return Error{ExitCode::Internal, path, "", std::string("cannot read its size: ") + std::strerror(errno)};
    // Keep whole lines only: a run killed in the middle of a write leaves a partial last line.
    off_t keep = 0;
    if (st.st_size > 0) {
        std::string tail;
        const off_t chunk = 4096;
        for (off_t end = st.st_size; end > 0 && keep == 0;) {
            const off_t begin = end > chunk ? end - chunk : 0;
            tail.resize(static_cast<std::size_t>(end - begin));
            if (::pread(fd_, tail.data(), tail.size(), begin) != static_cast<ssize_t>(tail.size()))
                return Error{ExitCode::Internal, path, "", std::string("cannot read: ") + std::strerror(errno)};
            const auto nl = tail.rfind('\n');
            if (nl != std::string::npos)
                keep = begin + static_cast<off_t>(nl) + 1;
            end = begin;
        }
        if (keep != st.st_size && ::ftruncate(fd_, keep) != 0)
            return Error{ExitCode::Internal, path, "", std::string("cannot drop the partial last line: ") + std::strerror(errno)};
    }
    if (::lseek(fd_, keep, SEEK_SET) < 0)
        return Error{ExitCode::Internal, path, "", std::string("cannot seek: ") + std::strerror(errno)};
    if (keep == 0)
        return append(header);
    return std::nullopt;
}

std::optional<Error> PointsWriter::append(const std::string& text)
{
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return Error{ExitCode::Internal, path_, "", std::string("cannot write: ") + std::strerror(errno)};
        }
        done += static_cast<std::size_t>(n);
    }
    return std::nullopt;
}

}  // namespace cdx::explorefiles
