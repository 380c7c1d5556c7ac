#pragma once

#include <stdexcept>
#include <string>

namespace cdx {

/// Process exit codes of both executables (the README's "Exit codes").
enum class ExitCode : int {
    Ok = 0,
    Internal = 1,     ///< a bug or an environment failure (disk full, out of memory)
    BadInput = 2,     ///< the user's input is wrong; the message says where
    CheckFailed = 3,  ///< a validation or constraint check did not hold
};

/// Why something could not be done, and where: a file, a place inside it (JSON pointer,
/// ONNX node, line:column, layer name) and what is wrong there.
struct Error {
    ExitCode code = ExitCode::BadInput;
    std::string file;      ///< may be empty when the input did not come from a file
    std::string location;  ///< may be empty
    std::string message;

    /// "file: location: message", leaving out the empty parts.
    std::string describe() const;
};

/// Thrown inside core parsers and analyses to unwind to the boundary function, which turns it
/// into a Result. Never crosses a library boundary.
class InputError : public std::runtime_error {
public:
    explicit InputError(Error error);
    InputError(std::string location, std::string message);
    const Error& error() const { return error_; }
    Error& error() { return error_; }

private:
    Error error_;
};

}  // namespace cdx
