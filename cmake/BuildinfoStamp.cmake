# buildinfo_stamp(<target> ...): give a target (an executable, a SHARED or a
# MODULE library) a buildinfo slot and stamp it after every link, and again
# whenever the git state changes, without recompiling or relinking anything.
#
#   buildinfo_stamp(<target>
#     [KEY file | KEY_ENV var | SIGN_COMMAND cmd... SIGN_PUBKEY file | NO_SIGN]
#     [SOURCE_DIR dir]        # repository to describe (default: CMAKE_CURRENT_SOURCE_DIR)
#     [SET key=value...]      # extra entries, stored as custom.<key>
#     [SLOT_SIZE n]           # slot capacity in bytes (default 4096)
#     [SLOT_ONLY]             # add the slot but not the reader (freestanding programs)
#     [UNTRACKED_DIRTY])      # untracked files make the tree dirty
#
# With -DBUILDINFO_STAMP=OFF, targets still get their slot and the reader,
# but no stamp step: their records read "not stamped" (quicker local builds).
#
# The stamp tool is found, in this order: the BUILDINFO_TOOL cache variable,
# the buildinfo::tool target (add_subdirectory, or an imported one from a
# host install), then `buildinfo` on PATH. Cross builds need one of these
# from a host build.

include_guard(GLOBAL)

set(BUILDINFO_TOOL "" CACHE FILEPATH "The buildinfo stamp tool (a host program); found automatically when empty")
option(BUILDINFO_STAMP "Stamp the targets given to buildinfo_stamp() after they link (OFF: slots only)" ON)

# Sets <out_var> to the tool to run and <dep_var> to what the stamp step must
# depend on (the tool's target, so a rebuilt tool re-stamps).
function(_buildinfo_find_tool out_var dep_var)
  if(BUILDINFO_TOOL)
    set(${out_var} "${BUILDINFO_TOOL}" PARENT_SCOPE)
    set(${dep_var} "${BUILDINFO_TOOL}" PARENT_SCOPE)
    return()
  endif()
  if(TARGET buildinfo::tool)
    get_target_property(imported buildinfo::tool IMPORTED)
    set(${out_var} "$<TARGET_FILE:buildinfo::tool>" PARENT_SCOPE)
    if(imported)
      set(${dep_var} "$<TARGET_FILE:buildinfo::tool>" PARENT_SCOPE)
    else()
      set(${dep_var} buildinfo::tool PARENT_SCOPE)
    endif()
    return()
  endif()
  find_program(BUILDINFO_TOOL_PROGRAM buildinfo)
  if(BUILDINFO_TOOL_PROGRAM)
    set(${out_var} "${BUILDINFO_TOOL_PROGRAM}" PARENT_SCOPE)
    set(${dep_var} "${BUILDINFO_TOOL_PROGRAM}" PARENT_SCOPE)
    return()
  endif()
  message(FATAL_ERROR
    "buildinfo_stamp: cannot find the buildinfo tool. It is a host program: build and install "
    "buildinfo for the build machine (cmake --install), then pass -DBUILDINFO_TOOL=/path/to/bin/buildinfo "
    "or put it on PATH. In a native build, find_package(buildinfo) or add_subdirectory() provides it.")
endfunction()

function(buildinfo_stamp target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "NO_SIGN;SLOT_ONLY;UNTRACKED_DIRTY"
    "KEY;KEY_ENV;SIGN_PUBKEY;SOURCE_DIR;SLOT_SIZE" "SIGN_COMMAND;SET")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "buildinfo_stamp(${target}): unknown arguments ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET ${target})
    message(FATAL_ERROR "buildinfo_stamp(${target}): no such target")
  endif()
  # Each linked module (executable, shared library, plugin) carries its own
  # slot and record; a static library is not linked yet.
  get_target_property(target_type ${target} TYPE)
  if(NOT target_type MATCHES "^(EXECUTABLE|SHARED_LIBRARY|MODULE_LIBRARY)$")
    message(FATAL_ERROR "buildinfo_stamp(${target}): a ${target_type} is not a linked module; "
      "stamp the executables and shared libraries that link it")
  endif()
  # How to sign: exactly one of KEY, KEY_ENV, SIGN_COMMAND, NO_SIGN.
  set(sign_args)
  set(sign_depends)
  if(arg_KEY)
    get_filename_component(key "${arg_KEY}" ABSOLUTE)
    list(APPEND sign_args --key "${key}")
    list(APPEND sign_depends "${key}")
  endif()
  if(arg_KEY_ENV)
    list(APPEND sign_args --key-env "${arg_KEY_ENV}")
  endif()
  if(arg_SIGN_COMMAND)
    if(NOT arg_SIGN_PUBKEY)
      message(FATAL_ERROR "buildinfo_stamp(${target}): SIGN_COMMAND needs SIGN_PUBKEY (the signer's public key)")
    endif()
    list(JOIN arg_SIGN_COMMAND " " sign_command)
    get_filename_component(pubkey "${arg_SIGN_PUBKEY}" ABSOLUTE)
    list(APPEND sign_args --sign-command "${sign_command}" --sign-pubkey "${pubkey}")
  endif()
  if(arg_NO_SIGN)
    list(APPEND sign_args --no-sign)
  endif()
  set(sign_count 0)
  foreach(way KEY KEY_ENV SIGN_COMMAND NO_SIGN)
    if(arg_${way})
      math(EXPR sign_count "${sign_count} + 1")
    endif()
  endforeach()
  if(NOT sign_count EQUAL 1)
    message(FATAL_ERROR "buildinfo_stamp(${target}): give exactly one of KEY, KEY_ENV, SIGN_COMMAND or NO_SIGN")
  endif()

  # The slot: defined in a generated source of the target itself, so it is
  # linked even when the program never calls buildinfo::read().
  set(slot_size 4096)
  if(arg_SLOT_SIZE)
    set(slot_size ${arg_SLOT_SIZE})
  endif()
  get_property(languages GLOBAL PROPERTY ENABLED_LANGUAGES)
  set(slot_extension cc)
  if("C" IN_LIST languages)
    set(slot_extension c)
  endif()
  set(work_dir "${CMAKE_CURRENT_BINARY_DIR}/buildinfo")
  set(slot_source "${work_dir}/${target}-slot.${slot_extension}")
  file(CONFIGURE OUTPUT "${slot_source}" CONTENT
    "/* Generated by buildinfo_stamp(${target}): the module's buildinfo slot. */\n#include <buildinfo/slot_layout.h>\nBUILDINFO_DEFINE_SLOT(${slot_size});\n")
  target_sources(${target} PRIVATE "${slot_source}")
  if(arg_SLOT_ONLY OR NOT TARGET buildinfo::runtime)
    target_link_libraries(${target} PRIVATE buildinfo::headers)
  else()
    target_link_libraries(${target} PRIVATE buildinfo::runtime)
  endif()
  if(NOT BUILDINFO_STAMP)
    return()
  endif()
  _buildinfo_find_tool(tool tool_dependency)

  # Facts the build system knows.
  set(source_dir "${CMAKE_CURRENT_SOURCE_DIR}")
  if(arg_SOURCE_DIR)
    get_filename_component(source_dir "${arg_SOURCE_DIR}" ABSOLUTE)
  endif()
  set(language C)
  if("CXX" IN_LIST languages)
    set(language CXX)
  endif()
  set(fact_args --source-dir "${source_dir}"
    --compiler-id "${CMAKE_${language}_COMPILER_ID}"
    --compiler-version "${CMAKE_${language}_COMPILER_VERSION}")
  if(PROJECT_NAME)
    list(APPEND fact_args --project-name "${PROJECT_NAME}")
  endif()
  if(PROJECT_VERSION)
    list(APPEND fact_args --project-version "${PROJECT_VERSION}")
  endif()
  foreach(entry IN LISTS arg_SET)
    list(APPEND fact_args --set "${entry}")
  endforeach()
  set(dirty_args)
  if(arg_UNTRACKED_DIRTY)
    set(dirty_args --untracked-dirty)
  endif()

  # The git state, rewritten only when it changes. Its step runs at every
  # build; the stamp runs only when this file, the binary or the tool
  # changed, and takes the git facts from it (the repository is read once).
  set(vcs_state "${work_dir}/${target}.vcs-state")
  add_custom_target(${target}_buildinfo_vcs_state
    COMMAND ${tool} vcs-state --source-dir "${source_dir}" --output "${vcs_state}" ${dirty_args}
    BYPRODUCTS "${vcs_state}"
    COMMENT ""
    VERBATIM)

  set(witness "${work_dir}/${target}.stamped")
  add_custom_command(OUTPUT "${witness}"
    COMMAND ${tool} stamp "$<TARGET_FILE:${target}>" --vcs-state "${vcs_state}" ${fact_args} ${sign_args} -q
    COMMAND ${CMAKE_COMMAND} -E touch "${witness}"
    DEPENDS ${target} "${vcs_state}" ${tool_dependency} ${sign_depends}
    COMMENT "Stamping ${target} with its build record"
    VERBATIM)
  add_custom_target(${target}_buildinfo ALL DEPENDS "${witness}")
  add_dependencies(${target}_buildinfo ${target}_buildinfo_vcs_state)
  if(TARGET "${tool_dependency}")
    # The vcs-state step runs the tool too: build it first.
    get_target_property(tool_target "${tool_dependency}" ALIASED_TARGET)
    if(NOT tool_target)
      set(tool_target "${tool_dependency}")
    endif()
    add_dependencies(${target}_buildinfo_vcs_state ${tool_target})
  endif()
endfunction()
