#pragma once

#include <cstdint>
#include <limits>
#include <stdexcept>

namespace cdx {

/// Thrown by the checked helpers below; analyses catch it and report the layer it happened in.
class CountOverflow : public std::overflow_error {
public:
    CountOverflow() : std::overflow_error("a count exceeds the 64-bit range") {}
};

inline std::int64_t checkedMul(std::int64_t a, std::int64_t b)
{
    std::int64_t r = 0;
    if (__builtin_mul_overflow(a, b, &r))
        throw CountOverflow();
    return r;
}

inline std::int64_t checkedAdd(std::int64_t a, std::int64_t b)
{
    std::int64_t r = 0;
    if (__builtin_add_overflow(a, b, &r))
        throw CountOverflow();
    return r;
}

template <class... Rest>
std::int64_t checkedMul(std::int64_t a, std::int64_t b, Rest... rest)
{
    return checkedMul(checkedMul(a, b), rest...);
}

}  // namespace cdx
