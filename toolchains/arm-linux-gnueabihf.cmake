# Cross toolchain: 32-bit ARM (hard float) Linux ELF with Debian's
# g++-arm-linux-gnueabihf; cross binaries run under qemu-user (see
# debian-linux-cross.cmake).
set(CMAKE_SYSTEM_PROCESSOR arm)
set(BUILDINFO_CROSS_TRIPLE arm-linux-gnueabihf)
set(BUILDINFO_CROSS_QEMU_NAME qemu-arm)
include(${CMAKE_CURRENT_LIST_DIR}/debian-linux-cross.cmake)
