#!/usr/bin/env bash
# Installs the Debian 12 packages HPIPS needs to build, test and benchmark.
# Idempotent: packages already present are left alone; prints what it installed.
# Runs as root, or through sudo when it is available.
set -euo pipefail

# Build and runtime libraries. Boost is pinned to 1.81: Debian's default 1.74
# fails to compile Asio under C++20 with g++ 12 and has no Boost.JSON.
PACKAGES=(
  cmake ninja-build ccache pkg-config g++ python3
  libleveldb-dev libsnappy-dev libsecp256k1-dev
  libboost1.81-dev libboost-json1.81-dev libboost-program-options1.81-dev
  libopencv-imgcodecs-dev
  libfmt-dev libgtest-dev libbenchmark-dev
  libsqlite3-dev libzmq3-dev
  clang libclang-rt-14-dev
  # Farm mode of hpips-miner (doc/mining.md); built only when CMake finds MPI.
  libopenmpi-dev openmpi-bin
)
# Only needed for contrib/bench.sh (a benchmark baseline, never linked by the product).
if [ "${HPIPS_BENCH_DEPS:-0}" = "1" ]; then
  PACKAGES+=(libdnnl-dev)
fi
# Headless Chromium for the dashboard's functional test (feature_dashboard.py
# loads the page and takes a screenshot). Large (~100 MB installed), so a
# build-only machine can leave it out with HPIPS_BROWSER_DEPS=0; the test then
# skips its browser part. contrib/test.sh (and CI) keeps the default.
if [ "${HPIPS_BROWSER_DEPS:-1}" = "1" ]; then
  PACKAGES+=(chromium)
fi
# OpenSSL headers: named only when missing, so an existing install is not upgraded.
if ! dpkg -s libssl-dev >/dev/null 2>&1; then
  PACKAGES+=(libssl-dev)
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-deps: need root or sudo to install packages" >&2; exit 1
  fi
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# Boost 1.74 development headers conflict with the 1.81 ones.
if dpkg-query -W -f='${Status}' libboost1.74-dev 2>/dev/null | grep -q "install ok installed"; then
  echo "install-deps: removing libboost1.74-dev (conflicts with Boost 1.81)"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get remove -y libboost1.74-dev
fi

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: installed ${missing[*]}"
