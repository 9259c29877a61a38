#!/usr/bin/env bash
# The clang stage of contrib/test.sh (also runs on its own):
#  1. configures a second build tree (CLANG_BUILD_DIR, default build-clang)
#     with clang, ASan + UBSan and libFuzzer (-DHPIPS_FUZZ=ON), no CUDA, no
#     benchmarks; project code compiles with -Wthread-safety -Werror
#     (cmake/Warnings.cmake), so a lock the analysis cannot prove fails here;
#  2. builds every library and program under src/ (target hpips_src) and every
#     libFuzzer binary (target fuzz_all);
#  3. runs each libFuzzer target for FUZZ_SECONDS (default 20, fewer when
#     the targets would not fit FUZZ_BUDGET, see below) on a scratch
#     copy of its committed corpus (test/fuzz/corpus/<name>; the repository is
#     never written), FUZZ_JOBS (default: the number of CPUs) at a time.
# Exits non-zero on a compile error, a thread-safety warning, or any fuzzer
# crash, sanitizer report, leak or timeout; the input that failed is kept in
# <build>/fuzz-artifacts/ (rerun: <build>/test/fuzz/fuzz_<name> <file>).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${CLANG_BUILD_DIR:-build-clang}
FUZZ_JOBS=${FUZZ_JOBS:-$(nproc)}
# Fuzzing time per target: FUZZ_SECONDS if set, else 20 s, lowered (to no
# less than 5 s) so that the whole fuzz stage stays within FUZZ_BUDGET
# seconds (default 300) of wall time: every new target would otherwise add
# 20 s / FUZZ_JOBS to .ci/run, which must stay under 45 minutes on 2 cores
# from a cold cache (doc/build.md). Longer campaigns set FUZZ_SECONDS.
FUZZ_BUDGET=${FUZZ_BUDGET:-300}
# A unit slower than this is a finding (a hang or a quadratic path), far
# above what any target needs per input.
FUZZ_UNIT_TIMEOUT=${FUZZ_UNIT_TIMEOUT:-60}

for tool in clang clang++; do
  if ! command -v "$tool" >/dev/null; then
    echo "clang-check: $tool not found (contrib/install-deps.sh installs clang and libclang-rt-14-dev)" >&2
    exit 1
  fi
done
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/hpips-ccache}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
# With -g, ccache hashes the build directory's absolute path unless told not
# to, so a checkout at another path (a CI workspace) would miss every entry.
# The cost: debug info may name the directory of the checkout that filled the
# cache, which stack traces (function, file:line) do not need.
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}

start=$(date +%s)
CC=clang CXX=clang++ cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DHPIPS_FUZZ=ON -DHPIPS_SANITIZE="address;undefined" -DHPIPS_CUDA=OFF -DHPIPS_BENCH=OFF
cmake --build "$BUILD_DIR" --parallel "$(nproc)" --target hpips_src fuzz_all
built=$(date +%s)
echo "clang-check: clang build took $(( built - start )) s"

fuzz_dir="$PWD/$BUILD_DIR/test/fuzz"
mapfile -t targets < "$fuzz_dir/fuzz_targets.txt"
if [ "${#targets[@]}" -eq 0 ]; then
  echo "clang-check: no fuzz targets in $fuzz_dir/fuzz_targets.txt" >&2
  exit 1
fi
if [ -z "${FUZZ_SECONDS:-}" ]; then
  FUZZ_SECONDS=$(( FUZZ_BUDGET * FUZZ_JOBS / ${#targets[@]} ))
  [ "$FUZZ_SECONDS" -gt 20 ] && FUZZ_SECONDS=20
  [ "$FUZZ_SECONDS" -lt 5 ] && FUZZ_SECONDS=5
fi
echo "clang-check: ${#targets[@]} fuzz targets, ${FUZZ_SECONDS} s each, ${FUZZ_JOBS} at a time"
artifacts="$PWD/$BUILD_DIR/fuzz-artifacts"
rm -rf "$artifacts"
mkdir -p "$artifacts"
# Scratch space: RAM when there is some (coins_keys and blockfile write a
# LevelDB and block files for every input; on a disk, syncs dominate).
scratch_root=${TMPDIR:-/tmp}
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then scratch_root=/dev/shm; fi
scratch=$(mktemp -d "$scratch_root/hpips-clang-check.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# run_target <name>: fuzzes one target; writes $scratch/<name>.log and
# $scratch/<name>.result ("ok" or the exit status).
run_target() {
  local name=$1
  local corpus="$scratch/corpus/$name"
  mkdir -p "$corpus" "$scratch/tmp/$name"
  cp -R "test/fuzz/corpus/$name/." "$corpus/"
  local rc=0
  # halt_on_error and -fno-sanitize-recover (cmake/Warnings.cmake) make any
  # sanitizer report a crash that libFuzzer records.
  TMPDIR="$scratch/tmp/$name" \
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1} \
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    "$fuzz_dir/fuzz_$name" -max_total_time="$FUZZ_SECONDS" -timeout="$FUZZ_UNIT_TIMEOUT" \
      -print_final_stats=1 -artifact_prefix="$artifacts/$name-" "$corpus" >"$scratch/$name.log" 2>&1 || rc=$?
  local runs
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$scratch/$name.log")
  if [ "$rc" -eq 0 ]; then
    printf 'clang-check: fuzz_%-18s ok     %9s runs in %s s\n' "$name" "${runs:-?}" "$FUZZ_SECONDS"
    echo ok >"$scratch/$name.result"
  else
    printf 'clang-check: fuzz_%-18s FAILED (exit %s)\n' "$name" "$rc"
    echo "$rc" >"$scratch/$name.result"
  fi
}

running=0
for name in "${targets[@]}"; do
  if [ -d "test/fuzz/corpus/$name" ]; then
    run_target "$name" &
  else
    echo "no committed corpus test/fuzz/corpus/$name" >"$scratch/$name.log"
    echo missing >"$scratch/$name.result"
    continue
  fi
  running=$((running + 1))
  if [ "$running" -ge "$FUZZ_JOBS" ]; then
    wait -n || true  # one finished: start the next
    running=$((running - 1))
  fi
done
wait
failed=()
for name in "${targets[@]}"; do
  if [ "$(cat "$scratch/$name.result" 2>/dev/null)" != ok ]; then
    failed+=("$name")
    echo "clang-check: ---- fuzz_$name: last lines of its log ----"
    tail -n 60 "$scratch/$name.log" 2>/dev/null || true
  fi
done
echo "clang-check: fuzzing took $(( $(date +%s) - built )) s; total $(( $(date +%s) - start )) s"

if [ "${#failed[@]}" -ne 0 ]; then
  echo "clang-check: FAILED: ${failed[*]} (inputs kept in $artifacts)" >&2
  exit 1
fi
rmdir "$artifacts" 2>/dev/null || true
echo "clang-check: ${#targets[@]} fuzz targets ran ${FUZZ_SECONDS} s each without a finding"
