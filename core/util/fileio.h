#pragma once

#include "core/util/result.h"

#include <cstdint>
#include <optional>
#include <string>

namespace cdx {

/// Largest text file (JSON) the tool reads; anything larger is refused with a clear message.
inline constexpr std::uintmax_t kMaxTextFileBytes = 256u << 20;

/// Reads a whole text file. The error names the file and says why (missing, a folder, too large).
Result<std::string> readTextFile(const std::string& path);

/// Writes the bytes to a temporary file beside `path`, flushes it to disk and renames it over
/// `path`, so a reader sees either the old or the new content, never a mix or a truncated file.
std::optional<Error> writeFileAtomically(const std::string& path, const std::string& bytes);

/// Whether `path` is relative and climbs out of the folder it is relative to ("../x",
/// "a/../../x"). Project files may not name such paths: a shared project reads only what sits
/// in its own folder, or what its author named by an absolute path.
bool leavesItsFolder(const std::string& path);

}  // namespace cdx
