# riscv64 Linux ELF with toolchains/riscv64-linux-gnu.cmake (Debian's cross
# gcc, run under qemu-riscv64), with the same checks as aarch64: the sample
# program at -O2 and with LTO (cross_linux_sample), then a program and the
# shared library it links, both stamped by buildinfo_stamp(), list
# themselves with their records and verify. OpenTelemetry has no host.arch value for RISC-V: the record says
# riscv64 (FORMAT.md, "The payload").
source "$SOURCE_ROOT/tests/e2e/common.sh"
cross_linux_sample riscv64-linux-gnu riscv64 qemu-riscv64 "UCB RISC-V"
cross_linux_modules riscv64-linux-gnu riscv64 qemu-riscv64
