# 32-bit ARM Linux ELF (hard float) with toolchains/arm-linux-gnueabihf.cmake
# (Debian's cross gcc, run under qemu-arm), with the same checks as aarch64
# (cross_linux_sample), then a program and the shared library it links,
# both stamped by buildinfo_stamp(), list themselves with their records and
# verify; target.arch is OpenTelemetry's arm32.
source "$SOURCE_ROOT/tests/e2e/common.sh"
cross_linux_sample arm-linux-gnueabihf arm32 qemu-arm "ARM, EABI5"
cross_linux_modules arm-linux-gnueabihf arm32 qemu-arm
