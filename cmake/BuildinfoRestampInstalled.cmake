# Run by `cmake --install` after every other install rule (see
# _buildinfo_add_install_step in BuildinfoStamp.cmake): each installed file
# that buildinfo_stamp() stamped gets its records bound to it again with
# `buildinfo restamp`, because install(TARGETS) rewrites the RPATH of
# binaries that link the project's own libraries (and may strip them). A
# file the install did not change keeps its record, without needing the
# key. Each installed copy is then marked (restamp --installed-from) so
# that the next install copies it again: re-stamps in the build tree keep
# the build file's time, which install's "Up-to-date" check would miss.

function(buildinfo_restamp_installed dir)
  set(config "${CMAKE_INSTALL_CONFIG_NAME}")
  if(NOT EXISTS "${dir}/names-${config}.txt")
    file(GLOB candidates "${dir}/names-*.txt")
    list(GET candidates 0 names_file)
  else()
    set(names_file "${dir}/names-${config}.txt")
  endif()
  file(STRINGS "${names_file}" lines)
  list(POP_FRONT lines tool)
  # One line per stamped target: its file name, a tab, its build file.
  set(names)
  set(build_files)
  foreach(line IN LISTS lines)
    string(FIND "${line}" "\t" tab)
    string(SUBSTRING "${line}" 0 ${tab} name)
    math(EXPR after "${tab} + 1")
    string(SUBSTRING "${line}" ${after} -1 build_file)
    list(APPEND names "${name}")
    list(APPEND build_files "${build_file}")
  endforeach()
  include("${dir}/arguments.cmake")
  foreach(installed IN LISTS CMAKE_INSTALL_MANIFEST_FILES)
    get_filename_component(name "${installed}" NAME)
    list(FIND names "${name}" index)
    if(index EQUAL -1 OR IS_SYMLINK "${installed}" OR NOT EXISTS "${installed}")
      continue()
    endif()
    list(GET build_files ${index} build_file)
    execute_process(COMMAND "${tool}" restamp "${installed}" --installed-from "${build_file}"
        ${_buildinfo_sign_args_${index}}
      RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE error)
    string(STRIP "${error}" error)
    if(NOT result EQUAL 0)
      message(FATAL_ERROR "buildinfo: cannot bind the record of the installed ${installed} to it: ${error}")
    endif()
    string(STRIP "${output}" output)
    message(STATUS "buildinfo restamp ${output}")
  endforeach()
endfunction()
