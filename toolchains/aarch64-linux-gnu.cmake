# Cross toolchain: aarch64 Linux ELF with Debian's g++-aarch64-linux-gnu;
# cross binaries run under qemu-user through CMAKE_CROSSCOMPILING_EMULATOR.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(BUILDINFO_AARCH64_TRIPLE aarch64-linux-gnu)
# The sysroot that Debian's cross packages (libc6-dev-arm64-cross and friends)
# install: headers, libraries and the dynamic loader qemu needs (-L).
set(BUILDINFO_AARCH64_SYSROOT /usr/${BUILDINFO_AARCH64_TRIPLE})

find_program(BUILDINFO_AARCH64_GCC NAMES ${BUILDINFO_AARCH64_TRIPLE}-gcc REQUIRED)
find_program(BUILDINFO_AARCH64_GXX NAMES ${BUILDINFO_AARCH64_TRIPLE}-g++ REQUIRED)
set(CMAKE_C_COMPILER ${BUILDINFO_AARCH64_GCC})
set(CMAKE_CXX_COMPILER ${BUILDINFO_AARCH64_GXX})

# Appended, so that -DCMAKE_FIND_ROOT_PATH=/opt/target-prefix adds a prefix
# holding packages built for the target (a buildinfo runtime installed from
# a build with this toolchain file, for example).
list(APPEND CMAKE_FIND_ROOT_PATH ${BUILDINFO_AARCH64_SYSROOT})
list(REMOVE_DUPLICATES CMAKE_FIND_ROOT_PATH)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

find_program(BUILDINFO_QEMU_AARCH64 NAMES qemu-aarch64 qemu-aarch64-static NO_CMAKE_FIND_ROOT_PATH)
if(BUILDINFO_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${BUILDINFO_QEMU_AARCH64} -L ${BUILDINFO_AARCH64_SYSROOT})
endif()
