# Cross toolchain: aarch64 Linux ELF with Debian's g++-aarch64-linux-gnu;
# cross binaries run under qemu-user (see debian-linux-cross.cmake).
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(BUILDINFO_CROSS_TRIPLE aarch64-linux-gnu)
set(BUILDINFO_CROSS_QEMU_NAME qemu-aarch64)
include(${CMAKE_CURRENT_LIST_DIR}/debian-linux-cross.cmake)
