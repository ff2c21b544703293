# image.sha256 survives what legitimately comes after stamping an ELF file,
# and catches a flipped covered byte: x86_64 (GNU ld, lld and mold) after
# strip, strip --strip-all, objcopy --strip-debug, llvm-objcopy
# --strip-sections and llvm-strip; aarch64 after the same with
# aarch64-linux-gnu-strip and -objcopy. After each step the digest
# recomputed by $IMAGE_DIGEST_TOOL equals the stamped record's image.sha256
# and `buildinfo verify` still exits 0. Rules: FORMAT.md, "Image digest",
# "ELF". (PE and Mach-O: digest_survives_pe.sh, digest_survives_macho.sh.)
source "$SOURCE_ROOT/tests/e2e/common.sh"
require_tools clang ld.lld mold llvm-objcopy llvm-strip aarch64-gcc aarch64-binutils
start_digest_test

# check_elf NAME CC STRIP OBJCOPY READELF [CFLAGS...]
check_elf() {
  local name=$1 cc=$2 strip=$3 objcopy=$4 readelf=$5
  shift 5
  local bin="$WORK/$name" want at
  "$cc" -O2 -g -I"$include" "$@" -o "$bin" "$WORK/main.c" || fail "$name: $cc failed"
  want=$(stamp_and_digest "$bin")
  "$strip" -o "$bin.strip" "$bin"
  expect_survives "$want" "$bin.strip" "$name: $strip"
  "$strip" --strip-all -o "$bin.strip-all" "$bin"
  expect_survives "$want" "$bin.strip-all" "$name: $strip --strip-all"
  "$objcopy" --strip-debug "$bin" "$bin.strip-debug"
  expect_survives "$want" "$bin.strip-debug" "$name: $objcopy --strip-debug"
  # No section headers at all: the slot is found through PT_NOTE.
  "$LLVM_OBJCOPY" --strip-sections "$bin" "$bin.strip-sections"
  [ "$("$readelf" -hW "$bin.strip-sections" | awk '/Number of section headers/ { print $NF }')" = 0 ] \
    || fail "$name: llvm-objcopy --strip-sections left section headers"
  expect_survives "$want" "$bin.strip-sections" "$name: llvm-objcopy --strip-sections"
  # The steps really rewrote the file: sizes and section-header fields differ.
  [ "$(stat -c %s "$bin.strip")" -lt "$(stat -c %s "$bin")" ] || fail "$name: strip did not shrink the file"
  cmp -s <(head -c 64 "$bin") <(head -c 64 "$bin.strip") && fail "$name: strip left the ELF header as it was"

  at=$(elf_section_offset "$bin" .text "$readelf")
  flip_copy "$bin" "$bin.flip-text" $((at + 4))
  expect_caught "$want" "$bin.flip-text" "$name: a .text byte"
  at=$(elf_section_offset "$bin" .rodata "$readelf")
  flip_copy "$bin" "$bin.flip-rodata" "$at"
  expect_caught "$want" "$bin.flip-rodata" "$name: a .rodata byte"
  # p_flags of the first program header (ELF64: e_phoff is 64).
  flip_copy "$bin" "$bin.flip-phdr" $((64 + 4))
  expect_caught "$want" "$bin.flip-phdr" "$name: a program header byte"
}

check_elf x86_64-gnu-ld cc strip objcopy readelf
check_elf x86_64-lld "$CLANG" strip objcopy readelf -fuse-ld=lld
# mold 1.10 puts 8- and 4-aligned notes into one PT_NOTE segment (p_align 8).
check_elf x86_64-mold cc strip objcopy readelf -fuse-ld=mold
cp "$WORK/x86_64-gnu-ld" "$WORK/x86_64-llvm-strip"
"$LLVM_STRIP" "$WORK/x86_64-llvm-strip"
expect_survives "$(digests "$WORK/x86_64-gnu-ld")" "$WORK/x86_64-llvm-strip" "x86_64: llvm-strip"

check_elf aarch64 "$AARCH64_GCC" "$AARCH64_STRIP" "$AARCH64_OBJCOPY" "$AARCH64_READELF"
echo ok
