# No byte of a signed slot can change without `verify` failing (FORMAT.md,
# "Bound bytes"). In every slot of a signed ELF (64- and 32-bit, little and
# big endian), PE (PE32+ and PE32) and Mach-O (thin, ad-hoc signed,
# universal) file, changing any one of the header's flags and reserved bytes
# (slot offsets 56 to 63) or the first, a middle or the last padding byte
# makes verify exit 1 naming the slot check; and the runtime reports such a
# slot in a running program as corrupt instead of ok.
source "$SOURCE_ROOT/tests/e2e/common.sh"
: "${BUILD_ROOT:?set BUILD_ROOT to the buildinfo build tree}"

make_repo "$WORK/repo"
make_keys
key="$WORK/keys/ed25519.key"
pub="$WORK/keys/ed25519.pub"
corpus="$SOURCE_ROOT/tests/fuzz/corpus"

# The little-endian unsigned integer of $3 bytes at offset $2 of file $1.
le() {
  od -An -tu"$3" -j "$2" -N "$3" "$1" | tr -d ' '
}

# Prints "SLOT_OFFSET PADDING_START CAPACITY" for every slot of file $1,
# the padding starting after header, payload and signature.
slots() {
  local offset capacity
  "$BUILDINFO" inspect "$1" --json --no-describe | jq -r '.slots[] | "\(.slot_offset) \(.capacity)"' |
    while read -r offset capacity; do
      echo "$offset $(( $(le "$1" $((offset + 10)) 2) + $(le "$1" $((offset + 16)) 4) + $(le "$1" $((offset + 22)) 2) )) $capacity"
    done
}

checked=0
for seed in elf_fuzz/x86_64-stamped elf_fuzz/i386-stamped elf_fuzz/powerpc-stamped elf_fuzz/powerpc64-stamped \
  pe_fuzz/x86_64.exe-stamped pe_fuzz/i686.exe-stamped \
  macho_fuzz/arm64-stamped macho_fuzz/x86_64-signed-stamped macho_fuzz/universal-stamped; do
  bin="$WORK/$(basename "$seed")"
  cp "$corpus/$seed" "$bin"
  "$BUILDINFO" stamp "$bin" --key "$key" --source-dir "$WORK/repo" -q || fail "stamp of $seed failed"
  "$BUILDINFO" verify "$bin" --key "$pub" > "$WORK/verify.txt" 2>&1 || fail "$seed: signed stamp does not verify: $(cat "$WORK/verify.txt")"
  [ "$(grep -c '^  ok    slot ' "$WORK/verify.txt")" = "$(slots "$bin" | wc -l)" ] \
    || fail "$seed: verify does not pass a slot check per slot: $(cat "$WORK/verify.txt")"
  while read -r offset padding capacity; do
    [ "$padding" -lt $((capacity - 2)) ] || fail "$seed: the slot at $offset has no padding to test"
    for at in 56 57 58 59 60 61 62 63 "$padding" $(( (padding + capacity) / 2 )) $((capacity - 1)); do
      expect_tamper_detected "$bin" $((offset + at)) "$pub" slot
      grep -q "FAIL  slot      1 byte .* at slot offset $at " "$WORK/tamper.txt" \
        || fail "$seed: the slot check does not name slot offset $at: $(cat "$WORK/tamper.txt")"
      checked=$((checked + 1))
    done
  done < <(slots "$bin")
done
echo "$checked changed slot bytes failed verification"
[ "$checked" -ge $((10 * 11)) ] || fail "only $checked bytes were checked, expected 11 in each of 10 slots"

# The runtime: a stamped program reads ok, the same program with one
# nonzero flags or padding byte reads corrupt.
cat > "$WORK/main.c" <<'C'
#include <stdio.h>
#include "buildinfo/buildinfo.h"
int main(void) {
  printf("status=%s\n", buildinfo_status_text(buildinfo_status()));
  return 0;
}
C
link_with_runtime "$WORK/app" "$WORK/main.c"
"$BUILDINFO" stamp "$WORK/app" --key "$key" --source-dir "$WORK/repo" -q || fail "stamp of the program failed"
[ "$("$WORK/app")" = "status=ok" ] || fail "the stamped program does not read its record: $("$WORK/app")"
read -r offset padding capacity < <(slots "$WORK/app")
for at in 56 60 "$padding" $((capacity - 1)); do
  cp "$WORK/app" "$WORK/app.changed"
  flip_byte "$WORK/app.changed" $((offset + at))
  [ "$("$WORK/app.changed")" = "status=corrupt record" ] \
    || fail "with slot offset $at changed the program reads '$("$WORK/app.changed")', expected status=corrupt record"
done
