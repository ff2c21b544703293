# Cross toolchain: x86_64 Windows PE with MinGW-w64 (Debian g++-mingw-w64-x86-64);
# cross binaries run under wine64 through CMAKE_CROSSCOMPILING_EMULATOR.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR AMD64)

set(BUILDINFO_MINGW_TRIPLE x86_64-w64-mingw32)

# Debian ships two thread models: -win32 (the default alternative) and -posix
# (winpthreads; the one with std::thread and std::mutex). Prefer -posix.
find_program(BUILDINFO_MINGW_GCC NAMES ${BUILDINFO_MINGW_TRIPLE}-gcc-posix ${BUILDINFO_MINGW_TRIPLE}-gcc REQUIRED)
find_program(BUILDINFO_MINGW_GXX NAMES ${BUILDINFO_MINGW_TRIPLE}-g++-posix ${BUILDINFO_MINGW_TRIPLE}-g++ REQUIRED)
find_program(BUILDINFO_MINGW_WINDRES NAMES ${BUILDINFO_MINGW_TRIPLE}-windres windres)
set(CMAKE_C_COMPILER ${BUILDINFO_MINGW_GCC})
set(CMAKE_CXX_COMPILER ${BUILDINFO_MINGW_GXX})
if(BUILDINFO_MINGW_WINDRES)
  set(CMAKE_RC_COMPILER ${BUILDINFO_MINGW_WINDRES})
endif()

# Libraries and headers come from the MinGW sysroot only; programs (code
# generators and the like) from the host.
# Appended, so that -DCMAKE_FIND_ROOT_PATH=/opt/target-prefix adds a prefix
# holding packages built for the target (a buildinfo runtime installed from
# a build with this toolchain file, for example).
list(APPEND CMAKE_FIND_ROOT_PATH /usr/${BUILDINFO_MINGW_TRIPLE})
list(REMOVE_DUPLICATES CMAKE_FIND_ROOT_PATH)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Debian installs the wine64 launcher in wine's lib folder, not on PATH.
# Searched with NO_CMAKE_FIND_ROOT_PATH so the host path is used as is.
find_program(BUILDINFO_WINE64 NAMES wine64 wine
  HINTS /usr/lib/wine /usr/lib64/wine /usr/lib/x86_64-linux-gnu/wine /opt/wine-stable/bin
  NO_CMAKE_FIND_ROOT_PATH)
if(BUILDINFO_WINE64)
  # In this source tree, run through ci/wine.sh: it creates the wine prefix
  # once (under a lock, quiet, no display) and keeps ctest from waiting ~3 s
  # per test for wineserver to let go of the output pipe. Elsewhere (this
  # file copied into another project) run wine64 directly.
  set(_buildinfo_wine_wrapper "${CMAKE_CURRENT_LIST_DIR}/../ci/wine.sh")
  if(EXISTS "${_buildinfo_wine_wrapper}")
    get_filename_component(_buildinfo_wine_wrapper "${_buildinfo_wine_wrapper}" REALPATH)
    set(CMAKE_CROSSCOMPILING_EMULATOR "${_buildinfo_wine_wrapper}")
  else()
    set(CMAKE_CROSSCOMPILING_EMULATOR "${BUILDINFO_WINE64}")
  endif()
endif()
