#!/usr/bin/env bash
# Sets everything up and runs Codesign Explorer on its bundled default project: the studio when
# a display exists, otherwise the batch mode, which prints the result.
# Usage: scripts/run.sh [PROJECT.json]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

cdx_install_packages
build="$CDX_ROOT/build"
cdx_build "$build" -DCMAKE_BUILD_TYPE=Release -- cdx cdx-studio

project=${1:-$CDX_ROOT/projects/default.json}
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "$build/bin/cdx-studio" "$project"
fi
cdx_log "no display: running the batch mode on $project"
exec "$build/bin/cdx" estimate "$project"
