# buildinfo_stamp(<target> ...): give a target (an executable, a SHARED or a
# MODULE library) a buildinfo slot and stamp it after every link, and again
# whenever the git state changes, without recompiling or relinking anything.
#
#   buildinfo_stamp(<target>
#     [KEY file | KEY_ENV var | SIGN_COMMAND cmd... SIGN_PUBKEY file | NO_SIGN]
#     [SOURCE_DIR dir]        # repository to describe (default: CMAKE_CURRENT_SOURCE_DIR)
#     [PROJECT_NAME name]     # default: the nearest project() with a version, else the top-level one
#     [PROJECT_VERSION ver]
#     [SET key=value...]      # extra entries, stored as custom.<key>
#     [SLOT_SIZE n]           # slot capacity in bytes (default 4096)
#     [SLOT_ONLY]             # add the slot but not the reader (freestanding programs)
#     [PACKAGE_TYPE type]     # the package note's "type" (default buildinfo)
#     [PACKAGE_NOTE_SIZE n]   # its JSON space in bytes (default 512)
#     [NO_PACKAGE_NOTE]       # no package note (.note.package, .pkgnote)
#     [NO_VERSION_RESOURCE]   # no Windows version resource (PE targets)
#     [NO_DEPENDENCIES]       # no dependency inventory
#     [DEPS_SIZE n]           # its JSON space in bytes (default: sized from what the target links)
#     [UNTRACKED_DIRTY])      # untracked files make the tree dirty
#
# It works with any project as it is: C-only or C++-only, targets linked with
# the plain or the keyword target_link_libraries() signature, one target
# built alone (`ninja app` stamps app), and `cmake --install`, which binds
# the records again to the installed files after it rewrote their RPATH.
#
# With -DBUILDINFO_STAMP=OFF, targets still get their slot and the reader,
# but no stamp step: their records read "not stamped" (quicker local builds).
#
# The stamp tool is found, in this order: the BUILDINFO_TOOL cache variable,
# the buildinfo::tool target (add_subdirectory, or an imported one from a
# host install), then `buildinfo` on PATH or in CMAKE_PREFIX_PATH. Cross
# builds need one of these from a host build.

include_guard(GLOBAL)
if(CMAKE_VERSION VERSION_LESS 3.19)
  message(FATAL_ERROR "buildinfo_stamp() needs CMake 3.19 or later (this is ${CMAKE_VERSION})")
endif()
# The functions below keep these policies wherever they are called from
# (CMake records them when a function is defined), whatever the calling
# project's cmake_minimum_required says.
cmake_policy(PUSH)
cmake_policy(VERSION 3.19...3.25)

include("${CMAKE_CURRENT_LIST_DIR}/BuildinfoDependencies.cmake")

set(BUILDINFO_TOOL "" CACHE FILEPATH "The buildinfo stamp tool (a host program); found automatically when empty")
option(BUILDINFO_STAMP "Stamp the targets given to buildinfo_stamp() after they link (OFF: slots only)" ON)

# Sets <out_var> to the tool to run and <dep_var> to what a stamp step must
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
      get_target_property(tool_target buildinfo::tool ALIASED_TARGET)
      set(${dep_var} ${tool_target} PARENT_SCOPE)
    endif()
    return()
  endif()
  # A host program, also in cross builds: never looked up in the target's
  # root path.
  find_program(BUILDINFO_TOOL_PROGRAM buildinfo NO_CMAKE_FIND_ROOT_PATH)
  if(BUILDINFO_TOOL_PROGRAM)
    set(${out_var} "${BUILDINFO_TOOL_PROGRAM}" PARENT_SCOPE)
    set(${dep_var} "${BUILDINFO_TOOL_PROGRAM}" PARENT_SCOPE)
    return()
  endif()
  message(FATAL_ERROR
    "buildinfo_stamp: cannot find the buildinfo tool. It is a host program: build and install "
    "buildinfo for the build machine (cmake --install), then pass -DBUILDINFO_TOOL=/path/to/bin/buildinfo, "
    "add its prefix to CMAKE_PREFIX_PATH or put it on PATH. In a native build, find_package(buildinfo) or "
    "add_subdirectory() provides it.")
endfunction()

# The language the slot source of <target> is compiled as: C where the
# target's directory has C enabled (so a C target stays a C target, linked
# without the C++ runtime), else C++ (a CXX-only project).
function(_buildinfo_slot_language target out_var)
  get_target_property(dir ${target} SOURCE_DIR)
  get_directory_property(c_rule DIRECTORY "${dir}" DEFINITION CMAKE_C_COMPILE_OBJECT)
  get_directory_property(cxx_rule DIRECTORY "${dir}" DEFINITION CMAKE_CXX_COMPILE_OBJECT)
  if(c_rule)
    set(${out_var} C PARENT_SCOPE)
  elseif(cxx_rule)
    set(${out_var} CXX PARENT_SCOPE)
  else()
    message(FATAL_ERROR "buildinfo_stamp(${target}): the slot source needs C or CXX enabled in ${dir}")
  endif()
endfunction()

# The file extension of the sources generated for <target>: .c or .cc, as
# _buildinfo_slot_language says.
function(_buildinfo_source_extension target out_var)
  _buildinfo_slot_language(${target} language)
  set(extension c)
  if(language STREQUAL "CXX")
    set(extension cc)
  endif()
  set(${out_var} ${extension} PARENT_SCOPE)
endfunction()

# Fails configure unless <value>, the <option> of buildinfo_stamp(<target>),
# is a multiple of 4 bytes from 16 to <max> (FORMAT.md's limits, said here
# rather than as a compiler error).
function(_buildinfo_check_space_size target option value max max_text)
  set(remainder 1)
  if(value MATCHES "^[0-9]+$")
    math(EXPR remainder "${value} % 4")
  endif()
  if(NOT remainder EQUAL 0 OR value LESS 16 OR value GREATER ${max})
    message(FATAL_ERROR "buildinfo_stamp(${target}): ${option} '${value}' must be a multiple of 4 bytes "
      "from 16 to ${max_text}")
  endif()
endfunction()

# The language whose compiler the record names: C++ when the target has C++
# sources, else C.
function(_buildinfo_record_language target out_var)
  get_target_property(sources ${target} SOURCES)
  set(language C)
  foreach(source IN LISTS sources)
    if(source MATCHES "\\.(cc|cpp|cxx|c\\+\\+|C|CPP)$")
      set(language CXX)
    endif()
  endforeach()
  get_target_property(dir ${target} SOURCE_DIR)
  get_directory_property(id DIRECTORY "${dir}" DEFINITION CMAKE_${language}_COMPILER_ID)
  if(NOT id)
    if(language STREQUAL "C")
      set(language CXX)
    else()
      set(language C)
    endif()
  endif()
  set(${out_var} ${language} PARENT_SCOPE)
endfunction()

# The top of the git repository that holds <dir> (where .git is, a
# directory or, in worktrees and submodules, a file), or <dir> itself.
function(_buildinfo_repository_root dir out_var)
  set(at "${dir}")
  while(TRUE)
    if(EXISTS "${at}/.git")
      set(${out_var} "${at}" PARENT_SCOPE)
      return()
    endif()
    get_filename_component(parent "${at}" DIRECTORY)
    if(parent STREQUAL at OR parent STREQUAL "")
      break()
    endif()
    set(at "${parent}")
  endwhile()
  set(${out_var} "${dir}" PARENT_SCOPE)
endfunction()

# Sets <out_var> to the command prefix `buildinfo-vcs-check <file> --` for
# `<tool> vcs-state ... --output <file>`, with the program beside the tool (the
# buildinfo::vcs_check target, or the file next to a tool given by path),
# or nothing when there is none (vcs-state then checks the proof itself).
function(_buildinfo_find_vcs_check tool file out_var)
  set(${out_var} "" PARENT_SCOPE)
  if(tool MATCHES "^\\$<TARGET_FILE:buildinfo::tool>$" AND TARGET buildinfo::vcs_check)
    set(check "$<TARGET_FILE:buildinfo::vcs_check>")
  elseif(NOT tool MATCHES "^\\$<")
    get_filename_component(tool_dir "${tool}" DIRECTORY)
    set(check "${tool_dir}/buildinfo-vcs-check")
    if(NOT EXISTS "${check}")
      return()
    endif()
  else()
    return()
  endif()
  set(${out_var} "${check}" "${file}" -- PARENT_SCOPE)
endfunction()

# The git-state step of the repository that holds <source_dir>: one per
# repository (and untracked-files rule) in the whole build, however many
# targets are stamped from it. It runs at every build and rewrites its file
# only when the state changed. Sets <file_var> and <target_var>.
function(_buildinfo_vcs_state source_dir untracked tool tool_dependency file_var target_var)
  _buildinfo_repository_root("${source_dir}" root)
  string(MD5 key "${root}|${untracked}")
  string(SUBSTRING "${key}" 0 10 key)
  set(name buildinfo_vcs_state_${key})
  set(file "${CMAKE_BINARY_DIR}/buildinfo/vcs-state-${key}")
  if(NOT TARGET ${name})
    set(dirty_args)
    if(untracked)
      set(dirty_args --untracked-dirty)
    endif()
    get_filename_component(root_name "${root}" NAME)
    # buildinfo-vcs-check answers at once when the state's proof still
    # holds, and runs `buildinfo vcs-state` otherwise (docs/PERFORMANCE.md).
    _buildinfo_find_vcs_check("${tool}" "${file}" check)
    # The top-level project's directory when it lies in the repository, so
    # that a project the repository does not track (a tarball unpacked in
    # someone's checkout) is not described by it.
    set(described "${root}")
    string(FIND "${CMAKE_SOURCE_DIR}/" "${root}/" at)
    if(at EQUAL 0)
      set(described "${CMAKE_SOURCE_DIR}")
    endif()
    # Ninja and make run the step as `/bin/sh -c "cd DIR && COMMAND"`; with
    # `exec` the shell becomes the check instead of waiting for it, which
    # took 0.8 ms off lz4's no-op build (docs/PERFORMANCE.md).
    set(shell_exec)
    if(CMAKE_HOST_UNIX AND NOT CMAKE_GENERATOR MATCHES "Visual Studio|Xcode")
      set(shell_exec exec)
    endif()
    add_custom_target(${name}
      COMMAND ${shell_exec} ${check} ${tool} vcs-state --source-dir "${described}" --output "${file}" ${dirty_args}
      BYPRODUCTS "${file}"
      COMMENT "buildinfo: git state of ${root_name}"
      VERBATIM)
    if(TARGET "${tool_dependency}")
      add_dependencies(${name} ${tool_dependency})
    endif()
  endif()
  set(${file_var} "${file}" PARENT_SCOPE)
  set(${target_var} ${name} PARENT_SCOPE)
endfunction()

# At install time every installed file that buildinfo_stamp() stamped gets
# its records bound to it again (buildinfo restamp), since install(TARGETS)
# rewrites RPATHs (and --strip strips). The step must run after the rule
# that installed the file: it is added at the end of the top-level
# directory, which comes last when CMP0082 is NEW, and at the end of each
# directory that stamps targets, which comes after that directory's own
# rules when CMP0082 is OLD (subdirectories then install after the
# top-level rules). Each run is cheap and changes only files not yet bound.
function(_buildinfo_register_install target tool sign_args)
  get_property(registered GLOBAL PROPERTY _BUILDINFO_INSTALL_TARGETS)
  if(NOT registered)
    set_property(GLOBAL PROPERTY _BUILDINFO_INSTALL_TOOL "${tool}")
    cmake_language(DEFER DIRECTORY "${CMAKE_SOURCE_DIR}" CALL _buildinfo_write_install_data)
    cmake_language(DEFER DIRECTORY "${CMAKE_SOURCE_DIR}" CALL _buildinfo_add_install_step)
  endif()
  get_property(hooked DIRECTORY PROPERTY _BUILDINFO_INSTALL_STEP)
  if(NOT hooked AND NOT CMAKE_CURRENT_SOURCE_DIR STREQUAL CMAKE_SOURCE_DIR)
    set_property(DIRECTORY PROPERTY _BUILDINFO_INSTALL_STEP TRUE)
    cmake_language(DEFER CALL _buildinfo_add_install_step)
  endif()
  set_property(GLOBAL APPEND PROPERTY _BUILDINFO_INSTALL_TARGETS ${target})
  set_property(GLOBAL PROPERTY _BUILDINFO_SIGN_ARGS_${target} "${sign_args}")
endfunction()

# What the install step needs, written once all targets are known:
# generator expressions (the file names, the tool) into one file, the
# signing arguments, taken literally, into another.
function(_buildinfo_write_install_data)
  get_property(targets GLOBAL PROPERTY _BUILDINFO_INSTALL_TARGETS)
  get_property(tool GLOBAL PROPERTY _BUILDINFO_INSTALL_TOOL)
  set(names "${tool}\n")
  set(arguments "")
  set(index 0)
  foreach(target IN LISTS targets)
    string(APPEND names "$<TARGET_FILE_NAME:${target}>\t$<TARGET_FILE:${target}>\n")
    get_property(sign_args GLOBAL PROPERTY _BUILDINFO_SIGN_ARGS_${target})
    string(APPEND arguments "set(_buildinfo_sign_args_${index}")
    foreach(arg IN LISTS sign_args)
      string(APPEND arguments " [==[${arg}]==]")
    endforeach()
    string(APPEND arguments ")\n")
    math(EXPR index "${index} + 1")
  endforeach()
  set(dir "${CMAKE_BINARY_DIR}/buildinfo/install")
  file(GENERATE OUTPUT "${dir}/names-$<CONFIG>.txt" CONTENT "${names}")
  file(WRITE "${dir}/arguments.cmake" "${arguments}")
endfunction()

function(_buildinfo_add_install_step)
  set(all_components)
  if(NOT CMAKE_VERSION VERSION_LESS 3.21)
    set(all_components ALL_COMPONENTS)  # also for `cmake --install --component X`
  endif()
  install(CODE "include(\"${CMAKE_CURRENT_FUNCTION_LIST_DIR}/BuildinfoRestampInstalled.cmake\")
buildinfo_restamp_installed(\"${CMAKE_BINARY_DIR}/buildinfo/install\")" ${all_components})
endfunction()

# Sets `out` to the flag by which the link of `target` writes its own
# package note (the linkers' --package-metadata, Debian's package-notes
# specs or linker script), or to "" when it writes none.
function(_buildinfo_linker_writes_package_note target out)
  get_target_property(target_options ${target} LINK_OPTIONS)
  get_directory_property(directory_options LINK_OPTIONS)
  string(TOUPPER "${CMAKE_BUILD_TYPE}" build_type)
  set(flags "${CMAKE_EXE_LINKER_FLAGS} ${CMAKE_SHARED_LINKER_FLAGS} ${CMAKE_MODULE_LINKER_FLAGS}"
    "${CMAKE_EXE_LINKER_FLAGS_${build_type}} ${CMAKE_SHARED_LINKER_FLAGS_${build_type}}"
    "${target_options} ${directory_options} $ENV{LDFLAGS}")
  set(found "")
  if(flags MATCHES "(--package-metadata[^ ;]*|package-notes[^ ;]*)")
    set(found "${CMAKE_MATCH_1}")
  endif()
  set(${out} "${found}" PARENT_SCOPE)
endfunction()

# The Windows version resource of a PE target (FORMAT.md, "The Windows
# version resource"): a VERSIONINFO whose StringTable holds a `Buildinfo`
# string, with room that stamp fills in place with the version and the
# revision. Called at the end of the target's directory, once its sources
# are all known: a target with its own VERSIONINFO keeps it alone (two would
# clash at link time; stamp then leaves the target's own untouched).
function(_buildinfo_version_resource target)
  get_target_property(target_dir ${target} SOURCE_DIR)
  get_target_property(sources ${target} SOURCES)
  foreach(source IN LISTS sources)
    if(NOT source MATCHES "\\.rc$")
      continue()
    endif()
    get_filename_component(path "${source}" ABSOLUTE BASE_DIR "${target_dir}")
    if(EXISTS "${path}")
      file(READ "${path}" text)
      string(TOUPPER "${text}" text)
      if(text MATCHES "[ \t]VERSIONINFO[ \t\r\n]")
        message(STATUS "buildinfo_stamp(${target}): ${source} has its own VERSIONINFO; not adding one "
          "(stamp leaves it as it is)")
        return()
      endif()
    endif()
  endforeach()
  get_directory_property(rc_rule DIRECTORY "${target_dir}" DEFINITION CMAKE_RC_COMPILE_OBJECT)
  if(NOT rc_rule)
    message(STATUS "buildinfo_stamp(${target}): no resource compiler (RC) enabled; no version resource")
    return()
  endif()
  # Each reserved value: 127 UTF-16 units and the NUL, the room stamp has.
  string(REPEAT "." 109 padding)
  set(reserved "buildinfo-reserved${padding}")
  get_target_property(target_type ${target} TYPE)
  set(file_type 0x1)  # VFT_APP
  if(NOT target_type STREQUAL "EXECUTABLE")
    set(file_type 0x2)  # VFT_DLL
  endif()
  set(rc "${CMAKE_CURRENT_BINARY_DIR}/buildinfo/${target}-version.rc")
  # Numbers, not winver.h's names, so that no include path is needed.
  # FILEOS 0x40004 is VOS_NT_WINDOWS32; language 0x0409 (U.S. English) and
  # code page 1200 (UTF-16) as the StringTable key 040904b0 says.
  file(CONFIGURE OUTPUT "${rc}" CONTENT "// Generated by buildinfo_stamp(${target}): its version resource, filled by buildinfo stamp.
1 VERSIONINFO
FILEVERSION 0,0,0,0
PRODUCTVERSION 0,0,0,0
FILEFLAGSMASK 0x3f
FILEFLAGS 0x0
FILEOS 0x40004
FILETYPE ${file_type}
FILESUBTYPE 0x0
BEGIN
  BLOCK \"StringFileInfo\"
  BEGIN
    BLOCK \"040904b0\"
    BEGIN
      VALUE \"Buildinfo\", \"reserved by buildinfo_stamp(), filled by buildinfo stamp\"
      VALUE \"FileDescription\", \"${target}\"
      VALUE \"InternalName\", \"${target}\"
      VALUE \"ProductName\", \"${reserved}\"
      VALUE \"FileVersion\", \"${reserved}\"
      VALUE \"ProductVersion\", \"${reserved}\"
      VALUE \"SourceRevision\", \"${reserved}\"
    END
  END
  BLOCK \"VarFileInfo\"
  BEGIN
    VALUE \"Translation\", 0x409, 1200
  END
END
")
  target_sources(${target} PRIVATE "${rc}")
endfunction()

function(buildinfo_stamp target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "NO_SIGN;SLOT_ONLY;UNTRACKED_DIRTY;NO_PACKAGE_NOTE;NO_VERSION_RESOURCE;NO_DEPENDENCIES"
    "KEY;KEY_ENV;SIGN_PUBKEY;SOURCE_DIR;SLOT_SIZE;PROJECT_NAME;PROJECT_VERSION;PACKAGE_TYPE;PACKAGE_NOTE_SIZE;DEPS_SIZE"
    "SIGN_COMMAND;SET")
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
  # linked even when the program never calls buildinfo_read().
  set(slot_size 4096)
  if(DEFINED arg_SLOT_SIZE)
    set(slot_size ${arg_SLOT_SIZE})
  endif()
  # FORMAT.md's limits, which BUILDINFO_DEFINE_SLOT and every reader enforce
  # too; said here at configure time rather than as a compiler error.
  if(NOT slot_size MATCHES "^[0-9]+$" OR slot_size LESS 256 OR slot_size GREATER 1048576)
    message(FATAL_ERROR "buildinfo_stamp(${target}): SLOT_SIZE '${slot_size}' must be a whole number of bytes "
      "from 256 to 1048576 (1 MiB)")
  endif()
  # The UAPI.8 package note (FORMAT.md, "The package note"), reserved here
  # and filled by stamp, unless the project's link already writes one.
  set(package_note "")
  if(NOT arg_NO_PACKAGE_NOTE)
    set(package_note_size 512)
    if(DEFINED arg_PACKAGE_NOTE_SIZE)
      set(package_note_size ${arg_PACKAGE_NOTE_SIZE})
    endif()
    _buildinfo_check_space_size(${target} PACKAGE_NOTE_SIZE "${package_note_size}" 65536 "65536")
    _buildinfo_linker_writes_package_note(${target} linker_note)
    if(linker_note)
      message(STATUS "buildinfo_stamp(${target}): the link writes a package note (${linker_note}); "
        "not reserving another")
    else()
      set(package_note "BUILDINFO_DEFINE_PACKAGE_NOTE(${package_note_size});\n")
    endif()
  endif()
  _buildinfo_source_extension(${target} slot_extension)
  set(work_dir "${CMAKE_CURRENT_BINARY_DIR}/buildinfo")
  set(slot_source "${work_dir}/${target}-slot.${slot_extension}")
  file(CONFIGURE OUTPUT "${slot_source}" CONTENT
    "/* Generated by buildinfo_stamp(${target}): the module's buildinfo slot and package note. */\n#include <buildinfo/slot_layout.h>\n${package_note}BUILDINFO_DEFINE_SLOT(${slot_size});\n")
  target_sources(${target} PRIVATE "${slot_source}")
  # The LINK_LIBRARIES property rather than target_link_libraries(), which
  # would clash with whichever signature (plain or keyword) the project uses
  # for this target. Private either way: nothing is added to its link
  # interface.
  if(arg_SLOT_ONLY OR NOT TARGET buildinfo::runtime)
    set_property(TARGET ${target} APPEND PROPERTY LINK_LIBRARIES buildinfo::headers)
  else()
    set_property(TARGET ${target} APPEND PROPERTY LINK_LIBRARIES buildinfo::runtime)
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
  _buildinfo_record_language(${target} language)
  get_target_property(target_dir ${target} SOURCE_DIR)
  get_directory_property(compiler_id DIRECTORY "${target_dir}" DEFINITION CMAKE_${language}_COMPILER_ID)
  get_directory_property(compiler_version DIRECTORY "${target_dir}" DEFINITION CMAKE_${language}_COMPILER_VERSION)
  set(fact_args --compiler-id "${compiler_id}" --compiler-version "${compiler_version}")
  # The project: the arguments, else the nearest project() that has a
  # version (a subdirectory's `project(programs C)` names a part, not the
  # project), else the top-level one.
  set(project_name "${PROJECT_NAME}")
  set(project_version "${PROJECT_VERSION}")
  if(NOT project_version AND CMAKE_PROJECT_VERSION)
    set(project_name "${CMAKE_PROJECT_NAME}")
    set(project_version "${CMAKE_PROJECT_VERSION}")
  endif()
  if(arg_PROJECT_NAME)
    set(project_name "${arg_PROJECT_NAME}")
  endif()
  if(arg_PROJECT_VERSION)
    set(project_version "${arg_PROJECT_VERSION}")
  endif()
  if(project_name)
    list(APPEND fact_args --project-name "${project_name}")
  endif()
  if(project_version)
    list(APPEND fact_args --project-version "${project_version}")
  endif()
  foreach(entry IN LISTS arg_SET)
    list(APPEND fact_args --set "${entry}")
  endforeach()
  if(arg_PACKAGE_TYPE)
    list(APPEND fact_args --package-type "${arg_PACKAGE_TYPE}")
  endif()
  if(arg_NO_PACKAGE_NOTE)
    list(APPEND fact_args --no-package-note)
  endif()
  set(dirty_args)
  if(arg_UNTRACKED_DIRTY)
    set(dirty_args --untracked-dirty)
  endif()
  # The dependency inventory (FORMAT.md, "The dependency inventory"),
  # collected once the target's directory has declared all its links.
  set(inventory "")
  if(NOT arg_NO_DEPENDENCIES)
    if(DEFINED arg_DEPS_SIZE)
      _buildinfo_check_space_size(${target} DEPS_SIZE "${arg_DEPS_SIZE}" 1048576 "1048576 (1 MiB)")
    endif()
    set(inventory "${work_dir}/${target}-deps.json")
    set_property(GLOBAL PROPERTY _BUILDINFO_SOURCE_DIR_${target} "${source_dir}")
    set_property(GLOBAL PROPERTY _BUILDINFO_TOOL_${target} "${tool}")
    set_property(GLOBAL PROPERTY _BUILDINFO_TOOL_DEPENDENCY_${target} "${tool_dependency}")
    set_property(GLOBAL PROPERTY _BUILDINFO_UNTRACKED_${target} "${arg_UNTRACKED_DIRTY}")
    set_property(GLOBAL PROPERTY _BUILDINFO_DEPS_SIZE_${target} "${arg_DEPS_SIZE}")
    cmake_language(EVAL CODE
      "cmake_language(DEFER CALL _buildinfo_dependency_step [==[${target}]==] [==[${inventory}]==])")
    list(APPEND fact_args --deps-file "${inventory}")
  endif()
  if(WIN32 AND NOT arg_NO_VERSION_RESOURCE)
    # Deferred, with the target's name fixed now (a deferred call's
    # arguments are evaluated when it runs).
    cmake_language(EVAL CODE
      "cmake_language(DEFER CALL _buildinfo_version_resource [==[${target}]==])")
  endif()

  _buildinfo_vcs_state("${source_dir}" "${arg_UNTRACKED_DIRTY}" "${tool}" "${tool_dependency}" vcs_state vcs_target)

  # 1. Right after every link, as part of the link step: `ninja app` alone
  # gives a stamped app. It never waits for the git-state step: it takes
  # the facts of the step's proof when that still holds (the step usually
  # ran beside the compiler), and reads the repository itself otherwise.
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND ${tool} stamp "$<TARGET_FILE:${target}>" --source-dir "${source_dir}" ${dirty_args}
      --vcs-proof "${vcs_state}.proof" ${fact_args} ${sign_args} -q
    VERBATIM)
  if(TARGET "${tool_dependency}")
    add_dependencies(${target} ${tool_dependency})
  endif()

  # 2. When the git state changes (a commit, a checkout, a dirty tree):
  # re-stamp the linked binary from the git-state file. The step waits for
  # the link but does not depend on the binary's file, and --keep-timestamp
  # leaves the binary older than what links it: a re-stamp relinks nothing,
  # shared libraries included.
  set(witness "${work_dir}/${target}.stamped")
  add_custom_command(OUTPUT "${witness}"
    COMMAND ${tool} stamp "$<TARGET_FILE:${target}>" --vcs-state "${vcs_state}" ${fact_args} ${sign_args}
      --keep-timestamp -q
    COMMAND ${CMAKE_COMMAND} -E touch "${witness}"
    DEPENDS "${vcs_state}" ${inventory} ${tool_dependency} ${sign_depends}
    COMMENT "Stamping ${target} with its build record"
    VERBATIM)
  add_custom_target(${target}_buildinfo ALL DEPENDS "${witness}")
  add_dependencies(${target}_buildinfo ${target} ${vcs_target})

  # 3. At install time: bind the installed file's records to it again.
  _buildinfo_register_install(${target} "${tool}" "${sign_args}")
endfunction()

cmake_policy(POP)
