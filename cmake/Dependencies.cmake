# Third-party packages, all from Debian 12 (see contrib/install-deps.sh).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
# LevelDB's config needs Threads found first.
find_package(leveldb CONFIG REQUIRED)
pkg_check_modules(SECP256K1 REQUIRED IMPORTED_TARGET libsecp256k1)
# ZMQ notifications (src/zmq): libzmq's C API (Debian libzmq3-dev).
pkg_check_modules(LIBZMQ REQUIRED IMPORTED_TARGET libzmq)
find_package(Boost 1.81 REQUIRED CONFIG COMPONENTS program_options json)
find_package(OpenSSL 3 REQUIRED)
find_package(GTest REQUIRED)
find_package(fmt 9 REQUIRED CONFIG)

# OpenCV's per-module Debian packages ship neither CMake config nor .pc files.
find_path(OPENCV_INCLUDE_DIR opencv2/core.hpp PATH_SUFFIXES opencv4 REQUIRED)
foreach(_mod core imgproc imgcodecs)
  find_library(OPENCV_${_mod}_LIBRARY opencv_${_mod} REQUIRED)
  add_library(opencv::${_mod} UNKNOWN IMPORTED)
  set_target_properties(opencv::${_mod} PROPERTIES
    IMPORTED_LOCATION "${OPENCV_${_mod}_LIBRARY}"
    INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${OPENCV_INCLUDE_DIR}"
    INTERFACE_INCLUDE_DIRECTORIES "${OPENCV_INCLUDE_DIR}")
endforeach()
set_property(TARGET opencv::imgproc PROPERTY INTERFACE_LINK_LIBRARIES opencv::core)
set_property(TARGET opencv::imgcodecs PROPERTY INTERFACE_LINK_LIBRARIES opencv::imgproc)
