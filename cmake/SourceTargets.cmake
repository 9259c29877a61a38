# hpips_add_src_target(<name> <dir>): a custom target that builds every
# library and executable defined in <dir> and its subdirectories, so a check
# (contrib/clang-check.sh) covers all product code — layers added later
# included — without building the tests.
function(_hpips_collect_targets dir out)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  set(found "")
  foreach(target IN LISTS targets)
    get_target_property(type ${target} TYPE)
    if(type MATCHES "^(STATIC_LIBRARY|SHARED_LIBRARY|OBJECT_LIBRARY|MODULE_LIBRARY|EXECUTABLE)$")
      list(APPEND found ${target})
    endif()
  endforeach()
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(subdir IN LISTS subdirs)
    _hpips_collect_targets(${subdir} sub_found)
    list(APPEND found ${sub_found})
  endforeach()
  set(${out} ${found} PARENT_SCOPE)
endfunction()

function(hpips_add_src_target name dir)
  _hpips_collect_targets(${dir} targets)
  add_custom_target(${name} DEPENDS ${targets})
endfunction()
