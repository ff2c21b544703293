# Finds LIEF: prefers an installed LIEF package config (LIEF >= 0.10 ships
# one), else falls back to headers + library as Debian's liblief-dev 0.9 has.
# Defines the imported target LIEF::LIEF and LIEF_VERSION.
find_package(LIEF CONFIG QUIET NO_MODULE)
if(LIEF_FOUND AND TARGET LIEF::LIEF)
  return()
endif()
if(LIEF_FOUND AND TARGET LIB_LIEF)
  add_library(LIEF::LIEF ALIAS LIB_LIEF)
  return()
endif()

find_path(LIEF_INCLUDE_DIR NAMES LIEF/LIEF.hpp)
find_library(LIEF_LIBRARY NAMES LIEF)
if(LIEF_INCLUDE_DIR AND EXISTS "${LIEF_INCLUDE_DIR}/LIEF/version.h")
  file(STRINGS "${LIEF_INCLUDE_DIR}/LIEF/version.h" _lief_version_line REGEX "#define LIEF_VERSION \"")
  string(REGEX MATCH "[0-9]+\\.[0-9]+\\.[0-9]+" LIEF_VERSION "${_lief_version_line}")
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(LIEF
  REQUIRED_VARS LIEF_LIBRARY LIEF_INCLUDE_DIR
  VERSION_VAR LIEF_VERSION)

if(LIEF_FOUND AND NOT TARGET LIEF::LIEF)
  add_library(LIEF::LIEF UNKNOWN IMPORTED)
  set_target_properties(LIEF::LIEF PROPERTIES
    IMPORTED_LOCATION "${LIEF_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${LIEF_INCLUDE_DIR}")
endif()
mark_as_advanced(LIEF_INCLUDE_DIR LIEF_LIBRARY)
