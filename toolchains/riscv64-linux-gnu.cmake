# Cross toolchain: riscv64 Linux ELF with Debian's g++-riscv64-linux-gnu;
# cross binaries run under qemu-user (see debian-linux-cross.cmake).
set(CMAKE_SYSTEM_PROCESSOR riscv64)
set(BUILDINFO_CROSS_TRIPLE riscv64-linux-gnu)
set(BUILDINFO_CROSS_QEMU_NAME qemu-riscv64)
include(${CMAKE_CURRENT_LIST_DIR}/debian-linux-cross.cmake)
