#!/usr/bin/env bash
# The README's first command: install dependencies, build, then run the main job.
# For now the main job is a smoke run of the built binaries; the chain issue
# turns it into a regtest node that mines and processes a sample image job.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}

contrib/install-deps.sh
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/hpips-ccache}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$BUILD_DIR" --parallel "$(nproc)"
"$BUILD_DIR/bin/hpipsd" -version
"$BUILD_DIR/bin/hpips-cli" -version
