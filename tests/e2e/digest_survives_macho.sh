# image.sha256 survives what legitimately comes after stamping a Mach-O
# file, an ad-hoc re-signature with another SuperBlob size (twice), keeps
# each slice's thin digest in a universal file, and catches a flipped
# __text byte. Rules: FORMAT.md, "Image digest", "Mach-O". (ELF and PE:
# digest_survives_elf.sh, digest_survives_pe.sh.)
source "$SOURCE_ROOT/tests/e2e/common.sh"
require_tools clang ld64.lld llvm-objdump llvm-lipo
start_digest_test

macho="$WORK/arm64"
# lld signs arm64 ad hoc (LINKER_SIGNED, one CodeDirectory, no requirements).
"$CLANG" -target arm64-apple-macos11 -ffreestanding -O2 -nostdlib -fuse-ld=lld -Wl,-e,_start -I"$include" \
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

at=$("$LLVM_OBJDUMP" --macho --private-headers "$macho" | awk '
  $1 == "sectname" { sect = $2 } $1 == "segname" { seg = $2 }
  $1 == "offset" && sect == "__text" && seg == "__TEXT" { print $2; exit }')
[[ "$at" =~ ^[0-9]+$ ]] || fail "Mach-O: no __TEXT,__text offset found"
flip_copy "$macho" "$macho.flip-text" "$at"
expect_caught "$want" "$macho.flip-text" "Mach-O arm64: a __text byte"

# In a universal file each slice keeps its thin digest: the fat header and
# the other slices are not covered.
x86="$WORK/x86_64-macho"
"$CLANG" -target x86_64-apple-macos11 -ffreestanding -O2 -nostdlib -fuse-ld=lld -Wl,-e,_start -I"$include" \
  -o "$x86" "$SOURCE_ROOT/tests/programs/freestanding/freestanding.c" || fail "x86_64 Mach-O link failed"
x86_want=$(stamp_and_digest "$x86")
"$LLVM_LIPO" -create "$macho.resigned" "$x86" -output "$WORK/universal"
[ "$(digests "$WORK/universal" | sort)" = "$(printf '%s\n' "$want" "$x86_want" | sort)" ] \
  || fail "universal: slice digests $(digests "$WORK/universal" | tr '\n' ' ') differ from the thin files'"
"$BUILDINFO" verify "$WORK/universal" --key "$pub" > "$WORK/verify.txt" 2>&1 \
  || fail "verify fails on the universal file: $(cat "$WORK/verify.txt")"
echo "ok: universal slices keep their thin digests"
echo ok
