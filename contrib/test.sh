#!/usr/bin/env bash
# The README's test command: install dependencies, configure, build, and run
# every test (unit, functional, fuzz-corpus regression) with ctest; then the
# clang stage (contrib/clang-check.sh: a clang + ASan/UBSan build of every
# library, program and libFuzzer target with -Wthread-safety -Werror, and
# up to 20 s of fuzzing per target, the stage capped at 5 minutes). Exits non-zero on any failure.
# BUILD_DIR (default: build) picks the build tree, CLANG_BUILD_DIR (default:
# build-clang) the clang one; HPIPS_CLANG_CHECK=0 skips the clang stage.
# Extra arguments go to CMake for the first build only.
set -euo pipefail
cd "$(dirname "$0")/.."
contrib/check-self-contained.sh  # nothing may read outside the repository
BUILD_DIR=${BUILD_DIR:-build}

contrib/install-deps.sh
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/hpips-ccache}
# Relative paths in the cache keys: a fresh clone elsewhere still hits the cache.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
# With -g, ccache also hashes the working directory: a clone elsewhere would
# miss every entry without this (debug info may then name the first clone's path).
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
start=$(date +%s)
cmake --build "$BUILD_DIR" --parallel "$(nproc)"
echo "test.sh: build took $(( $(date +%s) - start )) s"
(cd "$BUILD_DIR" && ctest --output-on-failure --parallel "$(nproc)" --timeout 900)

if [ "${HPIPS_CLANG_CHECK:-1}" != "0" ]; then
  contrib/clang-check.sh
fi
