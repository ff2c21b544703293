# Shared by the Linux cross toolchain files (aarch64-linux-gnu.cmake,
# riscv64-linux-gnu.cmake, arm-linux-gnueabihf.cmake), which set
# CMAKE_SYSTEM_PROCESSOR, BUILDINFO_CROSS_TRIPLE and BUILDINFO_CROSS_QEMU_NAME
# and include this file: Debian's g++-<triple> cross compilers, their
# sysroot, and qemu-user as CMAKE_CROSSCOMPILING_EMULATOR.
set(CMAKE_SYSTEM_NAME Linux)

# The sysroot that Debian's cross packages (libc6-dev-<arch>-cross and
# friends) install: headers, libraries and the dynamic loader qemu needs (-L).
set(BUILDINFO_CROSS_SYSROOT /usr/${BUILDINFO_CROSS_TRIPLE})

find_program(BUILDINFO_CROSS_GCC NAMES ${BUILDINFO_CROSS_TRIPLE}-gcc REQUIRED)
find_program(BUILDINFO_CROSS_GXX NAMES ${BUILDINFO_CROSS_TRIPLE}-g++ REQUIRED)
set(CMAKE_C_COMPILER ${BUILDINFO_CROSS_GCC})
set(CMAKE_CXX_COMPILER ${BUILDINFO_CROSS_GXX})

# Appended, so that -DCMAKE_FIND_ROOT_PATH=/opt/target-prefix adds a prefix
# holding packages built for the target (a buildinfo runtime installed from
# a build with the same toolchain file, for example).
list(APPEND CMAKE_FIND_ROOT_PATH ${BUILDINFO_CROSS_SYSROOT})
list(REMOVE_DUPLICATES CMAKE_FIND_ROOT_PATH)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

find_program(BUILDINFO_CROSS_QEMU NAMES ${BUILDINFO_CROSS_QEMU_NAME} ${BUILDINFO_CROSS_QEMU_NAME}-static
  NO_CMAKE_FIND_ROOT_PATH)
if(BUILDINFO_CROSS_QEMU)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${BUILDINFO_CROSS_QEMU} -L ${BUILDINFO_CROSS_SYSROOT})
endif()
