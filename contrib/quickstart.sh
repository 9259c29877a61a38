#!/usr/bin/env bash
# The README's first command: install the Debian packages, build, then run the
# main job: a sample image job through the HPIPS kernels, and a regtest node
# that mines blocks with useful-work tickets (on the GPU when one is usable,
# else the CPU) while you query it with hpips-cli. Ctrl-C stops the node cleanly.
#
# Environment:
#   BUILD_DIR                  build tree (default: build)
#   HPIPS_QUICKSTART_DATADIR   node data directory (default: a new temporary one)
#   HPIPS_QUICKSTART_SECONDS   stop the node by itself after this many seconds
#                              (default: run until Ctrl-C)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}

contrib/install-deps.sh
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/hpips-ccache}
# Relative paths in the cache keys: a fresh clone elsewhere still hits the cache.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$BUILD_DIR" --parallel "$(nproc)" --target hpipsd hpips-cli hpips-kernel
BIN="$BUILD_DIR/bin"

DATADIR=${HPIPS_QUICKSTART_DATADIR:-$(mktemp -d "${TMPDIR:-/tmp}/hpips-quickstart.XXXXXX")}
mkdir -p "$DATADIR"
CLI="$BIN/hpips-cli -regtest -datadir=$DATADIR"

echo
echo "== Sample image job =="
python3 contrib/sample-image.py "$DATADIR/frame.png" 640 360
"$BIN/hpips-kernel" "$DATADIR/frame.png" "$DATADIR/edges.png" --pipeline "gray,gauss:5:0,sobelmag"
"$BIN/hpips-kernel" "$DATADIR/frame.png" "$DATADIR/small.png" --pipeline "resize:320:180,dilate:3"
echo "input:  $DATADIR/frame.png (640x360 synthetic camera frame)"
echo "output: $DATADIR/edges.png  (gray, 5x5 Gaussian blur, Sobel magnitude: bit-exact with OpenCV)"
echo "output: $DATADIR/small.png  (bilinear resize to 320x180, 3x3 dilation)"

cat <<TXT

== Regtest node ==
Starting hpipsd on regtest with the built-in miner (data in $DATADIR).
Blocks are logged below as they are found. In another terminal, try:

  $CLI getblockchaininfo
  $CLI getmininginfo
  $CLI getblock \$($CLI getbestblockhash)
  $CLI gettxoutsetinfo
  $CLI help

Ctrl-C stops the node cleanly.

TXT

node_args=(-regtest "-datadir=$DATADIR" -mine -minerdevice=auto -printtoconsole)
if [ -n "${HPIPS_QUICKSTART_SECONDS:-}" ]; then
  "$BIN/hpipsd" "${node_args[@]}" &
  pid=$!
  trap 'kill -INT $pid 2>/dev/null || true' INT TERM
  for _ in $(seq 1 "$HPIPS_QUICKSTART_SECONDS"); do
    sleep 1
    kill -0 "$pid" 2>/dev/null || break
  done
  echo "quickstart: chain height $($CLI getblockcount 2>/dev/null || echo '?') after ${HPIPS_QUICKSTART_SECONDS} s; stopping"
  $CLI stop >/dev/null 2>&1 || kill -INT "$pid" 2>/dev/null || true
  wait "$pid"
else
  exec "$BIN/hpipsd" "${node_args[@]}"
fi
