#include "core/util/fileio.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

namespace cdx {

namespace fs = std::filesystem;

namespace {

Error fileError(const std::string& path, std::string message, ExitCode code = ExitCode::BadInput)
{
    return Error{code, path, {}, std::move(message)};
}

bool writeAll(int fd, const std::string& bytes)
{
    const char* data = bytes.data();
    std::size_t left = bytes.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, data, left);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data += n;
        left -= static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

Result<std::string> readTextFile(const std::string& path)
{
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status))
        return fileError(path, "no such file");
    if (fs::is_directory(status))
        return fileError(path, "is a folder, not a file");
    const auto size = fs::file_size(path, ec);
    if (!ec && size > kMaxTextFileBytes)
        return fileError(path, "file is " + std::to_string(size >> 20) + " MiB; the limit for text files is " +
                                   std::to_string(kMaxTextFileBytes >> 20) + " MiB");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fileError(path, std::string("cannot open: ") + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad())
        return fileError(path, "read error");
    return text.str();
}

std::optional<Error> writeFileAtomically(const std::string& path, const std::string& bytes)
{
    const fs::path target(path);
    const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::string pattern = (folder / ("." + target.filename().string() + ".XXXXXX")).string();
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0)
        return fileError(path, std::string("cannot create a temporary file beside it: ") + std::strerror(errno),
                         ExitCode::Internal);
    const bool written = writeAll(fd, bytes) && ::fsync(fd) == 0;
    const int savedErrno = errno;
    ::close(fd);
    if (!written) {
        ::unlink(pattern.c_str());
        return fileError(path, std::string("write failed: ") + std::strerror(savedErrno), ExitCode::Internal);
    }
    // mkstemp creates 0600; a saved document should get the usual permissions.
    const mode_t mask = ::umask(0);
    ::umask(mask);
    ::chmod(pattern.c_str(), 0666 & ~mask);
    if (::rename(pattern.c_str(), path.c_str()) != 0) {
        const int renameErrno = errno;
        ::unlink(pattern.c_str());
        return fileError(path, std::string("cannot replace the file: ") + std::strerror(renameErrno),
                         ExitCode::Internal);
    }
    // Make the rename itself durable.
    if (const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY); dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
    return std::nullopt;
}

bool leavesItsFolder(const std::string& path)
{
    const std::filesystem::path p(path);
    if (!p.is_relative())
        return false;
    const std::filesystem::path normal = p.lexically_normal();
    return !normal.empty() && *normal.begin() == "..";
}

}  // namespace cdx
