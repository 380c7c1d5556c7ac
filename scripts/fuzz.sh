#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/) with clang into build-fuzz/ and runs each against
# its corpus, two at a time (one per core).
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
#   SECONDS  how long each target runs (default 60: CI's smoke run; use 600 or more for a real search)
#   TARGET   onnx, project, network, timeloop, sensitivity (default: all)
# CDX_FUZZ_SEED sets libFuzzer's -seed (default 1, so that CI's smoke run repeats itself; 0 picks one at random).
# The corpus of a target grows in build-fuzz/corpus/TARGET (seeded from tests/data, projects/,
# tests/fuzz/seeds and libonnx-testdata's node models); an input that crashes, leaks or hangs is
# saved in build-fuzz/crashes/TARGET/ and the script fails. Reproduce one with
#   build-fuzz/bin/cdx_fuzz_TARGET build-fuzz/crashes/TARGET/crash-...
# and turn it into a regression test in tests/data/bad/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
CDX_PACKAGES+=(clang libclang-rt-14-dev)
cdx_install_packages

seconds=${1:-60}
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(onnx project network timeloop sensitivity)
build="$CDX_ROOT/build-fuzz"
cdx_build "$build" -DCDX_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
  -DCDX_BUILD_TESTS=OFF -- "${targets[@]/#/cdx_fuzz_}"

seeds() {
  local d=$CDX_ROOT/tests/data
  case "$1" in
    onnx)
      ls "$d"/onnx/*.onnx "$d"/bad/onnx/*.onnx
      local nodes=(/usr/share/libonnx-testdata/data/node/*/model.onnx)  # Debian's libonnx-testdata
      [ -e "${nodes[0]}" ] && printf '%s\n' "${nodes[@]:0:400}"
      ;;
    project) ls "$CDX_ROOT"/projects/*.json "$d"/bad/project_*.json "$d"/explore/*.json "$d"/compression/*.json ;;
    network) ls "$d"/networks/*.json "$d"/bad/*.json ;;
    timeloop) ls "$d"/timeloop/*/parsed-processed-input.yaml "$d"/bad/timeloop/*/parsed-processed-input.yaml "$CDX_ROOT"/tests/fuzz/seeds/timeloop/* ;;
    sensitivity) ls "$d"/compression/*.csv ;;
  esac
}

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run() {
  local t=$1 corpus="$build/corpus/$1" crashes="$build/crashes/$1" seed="$build/seeds/$1"
  mkdir -p "$corpus" "$crashes" "$seed"
  seeds "$t" | while read -r f; do cp "$f" "$seed/$(echo "$f" | sed 's|/|_|g')"; done
  local rc=0
  "$build/bin/cdx_fuzz_$t" "$corpus" "$seed" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -max_len=262144 \
    -artifact_prefix="$crashes/" -print_final_stats=1 -seed="${CDX_FUZZ_SEED:-1}" > "$build/$t.log" 2>&1 || rc=$?
  local stats
  stats=$(grep -E "^stat::(number_of_executed_units|average_exec_per_sec|new_units_added)" "$build/$t.log" | tr '\n' ' ')
  local cov
  cov=$(grep -oE "cov: [0-9]+ ft: [0-9]+" "$build/$t.log" | tail -1)
  cdx_log "fuzz $t: ${seconds}s, exit $rc, $cov, $stats"
  return $rc
}

status=0
pids=()
names=()
for t in "${targets[@]}"; do
  run "$t" &
  pids+=($!)
  names+=("$t")
  if [ ${#pids[@]} -ge 2 ]; then
    wait "${pids[0]}" || { status=1; cdx_log "fuzz ${names[0]} failed: see $build/${names[0]}.log"; tail -40 "$build/${names[0]}.log" >&2; }
    pids=("${pids[@]:1}")
    names=("${names[@]:1}")
  fi
done
for i in "${!pids[@]}"; do
  wait "${pids[$i]}" || { status=1; cdx_log "fuzz ${names[$i]} failed: see $build/${names[$i]}.log"; tail -40 "$build/${names[$i]}.log" >&2; }
done
exit $status
