# FORMAT.md's recipes for checking an image digest by hand ("Checking a
# digest by hand": PE in sh, Mach-O and ELF in Python) are run as they are
# written, on binaries made by gcc and clang with lld (ELF, also stripped),
# mingw (PE) and clang with ld64.lld (Mach-O arm64, signed ad hoc by the
# linker, and x86_64 with -adhoc_codesign), before and after a signed
# stamp: each prints the image.sha256 the record holds, which is also what
# $IMAGE_DIGEST_TOOL computes.
source "$SOURCE_ROOT/tests/e2e/common.sh"
require_tools mingw-gcc clang ld.lld ld64.lld
start_digest_test
format_block pe > "$WORK/pe.sh"
format_block elf > "$WORK/elf.py"
format_block macho > "$WORK/macho.py"

# The digest that recipe $1 (pe, elf or macho) prints for binary $2.
recipe_digest() {
  local recipe=$1 bin=$2 S C dir="$WORK/recipe-$1"
  "$BUILDINFO" inspect "$bin" --json > "$WORK/slots.json" 2> /dev/null || true  # (3: not stamped yet)
  S=$(jq -e '.slots | if length == 1 then .[0].slot_offset else error("not one slot") end' "$WORK/slots.json") \
    || fail "$bin: no single slot: $(cat "$WORK/slots.json")"
  C=$(jq '.slots[0].capacity' "$WORK/slots.json")
  case $recipe in
    # As written: app.exe in the current directory, S and C set, a plain
    # shell (no -e or pipefail, which a reader's shell has not either).
    pe)
      rm -rf "$dir" && mkdir "$dir" && cp "$bin" "$dir/app.exe"
      (cd "$dir" && S=$S C=$C bash "$WORK/pe.sh") | sed 's/ .*//'
      ;;
    elf | macho) python3 "$WORK/$recipe.py" "$bin" "$S" "$C" ;;
  esac
}

# Checks that recipe $1 gives binary $2 the digest of the tool, before and
# after stamping, and the record's image.sha256.
check_recipe() {
  local recipe=$1 bin=$2 before recorded
  before=$(recipe_digest "$recipe" "$bin")
  [[ "$before" =~ ^[0-9a-f]{64}$ ]] || fail "$bin: FORMAT.md's $recipe recipe printed '$before'"
  [ "$before" = "$(digests "$bin")" ] || fail "$bin: FORMAT.md's $recipe recipe gives $before, image_digest_tool $(digests "$bin")"
  recorded=$(stamp_and_digest "$bin")
  [ "$(recipe_digest "$recipe" "$bin")" = "$recorded" ] \
    || fail "$bin: after stamping FORMAT.md's $recipe recipe gives $(recipe_digest "$recipe" "$bin"), the record $recorded"
  [ "$before" = "$recorded" ] || fail "$bin: the digest changed with the stamp"
  echo "ok: FORMAT.md's $recipe recipe gives $bin's image.sha256"
}

cc -O2 -I"$include" -o "$WORK/elf-gcc" "$WORK/main.c" || fail "cc failed"
check_recipe elf "$WORK/elf-gcc"
# strip rewrites e_shoff, e_shnum and e_shstrndx, which the recipe zeroes.
strip -o "$WORK/elf-gcc.stripped" "$WORK/elf-gcc"
[ "$(recipe_digest elf "$WORK/elf-gcc.stripped")" = "$(digests "$WORK/elf-gcc")" ] \
  || fail "FORMAT.md's elf recipe gives the stripped copy another digest"
echo "ok: FORMAT.md's elf recipe gives the stripped copy the same digest"
"$CLANG" -O2 -fuse-ld=lld -I"$include" -o "$WORK/elf-lld" "$WORK/main.c" || fail "clang -fuse-ld=lld failed"
check_recipe elf "$WORK/elf-lld"

"$MINGW_GCC" -O2 -I"$include" -o "$WORK/app.exe" "$WORK/main.c" || fail "$MINGW_TRIPLE-gcc failed"
check_recipe pe "$WORK/app.exe"

freestanding="$SOURCE_ROOT/tests/programs/freestanding/freestanding.c"
"$CLANG" -target arm64-apple-macos11 -ffreestanding -O2 -nostdlib -fuse-ld=lld -Wl,-e,_start -I"$include" \
  -o "$WORK/macho-arm64" "$freestanding" || fail "arm64 Mach-O link failed"
check_recipe macho "$WORK/macho-arm64"
"$CLANG" -target x86_64-apple-macos11 -ffreestanding -O2 -nostdlib -fuse-ld=lld -Wl,-e,_start -Wl,-adhoc_codesign \
  -I"$include" -o "$WORK/macho-x86_64" "$freestanding" || fail "x86_64 Mach-O link failed"
check_recipe macho "$WORK/macho-x86_64"
echo ok
