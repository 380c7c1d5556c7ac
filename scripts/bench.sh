#!/usr/bin/env bash
# Sets everything up, builds the benchmarks (Release) and prints the table of the README's
# Performance section, each figure beside its target; then the scaling tables and their plot.
# Usage: scripts/bench.sh [--quick | --table]
#   --quick  shorter runs (0.2 s per benchmark, one repetition): noisier, about 3 minutes
#   --table  print the table of the last run again (build/bench/), running nothing
# Raw outputs go to build/bench/ (Google Benchmark CSV, the studio's table, scaling.csv/png).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

min_time=1 repetitions=3 run=yes
case "${1:-}" in
  --quick) min_time=0.2 repetitions=1 ;;
  --table) run=no; [ -f "$CDX_ROOT/build/bench/repetitions" ] && repetitions=$(cat "$CDX_ROOT/build/bench/repetitions") ;;
  "") ;;
  *) cdx_log "unknown option $1 (use --quick or --table)"; exit 2 ;;
esac

bin="$CDX_ROOT/build/bin" out="$CDX_ROOT/build/bench"
if [ "$run" = yes ]; then
  cdx_install_packages
  build="$CDX_ROOT/build"
  cdx_build "$build" -DCMAKE_BUILD_TYPE=Release -DCDX_BUILD_TESTS=ON -- cdx_bench cdx_studio_bench cdx_rtlsim_bench cdx_scaling_bench cdx_accuracy_bench
  models=$(sed -n 's/^CDX_TEST_MODELS_DIR:PATH=//p' "$build/CMakeCache.txt")
  "$CDX_ROOT/scripts/fetch-models.sh" "$models" >/dev/null
  mkdir -p "$out"
  export QT_QPA_PLATFORM=offscreen
  echo "$repetitions" >"$out/repetitions"

  # Google Benchmark as CSV (the median of the repetitions), name -> real time and counters.
  gbench() {
    local exe=$1 filter=$2 file=$3
    cdx_log "running $(basename "$exe") --benchmark_filter='$filter'"
    "$exe" --benchmark_filter="$filter" --benchmark_min_time="$min_time" --benchmark_repetitions="$repetitions" \
      --benchmark_report_aggregates_only=$([ "$repetitions" -gt 1 ] && echo true || echo false) \
      --benchmark_format=csv 2>/dev/null >"$file"
  }
  # One file per group: Google Benchmark's CSV needs the same counters in every row.
  rm -f "$out"/*.csv
  gbench "$bin/cdx_bench" 'BM_Evaluate' "$out/engine.csv"
  gbench "$bin/cdx_bench" 'BM_Mapper|BM_OnnxImportPpOcrV4' "$out/mapper_import.csv"
  gbench "$bin/cdx_bench" 'BM_Estimate(ResNet50|VGG16|MobileNetV2|BERTBase)(Cold|Warm)' "$out/estimate.csv"
  gbench "$bin/cdx_bench" 'BM_ExploreComposed' "$out/explore.csv"
  gbench "$bin/cdx_rtlsim_bench" 'peCycles' "$out/rtlsim.csv"
  cdx_log "running cdx_studio_bench (offscreen)"
  "$bin/cdx_studio_bench" 40 100000 2>/dev/null >"$out/cdx_studio_bench.md"
  cdx_log "running cdx_accuracy_bench (MNIST, 10,000 digits)"
  "$bin/cdx_accuracy_bench" 2>/dev/null >"$out/accuracy.md"
fi

# csv_field NAME COLUMN: a column of a benchmark's row (its median with repetitions).
# The columns: name,iterations,real_time,cpu_time,time_unit,...,error_occurred,error_message,counters...
csv_field() {
  awk -F, -v name="$1" -v col="$2" -v reps="$repetitions" '
    FNR == 1 { delete idx; for (i = 1; i <= NF; i++) { h = $i; gsub(/"/, "", h); idx[h] = i } next }
    { n = $1; gsub(/"/, "", n)
      if (reps > 1) { if (n != name "_median") next } else if (n != name) next
      v = $(idx[col]); gsub(/"/, "", v); print v; exit }' "$out"/*.csv
}
# md_field ROW_TEXT COLUMN: a cell of the studio's markdown table.
md_field() { grep -F "$1" "$out/cdx_studio_bench.md" | head -1 | awk -F'|' -v c="$2" '{ gsub(/ /, "", $c); print $c }'; }

ms() { local v; v=$(csv_field "$1" real_time); if [ -n "$v" ]; then printf '%.2f' "$v"; fi; }
row() { printf '| %-70s | %14s | %-12s |\n' "$1" "$2" "$3"; }

echo
echo "Codesign Explorer performance on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(date -u +%F)"
echo
row "figure" "measured" "target"
echo "|---|---|---|"
for b in BM_EvaluateEyerissLike BM_EvaluateSimpleWeightStationary BM_EvaluateSimpleOutputStationary; do
  row "engine evaluations/s, ${b#BM_Evaluate}" "$(csv_field "$b" 'evaluations/s' | awk '{ printf "%.0f k", $1 / 1000 }')" "≥ 1,000 k"
done
row "mapper per layer, eyeriss_like (ms)" "$(ms BM_MapperEyerissLike)" "≤ 20"
row "mapper per layer, simple weight stationary (ms)" "$(ms BM_MapperSimpleWeightStationary)" "≤ 20"
for t in simple_ws eyeriss_v1 tpu_v1 gemmini nv_small aristotle pipeline_vu9p; do
  cold=$(ms "BM_EstimateResNet50Cold_$t/real_time") warm=$(ms "BM_EstimateResNet50Warm_$t/real_time")
  row "ResNet-50 estimate cold / warm, $t (ms)" "${cold:-error} / ${warm:-error}" "≤ 500 / ≤ 1"
done
for n in VGG16 MobileNetV2 BERTBase; do
  for t in simple_ws eyeriss_v1 tpu_v1 gemmini nv_small aristotle pipeline_vu9p; do
    cold=$(ms "BM_Estimate${n}Cold_$t/real_time") warm=$(ms "BM_Estimate${n}Warm_$t/real_time")
    row "$n estimate cold / warm, $t (ms)" "${cold:-error} / ${warm:-error}" "—"
  done
done
for threads in 1 2; do
  row "explore points/s, ResNet-50 on Gemmini, $threads thread(s)" \
    "$(csv_field "BM_ExploreComposedResNet50/$threads/real_time" points_per_s | awk '{ printf "%.0f k", $1 / 1000 }')" \
    "$([ "$threads" = 2 ] && echo '≥ 200 k' || echo '—')"
done
row "ONNX import, PP-OCRv4 recognition (ms)" "$(ms BM_OnnxImportPpOcrV4)" "—"
for design in Gemmini FPAP; do
  for chart in "energy chart" "latency chart" "roofline"; do
    row "GUI edit to redraw p50 / p95, ResNet-50 on $design, $chart (ms)" \
      "$(md_field "on $design: edit to redraw, $chart" 3) / $(md_field "on $design: edit to redraw, $chart" 4)" "≤ 50 (p95)"
  done
done
row "Pareto pan frame p95, 100,000 points (ms)" "$(md_field 'Pareto pan' 4)" "≤ 33 (30 fps)"
for mode in spatial16 temporal16 sparse16 bitserial16; do
  row "PE simulation cycles/s, $mode" \
    "$(csv_field "peCycles/$mode" 'cycles/s' | awk '{ printf "%.2f M", $1 / 1e6 }')" "≥ 10 M"
done
row "GUI peak memory, ResNet-50 + 100,000 explored points (MB)" "$(md_field 'peak resident' 3)" "≤ 300"

echo
if [ "$run" = yes ]; then
  cdx_log "running cdx_scaling_bench"
  "$bin/cdx_scaling_bench" "$out" 2>/dev/null
fi
