# Cross toolchain: arm Linux ELF with Debian's g++-arm-linux-gnueabihf;
# cross binaries run under qemu-user through CMAKE_CROSSCOMPILING_EMULATOR.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR arm)

set(BUILDINFO_CROSS_TRIPLE arm-linux-gnueabihf)
# The sysroot that Debian's cross packages (libc6-dev-armhf-cross and friends)
# install: headers, libraries and the dynamic loader qemu needs (-L).
set(BUILDINFO_CROSS_SYSROOT /usr/${BUILDINFO_CROSS_TRIPLE})

find_program(BUILDINFO_CROSS_GCC NAMES ${BUILDINFO_CROSS_TRIPLE}-gcc REQUIRED)
find_program(BUILDINFO_CROSS_GXX NAMES ${BUILDINFO_CROSS_TRIPLE}-g++ REQUIRED)
set(CMAKE_C_COMPILER ${BUILDINFO_CROSS_GCC})
set(CMAKE_CXX_COMPILER ${BUILDINFO_CROSS_GXX})

# Appended, so that -DCMAKE_FIND_ROOT_PATH=/opt/target-prefix adds a prefix
# holding packages built for the target.
list(APPEND CMAKE_FIND_ROOT_PATH ${BUILDINFO_CROSS_SYSROOT})
list(REMOVE_DUPLICATES CMAKE_FIND_ROOT_PATH)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

find_program(BUILDINFO_CROSS_QEMU NAMES qemu-arm qemu-arm-static NO_CMAKE_FIND_ROOT_PATH)
if(BUILDINFO_CROSS_QEMU)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${BUILDINFO_CROSS_QEMU} -L ${BUILDINFO_CROSS_SYSROOT})
endif()
