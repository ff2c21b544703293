# image.sha256 survives what legitimately comes after stamping (issue 3,
# must-show 3), and catches a flipped covered byte: ELF x86_64 (GNU ld, lld
# and mold) after strip, strip --strip-all, objcopy --strip-debug and
# llvm-objcopy --strip-sections; ELF aarch64 after the same with
# aarch64-linux-gnu-strip; PE after an Authenticode-style certificate
# table is appended; Mach-O arm64 after an ad-hoc re-signature with another
# SuperBlob size. After each step the digest recomputed by
# $IMAGE_DIGEST_TOOL equals the stamped record's image.sha256 and
# `buildinfo verify` still exits 0. Rules: FORMAT.md, "Image digest".
source "$SOURCE_ROOT/tests/e2e/common.sh"

: "${IMAGE_DIGEST_TOOL:?set IMAGE_DIGEST_TOOL to tests/image_digest_tool}"
command -v python3 > /dev/null || skip "python3 is not installed"

make_repo "$WORK/repo"
make_keys
key="$WORK/keys/ed25519.key"
pub="$WORK/keys/ed25519.pub"
include="$SOURCE_ROOT/lib/include"

cat > "$WORK/main.c" <<'C'
#include <stdio.h>
#include "buildinfo/slot_layout.h"
BUILDINFO_DEFINE_SLOT(1024);
const char greeting[] = "a string in read-only data";
int main(void) {
  uint32_t capacity = 0;
  const unsigned char* slot = buildinfo_slot_bytes(&capacity);
  printf("%s %u\n", greeting, (unsigned)slot[capacity - 1]);
  return 0;
}
C

# The digest of every slot of $1, one per line.
digests() {
  "$IMAGE_DIGEST_TOOL" "$1" || fail "image_digest_tool failed on $1"
}

# Stamps $1 (signed), and checks that the record's image.sha256 is the
# recomputed digest of the stamped file; prints it.
stamp_and_digest() {
  local bin=$1 recorded computed
  "$BUILDINFO" stamp "$bin" --key "$key" --source-dir "$WORK/repo" -q
  recorded=$("$BUILDINFO" inspect "$bin" --json | jq -r '.record["image.sha256"] // empty')
  [[ "$recorded" =~ ^[0-9a-f]{64}$ ]] || fail "$bin: the record has no image.sha256 (got '$recorded')"
  computed=$(digests "$bin")
  [ "$computed" = "$recorded" ] || fail "$bin: record says image.sha256 $recorded, recomputed $computed"
  echo "$recorded"
}

# Checks that $2 (a transformed copy, described by $3) keeps digest $1 and verifies.
expect_survives() {
  local want=$1 bin=$2 what=$3 got
  got=$(digests "$bin")
  [ "$got" = "$want" ] || fail "$what changed the image digest: $want -> $got"
  "$BUILDINFO" verify "$bin" --key "$pub" > "$WORK/verify.txt" 2>&1 \
    || fail "verify fails after $what: $(cat "$WORK/verify.txt")"
  echo "ok: digest and verify survive $what"
}

# Checks that $2 (a copy with one covered byte flipped, described by $3) has
# another digest than $1 and that verify names the image check.
expect_caught() {
  local want=$1 bin=$2 what=$3 got rc=0
  got=$(digests "$bin")
  [ "$got" != "$want" ] || fail "flipping $what did not change the image digest"
  "$BUILDINFO" verify "$bin" --key "$pub" > "$WORK/verify.txt" 2>&1 || rc=$?
  [ "$rc" = 1 ] || fail "verify exited $rc after flipping $what, expected 1: $(cat "$WORK/verify.txt")"
  grep -q 'FAIL  image' "$WORK/verify.txt" || fail "verify did not name the image check after flipping $what"
  echo "ok: flipping $what changes the digest"
}

# Copies $1 to $2 with the byte at offset $3 inverted.
flip_copy() {
  cp "$1" "$2"
  flip_byte "$2" "$3"
}

# ---- ELF ----
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
  llvm-objcopy --strip-sections "$bin" "$bin.strip-sections"
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
if command -v clang > /dev/null && [ -x "$(clang -print-prog-name=ld.lld)" ]; then
  check_elf x86_64-lld clang strip objcopy readelf -fuse-ld=lld
else
  echo "note: clang with ld.lld not found, x86_64 lld variant not checked"
fi
# mold 1.10 puts 8- and 4-aligned notes into one PT_NOTE segment (p_align 8).
command -v mold > /dev/null || skip "mold is not installed (Debian: mold)"
check_elf x86_64-mold cc strip objcopy readelf -fuse-ld=mold
if command -v llvm-strip > /dev/null; then
  cp "$WORK/x86_64-gnu-ld" "$WORK/x86_64-llvm-strip"
  llvm-strip "$WORK/x86_64-llvm-strip"
  expect_survives "$(digests "$WORK/x86_64-gnu-ld")" "$WORK/x86_64-llvm-strip" "x86_64: llvm-strip"
fi

triple=aarch64-linux-gnu
if command -v "$triple-gcc" > /dev/null && command -v "$triple-strip" > /dev/null; then
  check_elf aarch64 "$triple-gcc" "$triple-strip" "$triple-objcopy" "$triple-readelf"
else
  skip "$triple-gcc or $triple-strip not installed (Debian: gcc-aarch64-linux-gnu)"
fi

# ---- PE ----
triple=x86_64-w64-mingw32
command -v "$triple-gcc" > /dev/null || skip "$triple-gcc not installed (Debian: gcc-mingw-w64-x86-64)"
exe="$WORK/app.exe"
"$triple-gcc" -O2 -I"$include" -o "$exe" "$WORK/main.c" || fail "$triple-gcc failed"
want=$(stamp_and_digest "$exe")

# Appends a certificate table as Authenticode signing does (Microsoft PE
# format, "The Attribute Certificate Table"): pad the file with zeros to 8
# bytes, append WIN_CERTIFICATE {dwLength, wRevision 0x0200,
# wCertificateType 0x0002 (PKCS#7), bCertificate} padded to 8 bytes, point
# data directory 4 at it (a file offset) and rewrite the CheckSum.
append_certificate() {
  python3 - "$1" <<'PY'
import struct, sys
path = sys.argv[1]
data = bytearray(open(path, "rb").read())
opt = struct.unpack_from("<I", data, 0x3C)[0] + 24
entry = opt + (144 if struct.unpack_from("<H", data, opt)[0] == 0x20B else 128)
if struct.unpack_from("<II", data, entry) != (0, 0):
    sys.exit("already has a certificate table")
data += bytes(-len(data) % 8)
table_offset = len(data)
body = bytes((i * 37 + 11) & 0xFF for i in range(1001))  # stands in for the PKCS#7 SignedData
certificate = struct.pack("<IHH", 8 + len(body), 0x0200, 0x0002) + body
certificate += bytes(-len(certificate) % 8)
data += certificate
struct.pack_into("<II", data, entry, table_offset, len(certificate))
checksum = opt + 64
struct.pack_into("<I", data, checksum, 0)
words = data + bytes(len(data) % 2)
total = sum(struct.unpack("<%dH" % (len(words) // 2), words))
while total >> 16:
    total = (total & 0xFFFF) + (total >> 16)
struct.pack_into("<I", data, checksum, (total + len(data)) & 0xFFFFFFFF)
open(path, "wb").write(data)
print(table_offset, len(certificate))
PY
}
cp "$exe" "$exe.signed"
read -r cert_offset cert_size < <(append_certificate "$exe.signed")
(( $(stat -c %s "$exe") % 8 != 0 )) && echo "note: unsigned exe size $(stat -c %s "$exe") is not 8-aligned; padding checked"
"$triple-objdump" -p "$exe.signed" > "$WORK/pe-headers.txt" || fail "objdump -p does not read the exe with a certificate table"
grep -Eiq "Entry 4 0*$(printf '%x' "$cert_offset") 0*$(printf '%x' "$cert_size") Security Directory" "$WORK/pe-headers.txt" \
  || fail "objdump -p does not show the certificate table: $(grep -i 'Entry 4' "$WORK/pe-headers.txt")"
expect_survives "$want" "$exe.signed" "PE: an appended certificate table"
at=$("$triple-objdump" -h "$exe" | awk '$2 == ".text" { print $6; exit }')
at=$((16#$at))
flip_copy "$exe.signed" "$exe.flip-text" $((at + 16))
expect_caught "$want" "$exe.flip-text" "PE: a .text byte"

# ---- Mach-O ----
command -v clang > /dev/null || skip "clang is not installed"
[ -x "$(clang -print-prog-name=ld64.lld)" ] || skip "ld64.lld (package lld) is not installed next to clang"
OBJDUMP=$(command -v llvm-objdump || command -v llvm-objdump-14 || true)
[ -n "$OBJDUMP" ] || skip "llvm-objdump (package llvm) is not installed"
macho="$WORK/arm64"
# lld signs arm64 ad hoc (LINKER_SIGNED, one CodeDirectory, no requirements).
clang -target arm64-apple-macos11 -ffreestanding -O2 -nostdlib -fuse-ld=lld -Wl,-e,_start -I"$include" \
  -o "$macho" "$SOURCE_ROOT/tests/programs/freestanding/freestanding.c" || fail "arm64 Mach-O link failed"
want=$(stamp_and_digest "$macho")

# Re-signs a thin Mach-O ad hoc the way `codesign -f -s -` does: another
# identifier, another SuperBlob size (tests/tools/macho_codesign.py).
resign_adhoc() {
  python3 "$SOURCE_ROOT/tests/tools/macho_codesign.py" adhoc "$1"
}
cp "$macho" "$macho.resigned"
read -r old_size new_size < <(resign_adhoc "$macho.resigned")
echo "re-signed: signature $old_size -> $new_size bytes"
python3 "$SOURCE_ROOT/tests/tools/check_macho_signature.py" "$macho.resigned" > "$WORK/resigned.txt" \
  || { cat "$WORK/resigned.txt" >&2; fail "Mach-O: the re-signed file's page hashes are wrong"; }
cmp -s "$macho" "$macho.resigned" && fail "Mach-O: re-signing changed nothing"
expect_survives "$want" "$macho.resigned" "Mach-O arm64: an ad-hoc re-signature"
# Re-signing the re-signed file once more keeps it too.
cp "$macho.resigned" "$macho.resigned2"
resign_adhoc "$macho.resigned2" > /dev/null
expect_survives "$want" "$macho.resigned2" "Mach-O arm64: a second re-signature"

at=$("$OBJDUMP" --macho --private-headers "$macho" | awk '
  $1 == "sectname" { sect = $2 } $1 == "segname" { seg = $2 }
  $1 == "offset" && sect == "__text" && seg == "__TEXT" { print $2; exit }')
[[ "$at" =~ ^[0-9]+$ ]] || fail "Mach-O: no __TEXT,__text offset found"
flip_copy "$macho" "$macho.flip-text" "$at"
expect_caught "$want" "$macho.flip-text" "Mach-O arm64: a __text byte"

# In a universal file each slice keeps its thin digest: the fat header and
# the other slices are not covered.
LIPO=$(command -v llvm-lipo || command -v llvm-lipo-14 || true)
if [ -n "$LIPO" ]; then
  x86="$WORK/x86_64-macho"
  clang -target x86_64-apple-macos11 -ffreestanding -O2 -nostdlib -fuse-ld=lld -Wl,-e,_start -I"$include" \
    -o "$x86" "$SOURCE_ROOT/tests/programs/freestanding/freestanding.c" || fail "x86_64 Mach-O link failed"
  x86_want=$(stamp_and_digest "$x86")
  "$LIPO" -create "$macho.resigned" "$x86" -output "$WORK/universal"
  [ "$(digests "$WORK/universal" | sort)" = "$(printf '%s\n' "$want" "$x86_want" | sort)" ] \
    || fail "universal: slice digests $(digests "$WORK/universal" | tr '\n' ' ') differ from the thin files'"
  "$BUILDINFO" verify "$WORK/universal" --key "$pub" > "$WORK/verify.txt" 2>&1 \
    || fail "verify fails on the universal file: $(cat "$WORK/verify.txt")"
  echo "ok: universal slices keep their thin digests"
fi
