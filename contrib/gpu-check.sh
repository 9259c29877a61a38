#!/usr/bin/env bash
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
# The GPU check (doc/mining.md "The GPU check"). Runs on the GPU machine from
# the bundle contrib/gpu-bundle.sh made (this file is copied into it):
#   1. every GPU-vs-CPU equality test (kernels, noise, transcript, denoise,
#      the miner's persistent session, the GPU miner engine and the built-in
#      miner on the GPU), failing on any difference or on a GPU test skipped;
#   2. the functional -minerdevice test against a real node (needs python3);
#   3. the benchmark: ticketed GEMM per nonce against a plain int8 GEMM of the
#      same shape (cuBLASLt, dlopen; the own plain CUDA GEMM when cuBLASLt
#      cannot load) at the three unit shapes and the filler shapes, and the
#      light kernels at 1920x1080 against NPP where it has the same op;
# and prints ONE table. Every step has a time limit; the whole run stops
# within HPIPS_GPU_CHECK_BUDGET seconds (default 330, under six minutes).
#
# Usage: ./gpu-check.sh [--out DIR] [--no-bench] [--no-tests] [--dry-run]
#   --out DIR  where the logs and the table go (default: ./gpu-check-results)
#   --dry-run  go on without a GPU (to try the script itself on a build
#              machine: the GPU tests then show as skipped, the benchmark rows
#              as failed)
# Exit status: 0 when every equality test passed, 1 otherwise, 2 on a setup
# problem (no GPU, a library missing).
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$PWD/gpu-check-results"
RUN_BENCH=1
RUN_TESTS=1
DRY_RUN=0
BUDGET="${HPIPS_GPU_CHECK_BUDGET:-330}"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --out) OUT="$2"; shift 2 ;;
        --no-bench) RUN_BENCH=0; shift ;;
        --no-tests) RUN_TESTS=0; shift ;;
        --dry-run) DRY_RUN=1; shift ;;
        -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
        *) echo "gpu-check: unknown argument $1" >&2; exit 2 ;;
    esac
done
mkdir -p "$OUT"
TABLE="$OUT/table.txt"
: > "$TABLE"
START=$SECONDS

say() { echo "gpu-check: $*" | tee -a "$OUT/check.log" >&2; }
# Seconds left of the budget, keeping `reserve` for what comes after.
left() { echo $((BUDGET - (SECONDS - START) - ${1:-0})); }
# run_limited LIMIT LOG CMD...: the command with a time limit cut to the budget.
run_limited() {
    local limit=$1 log=$2
    shift 2
    local room
    room="$(left 5)"
    (( room < limit )) && limit=$room
    if (( limit <= 0 )); then
        echo "out of time budget" > "$log"
        return 124
    fi
    timeout --kill-after=5 "$limit" "$@" > "$log" 2>&1
}

# ---- setup: the bundle's libraries, the toolkit's for dlopen, the GPU.
BIN="$HERE/bin"
[[ -d "$BIN" && -d "$HERE/lib" ]] || { say "no bin/ and lib/ next to this script: run it from the bundle (contrib/gpu-bundle.sh)"; exit 2; }
TOOLKIT_LIBS=""
for dir in ${CUDA_HOME:+"$CUDA_HOME/lib64"} /usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib \
    /usr/local/cuda-13*/lib64; do
    [[ -d "$dir" && ":$TOOLKIT_LIBS:" != *":$dir:"* ]] && TOOLKIT_LIBS="$TOOLKIT_LIBS:$dir"
done
ORIGINAL_LD_LIBRARY_PATH="${LD_LIBRARY_PATH:-}"
export LD_LIBRARY_PATH="$HERE/lib$TOOLKIT_LIBS${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

{
    echo "HPIPS GPU check, $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(hostname)"
    [[ -f "$HERE/BUILD-INFO" ]] && sed 's/^/bundle: /' "$HERE/BUILD-INFO"
    echo "host: $(uname -m), $(ldd --version 2>&1 | head -n 1)"
    if command -v nvidia-smi > /dev/null; then
        nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | sed 's/^/gpu: /'
    else
        echo "gpu: nvidia-smi not found"
    fi
} | tee -a "$TABLE"

for binary in "$BIN"/*; do
    if ldd "$binary" 2>&1 | grep -q "not found"; then
        say "$(basename "$binary") cannot load a library:"
        ldd "$binary" | grep "not found" | tee -a "$OUT/check.log" >&2
        exit 2
    fi
done
if ! "$BIN/bench_gpu" device > "$OUT/device.txt" 2> "$OUT/device.log"; then
    say "no usable GPU: $(tail -n 1 "$OUT/device.log")"
    (( DRY_RUN )) || exit 2
    say "dry run: going on without a GPU"
    echo "none (dry run)" > "$OUT/device.txt"
fi
echo "device: $(cat "$OUT/device.txt")" | tee -a "$TABLE"
for lib in libcublasLt.so.13 libnppc.so.13 libnppif.so.13 libnppim.so.13 libnppicc.so.13 libnppitc.so.13 libnppig.so.13; do
    found=""
    IFS=: read -ra dirs <<< "$LD_LIBRARY_PATH"
    for dir in "${dirs[@]}"; do [[ -n "$dir" && -e "$dir/$lib" ]] && found="$dir/$lib" && break; done
    [[ -z "$found" ]] && found="$(ldconfig -p 2> /dev/null | awk -v l="$lib" '$1 == l {print $NF; exit}')"
    echo "baseline library $lib: ${found:-NOT FOUND (its rows fall back or show n/a)}" | tee -a "$OUT/check.log" >&2
done

# ---- 1. equality tests.
failures=0
declare -a TEST_ROWS
gtest() {
    local name=$1 limit=$2 filter=${3:-*}
    local log="$OUT/$name.log" status=0
    run_limited "$limit" "$log" "$BIN/$name" --gtest_filter="$filter" --gtest_color=no || status=$?
    local passed skipped failed
    passed="$(grep -c '^\[       OK \]' "$log")"
    skipped="$(grep -c '^\[  SKIPPED \] .* ms)' "$log")"
    failed="$(grep -c '^\[  FAILED  \] .* ms)' "$log")"
    local verdict=PASS
    if (( status == 124 || status == 137 )); then
        verdict="TIMEOUT (${limit}s)"
    elif (( status != 0 || failed > 0 )); then
        verdict=FAIL
    elif (( skipped > 0 )); then
        # On a GPU machine nothing may skip except the no-GPU checks.
        # On a GPU machine only the no-GPU checks may skip; a GPU test that
        # skipped says why ("no usable CUDA device: ...").
        if grep -q 'no usable CUDA device' "$log"; then
            verdict="FAIL (a GPU test skipped)"
        fi
    fi
    [[ "$verdict" == PASS ]] || failures=$((failures + 1))
    TEST_ROWS+=("$(printf '%-22s %-26s passed %3s  skipped %2s  failed %2s' "$name" "$verdict" "$passed" "$skipped" "$failed")")
    say "$name: $verdict (log: $log)"
}
if (( RUN_TESTS )); then
    gtest device_tests 90
    gtest pouw_cuda_tests 90
    gtest miner_devices_tests 60
    gtest rpc_mining_tests 75 '*Miner*'
    if command -v python3 > /dev/null; then
        log="$OUT/feature_miner_devices.log"
        status=0
        # python3 keeps the machine's libraries (the bundle's libstdc++ may be
        # older than its own); only the node and the CLI get the bundle's.
        WRAP="$OUT/wrapped-bin"
        mkdir -p "$WRAP"
        for tool in hpipsd hpips-cli; do
            printf '#!/bin/sh\nLD_LIBRARY_PATH="%s" exec "%s" "$@"\n' "$LD_LIBRARY_PATH" "$BIN/$tool" > "$WRAP/$tool"
            chmod +x "$WRAP/$tool"
        done
        run_limited 60 "$log" env LD_LIBRARY_PATH="$ORIGINAL_LD_LIBRARY_PATH" \
            python3 "$HERE/functional/feature_miner_devices.py" --bindir "$WRAP" || status=$?
        verdict=PASS
        (( status == 124 || status == 137 )) && verdict="TIMEOUT (60s)"
        (( status != 0 )) && [[ "$verdict" == PASS ]] && verdict=FAIL
        [[ "$verdict" == PASS ]] || failures=$((failures + 1))
        TEST_ROWS+=("$(printf '%-22s %-26s %s' feature_miner_devices "$verdict" "$(tail -n 1 "$log")")")
        say "feature_miner_devices: $verdict (log: $log)"
    else
        TEST_ROWS+=("$(printf '%-22s %-26s' feature_miner_devices 'NOT RUN (no python3)')")
    fi
fi

# ---- 2. benchmarks: one case per run, so a crash loses one row.
declare -a GEMM_ROWS LIGHT_ROWS
if (( RUN_BENCH )); then
    for shape in "1024 64 4096" "1024 256 2304" "2048 256 512" "64 64 64"; do
        log="$OUT/bench-gemm-${shape// /x}.log"
        status=0
        run_limited 40 "$log.out" "$BIN/bench_gpu" gemm $shape || status=$?
        row="$(grep '^gemm' "$log.out" | head -n 1)"
        if [[ -n "$row" ]]; then
            GEMM_ROWS+=("$row")
        else
            GEMM_ROWS+=("$(printf 'gemm\t%s\tFAILED (status %s): %s' "${shape// /x}" "$status" "$(grep -v '^gemm' "$log.out" | tail -n 1)")")
        fi
    done
    for op in bgr2gray gauss5 box5 erode3 dilate3 threshold resize sobel; do
        log="$OUT/bench-light-$op.log"
        status=0
        run_limited 25 "$log" "$BIN/bench_gpu" light "$op" || status=$?
        row="$(grep '^light' "$log" | head -n 1)"
        if [[ -n "$row" ]]; then
            LIGHT_ROWS+=("$row")
        else
            LIGHT_ROWS+=("$(printf 'light\t%s\tFAILED (status %s): %s' "$op" "$status" "$(grep -v '^light' "$log" | tail -n 1)")")
        fi
    done
fi

# ---- the table.
{
    echo
    echo "== GPU-vs-CPU equality (bit-identical results required)"
    for row in "${TEST_ROWS[@]+"${TEST_ROWS[@]}"}"; do echo "$row"; done
    if (( RUN_BENCH )); then
        echo
        echo "== Ticketed GEMM per nonce vs a plain int8 GEMM of the same shape, same GPU (µs; ratio = plain/ticketed, goal >= 0.8)"
        echo "   1024x256x2304 is also the main filler shape; 64x64x64 is the regtest filler"
        printf '%-14s %12s %12s %12s %12s %7s %-10s %8s\n' shape ticketed cuBLASLt own-plain one-shot ratio vs TMAC/s
        for row in "${GEMM_ROWS[@]}"; do
            IFS=$'\t' read -r _ shape ticketed lt own oneshot ratio base tmacs <<< "$row"
            if [[ -z "${lt:-}" ]]; then
                printf '%-14s %s\n' "$shape" "$ticketed"
            else
                printf '%-14s %12s %12s %12s %12s %7s %-10s %8s\n' "$shape" "$ticketed" "$lt" "$own" "$oneshot" "$ratio" "$base" "$tmacs"
            fi
        done
        echo "   ticketed: the miner's session (noise on the device, every tile's state, tickets on the host), per nonce in batches of 64"
        echo "   one-shot: the same with allocation and upload per nonce (the path before the session)"
        echo
        echo "== Light kernels at 1920x1080 vs NPP (µs host to host: upload, kernel, download; ratio = NPP/ours, goal >= 1.0)"
        printf '%-22s %12s %12s %7s %14s\n' op ours NPP ratio NPP-kernel-only
        for row in "${LIGHT_ROWS[@]}"; do
            IFS=$'\t' read -r _ op ours npp ratio kernel <<< "$row"
            if [[ -z "${npp:-}" ]]; then
                printf '%-22s %s\n' "$op" "$ours"
            else
                printf '%-22s %12s %12s %7s %14s\n' "$op" "$ours" "$npp" "$ratio" "$kernel"
            fi
        done
        echo "   n/a: NPP has no such operation (Sobel magnitude) or could not be loaded (see check.log)"
    fi
    echo
    echo "finished in $((SECONDS - START)) s; equality failures: $failures; logs in $OUT"
} | tee -a "$TABLE"

(( failures == 0 )) || exit 1
exit 0
