#include "core/accuracy/datasetreader.h"

#include <charconv>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_map>

namespace cdx {

namespace fs = std::filesystem;

namespace {

std::string trim(std::string_view text)
{
    const auto begin = text.find_first_not_of(" \t\r");
    if (begin == std::string_view::npos)
        return {};
    const auto end = text.find_last_not_of(" \t\r");
    return std::string(text.substr(begin, end - begin + 1));
}

}  // namespace

void failAt(const std::string& file, const std::string& place, const std::string& message)
{
    throw InputError(Error{ExitCode::BadInput, file, place, message});
}

std::pair<std::int64_t, std::int64_t> DatasetRange::resolve(std::int64_t total, const std::string& file) const
{
    if (first < 0 || first > total || (first == total && total > 0))
        failAt(file, {}, "example " + std::to_string(first) + " was asked for; the file has " + std::to_string(total));
    const std::int64_t left = total - first;
    const std::int64_t n = count < 0 ? left : std::min(count, left);
    return {first, first + n};
}

std::vector<unsigned char> readBinaryFile(const std::string& path)
{
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status))
        failAt(path, {}, "no such file");
    if (fs::is_directory(status))
        failAt(path, {}, "is a folder, not a file");
    const auto size = fs::file_size(path, ec);
    if (ec)
        failAt(path, {}, "cannot read its size: " + ec.message());
    if (size > kMaxDatasetFileBytes)
        failAt(path, {}, "file is " + std::to_string(size >> 20) + " MiB; the limit for a dataset file is " +
                             std::to_string(kMaxDatasetFileBytes >> 20) + " MiB");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        failAt(path, {}, std::string("cannot open: ") + std::strerror(errno));
    std::vector<unsigned char> bytes(static_cast<std::size_t>(size));
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (static_cast<std::uintmax_t>(in.gcount()) != size)
        failAt(path, {}, "could not read all " + std::to_string(size) + " bytes");
    return bytes;
}

std::vector<std::int64_t> readLabelCsv(const std::string& csvPath, const std::vector<std::string>& files)
{
    const auto bytes = readBinaryFile(csvPath);
    std::istringstream text(std::string(bytes.begin(), bytes.end()));
    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < files.size(); ++i)
        index.emplace(files[i], i);
    std::vector<std::int64_t> labels(files.size());
    std::vector<int> lineOf(files.size(), 0);

    std::string line;
    for (int lineNo = 1; std::getline(text, line); ++lineNo) {
        const std::string where = "line " + std::to_string(lineNo);
        if (trim(line).empty())
            continue;
        // The label is after the last comma, so file names may hold commas.
        const auto comma = line.rfind(',');
        if (comma == std::string::npos)
            failAt(csvPath, where, "expected \"file,label\"");
        const std::string name = trim(std::string_view(line).substr(0, comma));
        const std::string labelText = trim(std::string_view(line).substr(comma + 1));
        if (lineNo == 1 && name == "file" && labelText == "label")
            continue;
        std::int64_t label = 0;
        const auto [end, ec] = std::from_chars(labelText.data(), labelText.data() + labelText.size(), label);
        if (labelText.empty() || ec != std::errc() || end != labelText.data() + labelText.size())
            failAt(csvPath, where, "label \"" + labelText + "\" is not an integer");
        const auto it = index.find(name);
        if (it == index.end())
            failAt(csvPath, where, "\"" + name + "\" is not among the " + std::to_string(files.size()) + " files read");
        if (lineOf[it->second] != 0)
            failAt(csvPath, where, "\"" + name + "\" already has a label on line " + std::to_string(lineOf[it->second]));
        lineOf[it->second] = lineNo;
        labels[it->second] = label;
    }
    for (std::size_t i = 0; i < files.size(); ++i)
        if (lineOf[i] == 0)
            failAt(csvPath, {}, "no label for \"" + files[i] + "\"");
    return labels;
}

}  // namespace cdx
