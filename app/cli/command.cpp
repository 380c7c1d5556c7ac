#include "app/cli/command.h"

#include <charconv>
#include <iostream>

namespace cdx::cli {

int reportError(const Error& error)
{
    std::cerr << "cdx: error: " << error.describe() << "\n";
    return static_cast<int>(error.code);
}

void reportWarnings(const std::vector<std::string>& warnings)
{
    for (const auto& w : warnings)
        std::cerr << "cdx: warning: " << w << "\n";
}

void DimensionOptions::addTo(CLI::App& command)
{
    command.add_option("--batch", batch, "Batch size (binds the dimension \"batch\")")->check(CLI::PositiveNumber);
    command.add_option("--seq-len", seqLen, "Sequence length (binds \"seq_len\")")->check(CLI::PositiveNumber);
    command.add_option("--dim", dims, "Binds a named input dimension: --dim name=value (repeatable)");
}

std::variant<DimBindings, Error> DimensionOptions::bindings() const
{
    DimBindings result;
    if (batch > 0)
        result["batch"] = batch;
    if (seqLen > 0)
        result["seq_len"] = seqLen;
    for (const auto& d : dims) {
        const auto eq = d.find('=');
        std::int64_t value = 0;
        const char* begin = eq == std::string::npos ? nullptr : d.data() + eq + 1;
        const char* end = d.data() + d.size();
        const auto parsed = begin ? std::from_chars(begin, end, value) : std::from_chars_result{nullptr, std::errc::invalid_argument};
        if (eq == 0 || !begin || parsed.ec != std::errc() || parsed.ptr != end || value < 1)
            return Error{ExitCode::BadInput, {}, "--dim " + d, "expected name=value with a positive integer value"};
        result[d.substr(0, eq)] = value;
    }
    return result;
}

}  // namespace cdx::cli
