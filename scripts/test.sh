#!/usr/bin/env bash
# Sets everything up, builds and runs every test.
# Usage: scripts/test.sh [--sanitize] [--werror] [ctest arguments...]
#   --sanitize  build in build-asan/ with AddressSanitizer and UndefinedBehaviorSanitizer
#   --werror    treat compiler warnings as errors (CI does)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

sanitize=OFF werror=OFF
ctest_args=()
for arg in "$@"; do
  case "$arg" in
    --sanitize) sanitize=ON ;;
    --werror) werror=ON ;;
    *) ctest_args+=("$arg") ;;
  esac
done

cdx_install_packages
if [ "$sanitize" = ON ]; then
  build="$CDX_ROOT/build-asan"
  build_type=Debug
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  export LSAN_OPTIONS=suppressions="$CDX_ROOT/tests/lsan.supp":print_suppressions=0
else
  build="$CDX_ROOT/build"
  build_type=Release
fi
# Sanitizer builds: -O1 with line tables keeps stack traces readable and compiles twice as fast as -O2 -g.
cdx_build "$build" -DCMAKE_BUILD_TYPE=$build_type -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" -DCDX_BUILD_TESTS=ON \
  -DCDX_SANITIZE=$sanitize -DCDX_WARNINGS_AS_ERRORS=$werror
export QT_QPA_PLATFORM=offscreen
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" "${ctest_args[@]}"
