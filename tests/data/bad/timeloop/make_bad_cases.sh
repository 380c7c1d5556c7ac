#!/bin/sh
# Regenerates the malformed Timeloop cases of this folder from the good references in
# tests/data/timeloop: each is one deliberate defect. cases.tsv says what `cdx timeloop` must
# answer to each. Run from this folder.
set -eu
ref=../../timeloop
fresh() {  # fresh NAME SOURCE: a copy of a reference case's inputs (no stats, no tables)
    rm -rf "$1" && mkdir "$1"
    cp "$ref/$2/parsed-processed-input.yaml" "$1/"
    for f in "$ref/$2"/*.map.yaml; do [ -e "$f" ] && cp "$f" "$1/"; done
    true
}
fresh missing_instance 03_three_level_bypass
sed -i 's/^    instance:$/    instanse:/' missing_instance/parsed-processed-input.yaml

fresh missing_depth 03_three_level_bypass
sed -i '0,/depth: 64/{/depth: 64/d}' missing_depth/parsed-processed-input.yaml

fresh factors_do_not_multiply simple_weight_stationary
sed -i 's/factors: C1 M1 R1 S1 N1 P1 Q14/factors: C1 M1 R1 S1 N1 P1 Q7/' factors_do_not_multiply/timeloop-mapper.map.yaml

fresh level_too_small simple_weight_stationary
sed -i 's/depth: 192/depth: 2/' level_too_small/parsed-processed-input.yaml

fresh unknown_target 03_three_level_bypass
sed -i 's/target: GlobalBuffer/target: GlobalBufer/' unknown_target/parsed-processed-input.yaml

fresh yaml_syntax 00_one_level
sed -i 's/^problem:$/problem: [/' yaml_syntax/parsed-processed-input.yaml

fresh unknown_dram_type eyeriss_like
sed -i 's/type: "LPDDR4"/type: "LPDDR9"/' unknown_dram_type/parsed-processed-input.yaml

rm -rf no_input && mkdir no_input && echo "A folder without parsed-processed-input.yaml." > no_input/README.txt
