#include "estimators/engine/sparsity.h"

namespace cdx {
}  // namespace cdx
