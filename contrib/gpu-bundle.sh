#!/usr/bin/env bash
# Copyright (c) The HPIPS developers. Distributed under the MIT software license.
# Builds the GPU check bundle (doc/mining.md "The GPU check"): the CUDA-enabled
# GPU-vs-CPU equality tests, the GPU benchmark and a node, stripped, with every
# shared library they load that is not glibc (found with ldd), and
# contrib/gpu-check.sh as the runner, in ONE folder under 64 MiB that is copied
# to a GPU machine (CUDA 13 toolkit there, none of the Debian libraries, no
# network) and run there with `./gpu-check.sh`.
#
# Usage: contrib/gpu-bundle.sh [--build-dir DIR] [--out DIR] [--jobs N]
#   --build-dir  the CUDA build tree (default: build-cuda; configured here with
#                -DHPIPS_CUDA=ON when it has no build.ninja yet)
#   --out        the bundle folder (default: build-gpu-bundle; git-ignored
#                through /build*/ in .gitignore). Emptied first.
#   HPIPS_BUILD_LOCK=FILE  run ninja under `flock FILE` (shared build machines)
# Fails when nvcc is missing, a target does not build, a library cannot be
# resolved, or the folder ends up 64 MiB or larger.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$ROOT/build-cuda"
OUT="$ROOT/build-gpu-bundle"
JOBS=""
MAX_BYTES=$((64 * 1024 * 1024))

while [[ $# -gt 0 ]]; do
    case "$1" in
        --build-dir) BUILD="$(realpath -m "$2")"; shift 2 ;;
        --out) OUT="$(realpath -m "$2")"; shift 2 ;;
        --jobs) JOBS="-j$2"; shift 2 ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        *) echo "gpu-bundle: unknown argument $1" >&2; exit 2 ;;
    esac
done

# The binaries the check runs: test binaries (equality tests), the benchmark,
# and the node and CLI for the functional miner test.
TESTS=(device_tests pouw_cuda_tests miner_devices_tests rpc_mining_tests)
TOOLS=(bench_gpu hpipsd hpips-cli)

NVCC="${CUDACXX:-/usr/local/cuda/bin/nvcc}"
if [[ ! -x "$NVCC" ]] && ! command -v nvcc > /dev/null; then
    echo "gpu-bundle: nvcc not found (looked for $NVCC and nvcc on PATH): the bundle needs a CUDA build" >&2
    exit 1
fi

if [[ ! -f "$BUILD/build.ninja" ]]; then
    cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHPIPS_CUDA=ON
fi
if ! grep -q "HPIPS_HAVE_POUW_CUDA" "$BUILD/build.ninja"; then
    echo "gpu-bundle: $BUILD is not a CUDA build (configure it with -DHPIPS_CUDA=ON)" >&2
    exit 1
fi
NINJA=(ninja -C "$BUILD")
[[ -n "$JOBS" ]] && NINJA+=("$JOBS")
if [[ -n "${HPIPS_BUILD_LOCK:-}" ]]; then NINJA=(flock "$HPIPS_BUILD_LOCK" "${NINJA[@]}"); fi
"${NINJA[@]}" "${TESTS[@]}" "${TOOLS[@]}"

find_binary() {
    local path
    path="$(find "$BUILD" -type f -name "$1" -perm -u+x -not -path '*/CMakeFiles/*' | head -n 1)"
    [[ -n "$path" ]] || { echo "gpu-bundle: built $1 not found under $BUILD" >&2; exit 1; }
    echo "$path"
}

rm -rf "$OUT"
mkdir -p "$OUT/bin" "$OUT/lib" "$OUT/functional"
for name in "${TESTS[@]}" "${TOOLS[@]}"; do
    src="$(find_binary "$name")"
    cp "$src" "$OUT/bin/$name"
    strip --strip-unneeded "$OUT/bin/$name"
done

# glibc's own libraries come from the GPU machine (its glibc is newer, and a
# copied libc would not match its loader); everything else travels.
is_glibc() {
    case "$1" in
        linux-vdso.so.*|ld-linux*.so.*|libc.so.*|libm.so.*|libmvec.so.*|libpthread.so.*|libdl.so.*|librt.so.*| \
        libresolv.so.*|libutil.so.*|libanl.so.*|libnsl.so.*|libBrokenLocale.so.*|libthread_db.so.*) return 0 ;;
    esac
    return 1
}

missing=0
for binary in "$OUT"/bin/*; do
    while read -r line; do
        soname="$(awk '{print $1}' <<< "$line")"
        path="$(awk '$2 == "=>" {print $3}' <<< "$line")"
        is_glibc "$(basename "$soname")" && continue
        if [[ "$line" == *"not found"* ]]; then
            echo "gpu-bundle: $(basename "$binary") needs $soname, which ldd cannot find" >&2
            missing=1
            continue
        fi
        [[ -n "$path" && -f "$path" ]] || continue
        if [[ ! -f "$OUT/lib/$soname" ]]; then
            cp -L "$path" "$OUT/lib/$soname"
            strip --strip-unneeded "$OUT/lib/$soname" 2> /dev/null || true
        fi
    done < <(ldd "$binary")
done
[[ $missing -eq 0 ]] || exit 1

# The closure check: with only the bundle's lib/ added, every binary resolves.
for binary in "$OUT"/bin/*; do
    if LD_LIBRARY_PATH="$OUT/lib" ldd "$binary" | grep -q "not found"; then
        echo "gpu-bundle: $(basename "$binary") does not resolve from the bundle:" >&2
        LD_LIBRARY_PATH="$OUT/lib" ldd "$binary" | grep "not found" >&2
        exit 1
    fi
done

# The functional test of the miner's device selection, with its framework.
cp "$ROOT/test/functional/feature_miner_devices.py" "$OUT/functional/"
cp -r "$ROOT/test/functional/test_framework" "$OUT/functional/"
find "$OUT/functional" -name '__pycache__' -prune -exec rm -rf {} +

cp "$ROOT/contrib/gpu-check.sh" "$OUT/gpu-check.sh"
chmod +x "$OUT/gpu-check.sh"
{
    echo "commit $(git -C "$ROOT" rev-parse HEAD 2> /dev/null || echo unknown)"
    echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -m), $(ldd --version | head -n 1)"
    echo "nvcc $("$NVCC" --version | tail -n 1)"
} > "$OUT/BUILD-INFO"

bytes="$(du -sb "$OUT" | awk '{print $1}')"
echo "gpu-bundle: $OUT: $(numfmt --to=iec-i --suffix=B "$bytes") ($bytes bytes) in $(find "$OUT" -type f | wc -l) files"
if [[ "$bytes" -ge "$MAX_BYTES" ]]; then
    echo "gpu-bundle: the bundle is over 64 MiB: too big to carry" >&2
    du -sb "$OUT"/bin/* "$OUT"/lib/* | sort -n | tail -n 8 >&2
    exit 1
fi
