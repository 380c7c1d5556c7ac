#pragma once

namespace cdx {
}  // namespace cdx
