#include "core/compression/bitpairencoding.h"

namespace cdx {
}  // namespace cdx
