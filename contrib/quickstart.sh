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
The node's full log is $DATADIR/regtest/debug.log; below, one status line
every ${STATUS_INTERVAL:-5} s. In another terminal, try:

  $CLI getblockchaininfo
  $CLI getmininginfo
  $CLI getblock \$($CLI getbestblockhash)
  $CLI gettxoutsetinfo
  $CLI help

Ctrl-C stops the node cleanly.

TXT

STATUS_INTERVAL=${STATUS_INTERVAL:-5}
# The node logs to debug.log only: at ~45 regtest blocks a second, two log
# lines per block would flood the terminal.
"$BIN/hpipsd" -regtest "-datadir=$DATADIR" -mine -minerdevice=auto -printtoconsole=0 &
pid=$!
stopping=0
stop_node() {
  stopping=1
  $CLI stop >/dev/null 2>&1 || kill -INT "$pid" 2>/dev/null || true
}
trap stop_node INT TERM
$CLI -rpcwait -rpcclienttimeout=60 getblockcount >/dev/null

# One line per interval: height, blocks found per second, the miner's units
# and MACs per second, and the mempool.
status_line() {
  python3 - "$1" "$2" "$3" <<'PY'
import json, sys
now, before = json.loads(sys.argv[1]), (json.loads(sys.argv[2]) if sys.argv[2] else None)
miner = now.get("miner", {})
line = f"height {now['blocks']:>6}"
if before:
    dt = max(1e-3, float(sys.argv[3]))
    line += f"  {(now['blocks'] - before['blocks']) / dt:6.1f} blocks/s"
    units = miner.get("units", 0) - before.get("miner", {}).get("units", 0)
    macs = miner.get("macs", 0) - before.get("miner", {}).get("macs", 0)
    line += f"  {units / dt:7.1f} units/s  {macs / dt / 1e9:6.2f} GMAC/s"
line += f"  mempool {now.get('pooledtx', 0)} tx  miner {miner.get('backend', '?')}"
print(line, flush=True)
PY
}

started=$SECONDS
previous=""
previous_at=$(date +%s.%N)
while kill -0 "$pid" 2>/dev/null && [ "$stopping" = 0 ]; do
  info=$($CLI getmininginfo 2>/dev/null) || break
  now_at=$(date +%s.%N)
  elapsed=$(python3 -c "print($now_at - $previous_at)")
  echo "[$(date +%H:%M:%S)] $(status_line "$info" "$previous" "$elapsed")"
  previous=$info
  previous_at=$now_at
  if [ -n "${HPIPS_QUICKSTART_SECONDS:-}" ] && [ $((SECONDS - started)) -ge "$HPIPS_QUICKSTART_SECONDS" ]; then
    echo "quickstart: chain height $($CLI getblockcount 2>/dev/null || echo '?') after ${HPIPS_QUICKSTART_SECONDS} s; stopping"
    stop_node
    break
  fi
  sleep "$STATUS_INTERVAL" &
  wait $! || true
done
wait "$pid" || true
echo "quickstart: node stopped; its log is $DATADIR/regtest/debug.log"
