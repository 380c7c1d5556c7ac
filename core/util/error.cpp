#include "core/util/error.h"

namespace cdx {

std::string Error::describe() const
{
    std::string text;
    if (!file.empty())
        text += file + ": ";
    if (!location.empty())
        text += location + ": ";
    text += message;
    return text;
}

InputError::InputError(Error error)
    : std::runtime_error(error.describe()), error_(std::move(error))
{
}

InputError::InputError(std::string location, std::string message)
    : InputError(Error{ExitCode::BadInput, {}, std::move(location), std::move(message)})
{
}

}  // namespace cdx
