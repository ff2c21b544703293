# aarch64 Linux ELF (Debian's cross gcc, run under qemu-user), at -O2 and
# -O2 with LTO: build the sample with the cross toolchain, stamp it, and check
# inspect, readelf, the LIEF oracle, the program's output and a stripped copy.
source "$SOURCE_ROOT/tests/e2e/common.sh"

cross_linux_sample aarch64-linux-gnu arm64 qemu-aarch64 "ARM aarch64"
