#!/usr/bin/env bash
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
# Builds the benchmarks in a Release tree (build-bench), runs every one that
# exists and prints ONE table (contrib/bench_table.py) with each variant's
# ratio against its baseline (oneDNN for the GEMM, OpenCV for light ops, the
# reference loop for conv).
#
# Then bench/p2p_bench.py runs real nodes on loopback: P2P initial sync
# against -reindex of the same chain, 5-node propagation, 125 idle peers;
# bench/txindex_bench.py times a -txindex build over a regtest chain; and
# bench/wallet_rpc_bench.py times the wallet's RPC calls on a wallet of
# 100,000 transactions and 50,000 unspent outputs.
#
# Usage: contrib/bench.sh [--filter REGEX] [--repetitions N] [--build-dir DIR]
#                         [--p2p-blocks N | --no-p2p] [--txindex-blocks N | --no-txindex]
#                         [--no-wallet-rpc]
#   --filter applies to the Google benchmarks; "p2p" runs only the P2P one,
#   "txindex" only the -txindex one, "wallet-rpc" only the wallet RPC one.
#   HPIPS_BENCH_SKIP_DEPS=1  do not run install-deps.sh (packages already there)
# Raw JSON results stay in <build-dir>/bench-results/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$ROOT/build-bench"
FILTER=""
REPETITIONS=3
P2P_BLOCKS=10000
RUN_P2P=1
TXINDEX_BLOCKS=10000
RUN_TXINDEX=1
RUN_WALLET_RPC=1
# Every benchmark program the project may have; missing ones are skipped.
BENCHES=(bench_gemm bench_light bench_pouw bench_chain bench_wallet)

while [ $# -gt 0 ]; do
  case "$1" in
    --filter) FILTER="$2"; shift 2 ;;
    --repetitions) REPETITIONS="$2"; shift 2 ;;
    --build-dir) BUILD="$2"; shift 2 ;;
    --p2p-blocks) P2P_BLOCKS="$2"; shift 2 ;;
    --no-p2p) RUN_P2P=0; shift ;;
    --txindex-blocks) TXINDEX_BLOCKS="$2"; shift 2 ;;
    --no-txindex) RUN_TXINDEX=0; shift ;;
    --no-wallet-rpc) RUN_WALLET_RPC=0; shift ;;
    -h|--help) sed -n '3,20p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

if [ "${HPIPS_BENCH_SKIP_DEPS:-0}" != "1" ]; then
  HPIPS_BENCH_DEPS=1 "$ROOT/contrib/install-deps.sh"
fi

cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DHPIPS_BENCH=ON -DHPIPS_CUDA=OFF >/dev/null

if [ "$FILTER" = "txindex" ]; then
  cmake --build "$BUILD" --target hpipsd hpips-cli -j"$(nproc)" >"$BUILD/txindex.build.log" 2>&1
  exec python3 "$ROOT/bench/txindex_bench.py" --bindir "$BUILD/bin" --blocks "$TXINDEX_BLOCKS"
fi

if [ "$FILTER" = "wallet-rpc" ]; then
  cmake --build "$BUILD" --target hpipsd hpips-cli -j"$(nproc)" >"$BUILD/wallet-rpc.build.log" 2>&1
  exec python3 "$ROOT/bench/wallet_rpc_bench.py" --bindir "$BUILD/bin"
fi

if [ "$FILTER" = "p2p" ]; then
  cmake --build "$BUILD" --target hpipsd hpips-cli -j"$(nproc)" >"$BUILD/p2p.build.log" 2>&1
  exec python3 "$ROOT/bench/p2p_bench.py" --bindir "$BUILD/bin" --blocks "$P2P_BLOCKS"
fi

available=()
targets="$(ninja -C "$BUILD" -t targets all 2>/dev/null || true)"
for bench in "${BENCHES[@]}"; do
  if grep -q "^${bench}:" <<<"$targets"; then available+=("$bench"); fi
done
if [ "${#available[@]}" -eq 0 ]; then
  echo "bench.sh: no benchmark targets found in $BUILD" >&2
  exit 1
fi
# Build each program on its own, so one that does not compile (work in
# progress elsewhere) is reported and skipped instead of hiding the others.
built=()
for bench in "${available[@]}"; do
  if cmake --build "$BUILD" --target "$bench" -j"$(nproc)" >"$BUILD/$bench.build.log" 2>&1; then
    built+=("$bench")
  else
    echo "bench.sh: WARNING: $bench failed to build (see $BUILD/$bench.build.log); skipped" >&2
  fi
done
if [ "${#built[@]}" -eq 0 ]; then
  echo "bench.sh: no benchmark program built" >&2
  exit 1
fi

RESULTS="$BUILD/bench-results"
mkdir -p "$RESULTS"
files=()
for bench in "${built[@]}"; do
  out="$RESULTS/$bench.json"
  args=(--benchmark_out="$out" --benchmark_out_format=json
        --benchmark_repetitions="$REPETITIONS" --benchmark_report_aggregates_only=true)
  if [ -n "$FILTER" ]; then args+=(--benchmark_filter="$FILTER"); fi
  echo "bench.sh: running $bench" >&2
  # Console output is dropped; the JSON file is the result.
  "$BUILD/bin/$bench" "${args[@]}" >/dev/null
  files+=("$out")
done

echo
echo "Load average while benchmarking: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
python3 "$ROOT/contrib/bench_table.py" "${files[@]}"

if [ "$RUN_P2P" = "1" ] && [ -z "$FILTER" ]; then
  echo
  if cmake --build "$BUILD" --target hpipsd hpips-cli -j"$(nproc)" >"$BUILD/p2p.build.log" 2>&1; then
    python3 "$ROOT/bench/p2p_bench.py" --bindir "$BUILD/bin" --blocks "$P2P_BLOCKS"
  else
    echo "bench.sh: WARNING: hpipsd failed to build (see $BUILD/p2p.build.log); P2P benchmark skipped" >&2
  fi
fi

if [ "$RUN_TXINDEX" = "1" ] && [ -z "$FILTER" ]; then
  echo
  if cmake --build "$BUILD" --target hpipsd hpips-cli -j"$(nproc)" >"$BUILD/txindex.build.log" 2>&1; then
    python3 "$ROOT/bench/txindex_bench.py" --bindir "$BUILD/bin" --blocks "$TXINDEX_BLOCKS"
  else
    echo "bench.sh: WARNING: hpipsd failed to build (see $BUILD/txindex.build.log); -txindex benchmark skipped" >&2
  fi
fi

if [ "$RUN_WALLET_RPC" = "1" ] && [ -z "$FILTER" ]; then
  echo
  if cmake --build "$BUILD" --target hpipsd hpips-cli -j"$(nproc)" >"$BUILD/wallet-rpc.build.log" 2>&1; then
    python3 "$ROOT/bench/wallet_rpc_bench.py" --bindir "$BUILD/bin"
  else
    echo "bench.sh: WARNING: hpipsd failed to build (see $BUILD/wallet-rpc.build.log); wallet RPC benchmark skipped" >&2
  fi
fi
