#!/usr/bin/env bash
# Regenerates the seed corpora under tests/fuzz/corpus/ from small real
# binaries (not run by ctest; run it by hand and commit the result):
#   cmake -S . -B build -G Ninja && cmake --build build
#   tests/fuzz/make_corpus.sh build/tool/buildinfo
# Each binary is kept unstamped and stamped (--no-sign). Toolchains that are
# not installed are skipped with a note. Needs: cc, clang + lld (Mach-O, 32-bit
# and big-endian ELF, PE32), llvm-lipo; optional aarch64-linux-gnu-gcc and
# x86_64-w64-mingw32-gcc.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
buildinfo=${1:-$root/build/tool/buildinfo}
[ -x "$buildinfo" ] || { echo "usage: $0 PATH/TO/buildinfo" >&2; exit 2; }
corpus=$here/corpus
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The freestanding test program with a small slot (1 KiB holds an unsigned
# record); its entry symbol is `start` (C's `start` is `_start` in Mach-O).
prog="$root/tests/programs/freestanding/freestanding.c"

# A repository for stamp --source-dir.
git -C "$work" init -q repo
git -C "$work/repo" -c user.name=fuzz -c user.email=fuzz@example.invalid commit -q --allow-empty -m seed

have() { command -v "$1" > /dev/null 2>&1; }
note() { echo "make_corpus: $*" >&2; }

# add TARGET NAME FILE: copies FILE as NAME and a stamped copy as NAME-stamped.
add() {
  local target=$1 name=$2 file=$3
  mkdir -p "$corpus/$target"
  cp "$file" "$corpus/$target/$name"
  cp "$file" "$work/stamped"
  # A stamp failure is reported and skipped: the unstamped seed still counts.
  if "$buildinfo" stamp "$work/stamped" --no-sign --source-dir "$work/repo" \
    --project-name fuzz --project-version 1.0 > /dev/null; then
    cp "$work/stamped" "$corpus/$target/$name-stamped"
  else
    note "stamping $name failed: no $name-stamped seed"
  fi
}

cflags=(-Os -I"$root/lib/include" -DFREESTANDING_SLOT_CAPACITY=1024 -ffreestanding -nostdlib -static
  -fno-asynchronous-unwind-tables -Wl,-e,start)

# ELF: 64-bit little-endian (x86_64, aarch64), 32-bit little-endian (i386),
# 32-bit and 64-bit big-endian (powerpc, powerpc64 via clang + ld.lld).
cc "${cflags[@]}" -s "$prog" -o "$work/elf-x86_64"
add elf_fuzz x86_64 "$work/elf-x86_64"
if have aarch64-linux-gnu-gcc; then
  aarch64-linux-gnu-gcc "${cflags[@]}" -s "$prog" -o "$work/elf-aarch64"
  add elf_fuzz aarch64 "$work/elf-aarch64"
else
  note "aarch64-linux-gnu-gcc not found: no aarch64 ELF seed"
fi
for triple in i386-linux-gnu powerpc-linux-gnu powerpc64-linux-gnu; do
  if clang -target "$triple" -fuse-ld=lld "${cflags[@]}" -s "$prog" -o "$work/elf-$triple" 2> /dev/null; then
    add elf_fuzz "${triple%%-*}" "$work/elf-$triple"
  else
    note "clang -target $triple with lld failed: no ${triple%%-*} ELF seed"
  fi
done

# PE32+ (mingw-w64 gcc) and PE32 (clang + lld in MinGW mode).
if have x86_64-w64-mingw32-gcc; then
  x86_64-w64-mingw32-gcc "${cflags[@]}" -s "$prog" -o "$work/pe-x86_64.exe"
  add pe_fuzz x86_64.exe "$work/pe-x86_64.exe"
  # With a version resource as buildinfo_stamp() reserves one (a Buildinfo
  # string and room for the values), so the stamped seed has it filled.
  room=$(printf 'buildinfo-reserved%040d' 0)
  cat > "$work/version.rc" <<RC
1 VERSIONINFO
FILEVERSION 0,0,0,0
PRODUCTVERSION 0,0,0,0
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "040904b0"
    BEGIN
      VALUE "Buildinfo", "reserved"
      VALUE "ProductName", "$room"
      VALUE "FileVersion", "$room"
      VALUE "ProductVersion", "$room"
      VALUE "SourceRevision", "$room"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x409, 1200
  END
END
RC
  x86_64-w64-mingw32-windres -O coff "$work/version.rc" "$work/version.o"
  x86_64-w64-mingw32-gcc "${cflags[@]}" -s "$prog" "$work/version.o" -o "$work/pe-x86_64-version.exe"
  add pe_fuzz x86_64-version.exe "$work/pe-x86_64-version.exe"
else
  note "x86_64-w64-mingw32-gcc not found: no PE32+ seed"
fi
# i686 C symbols carry a leading underscore: start is _start (the later -e wins).
if clang -target i686-w64-windows-gnu -fuse-ld=lld "${cflags[@]}" -s -Wl,-e,_start "$prog" \
  -o "$work/pe-i686.exe" 2> /dev/null; then
  add pe_fuzz i686.exe "$work/pe-i686.exe"
else
  note "clang -target i686-w64-windows-gnu with lld failed: no PE32 seed"
fi

# Mach-O thin arm64 (ad-hoc signed by lld), x86_64 unsigned and signed, and
# a universal file of both (as tests/e2e/macho.sh builds them).
macho() {
  local arch=$1 out=$2
  shift 2
  clang -target "$arch-apple-macos11" -fuse-ld=lld -Os -I"$root/lib/include" -ffreestanding -nostdlib \
    -Wl,-e,_start "$@" "$prog" -o "$out"
}
lipo=$(command -v llvm-lipo || command -v llvm-lipo-14 || true)
if macho arm64 "$work/macho-arm64" 2> /dev/null; then
  macho x86_64 "$work/macho-x86_64"
  macho x86_64 "$work/macho-x86_64-signed" -Wl,-adhoc_codesign
  add macho_fuzz arm64 "$work/macho-arm64"
  add macho_fuzz x86_64 "$work/macho-x86_64"
  add macho_fuzz x86_64-signed "$work/macho-x86_64-signed"
  if [ -n "$lipo" ]; then
    "$lipo" -create "$work/macho-arm64" "$work/macho-x86_64-signed" -output "$work/macho-universal"
    add macho_fuzz universal "$work/macho-universal"
  else
    note "llvm-lipo not found: no universal Mach-O seed"
  fi
else
  note "clang -target arm64-apple-macos11 with ld64.lld failed: no Mach-O seeds"
fi

# Slot bytes for the runtime parser and the tool's slot decoder: the slot of
# each stamped ELF seed (after the 24-byte note header), plus an empty slot;
# and their payloads. decoder_diff_fuzz gets both.
python3 - "$corpus" <<'PY'
import os, sys
corpus = sys.argv[1]
def slot_of(path):
    data = open(path, "rb").read()
    at = data.find(b"BLDINFO\0")
    if at < 0:
        return None
    capacity = int.from_bytes(data[at + 12:at + 16], "little")
    return data[at:at + capacity]
for target in ("slot_parser_fuzz", "payload_fuzz", "decoder_diff_fuzz"):
    os.makedirs(os.path.join(corpus, target), exist_ok=True)
for name in sorted(os.listdir(os.path.join(corpus, "elf_fuzz"))):
    slot = slot_of(os.path.join(corpus, "elf_fuzz", name))
    if slot is None:
        continue
    for target in ("slot_parser_fuzz", "payload_fuzz", "decoder_diff_fuzz"):
        open(os.path.join(corpus, target, "slot-" + name), "wb").write(slot)
    if name.endswith("-stamped"):
        # The payload JSON of the stamped slot (FORMAT.md: header_size at 10,
        # payload_length at 16), for parse_payload.
        header_size = int.from_bytes(slot[10:12], "little")
        length = int.from_bytes(slot[16:20], "little")
        for target in ("payload_fuzz", "decoder_diff_fuzz"):
            open(os.path.join(corpus, target, "payload-" + name), "wb").write(
                slot[header_size:header_size + length])
PY

# Hand-written text inputs for the OTEL_RESOURCE_ATTRIBUTES helpers (first
# line: a key; the rest: an attribute list) and a few JSON edge cases.
printf 'service.name\nservice.name=a%%2Cb, deployment.environment = prod ,x,=y,%%zz=1\n' \
  > "$corpus/payload_fuzz/otel-list"
printf '{"format":"1","vcs.revision":"abc","custom.k":"\\u00e9\\ud83d\\ude00"}' > "$corpus/payload_fuzz/json-escapes"
printf '{"a":"1","a":"2"}' > "$corpus/payload_fuzz/json-duplicate-key"
printf '{"a":{"b":"c"}}' > "$corpus/payload_fuzz/json-nested"
# Payloads at the edges of canonical form, for the differential target: each
# canonical escape, and each way to be JSON but not canonical or not JSON.
diff="$corpus/decoder_diff_fuzz"
printf '{"a":"\\u0000\\u001f\\b\\t\\n\\f\\r\\"\\\\","b":"\177caf\303\251"}' > "$diff/canonical-escapes"
printf '{}' > "$diff/canonical-empty"
printf '{ "a":"1"}' > "$diff/whitespace"
printf '{"b":"1","a":"2"}' > "$diff/unsorted"
printf '{"a":"1","a":"2"}' > "$diff/duplicate"
printf '{"a":"\\/\\u0041\\u001F\\u000a\\ud83d\\ude00"}' > "$diff/noncanonical-escapes"
printf '{"a":"\\ud800","b":"\\udc00"}' > "$diff/lone-surrogates"
printf '{"a":"\300\257\355\240\200\364\220\200\200"}' > "$diff/invalid-utf8"
printf '\357\273\277{}' > "$diff/byte-order-mark"
printf '{}\0' > "$diff/trailing-nul"
printf '{"a":1,"b":null,"c":["x"]}' > "$diff/not-strings"
# A public key PEM (the fuzz target's own Ed25519 key) for the key readers.
printf -- '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAcQS8TH6iNiOqyGbS5OLSMxBcpS+XXech+/AD/tAYv7Y=\n-----END PUBLIC KEY-----\n' \
  > "$corpus/payload_fuzz/pem-ed25519-public"
du -sh "$corpus"
