# hpips_project_options(target): warnings as errors on project code only;
# third-party include directories are SYSTEM so their warnings never fail us.
add_library(hpips_options INTERFACE)
target_compile_options(hpips_options INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Werror -Wno-error=deprecated-declarations>)
target_include_directories(hpips_options INTERFACE ${PROJECT_SOURCE_DIR}/src)
if(HPIPS_SANITIZE)
  string(REPLACE ";" "," _san "${HPIPS_SANITIZE}")
  target_compile_options(hpips_options INTERFACE
    $<$<COMPILE_LANGUAGE:CXX>:-fsanitize=${_san} -fno-omit-frame-pointer -fno-sanitize-recover=all>)
  target_link_options(hpips_options INTERFACE -fsanitize=${_san})
endif()
if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  target_compile_options(hpips_options INTERFACE $<$<COMPILE_LANGUAGE:CXX>:-Wthread-safety>)
endif()
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  # GCC 12 reports impossible std::string overlaps at -O3 (GCC PR 105651, fixed
  # in 13): a false positive in libstdc++'s inlined code, not in ours.
  target_compile_options(hpips_options INTERFACE $<$<COMPILE_LANGUAGE:CXX>:-Wno-restrict>)
endif()
