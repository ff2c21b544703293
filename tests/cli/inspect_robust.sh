# inspect's text view never fails on what it is given: a Mach-O dylib (no
# entry point in LIEF 0.9), a description whose fields are missing, null or
# of another type (from a stand-in LIEF module), and record values, section
# names and damaged payloads whose bytes a terminal would act on; the JSON
# view stays one ASCII line.
source "$SOURCE_ROOT/tests/e2e/common.sh"

make_repo "$WORK/repo"
include="-I$SOURCE_ROOT/lib/include"

# Checks that file $1 has nothing a terminal would act on: no control byte
# but newlines, no C1 control, no bidirectional override, no byte that is not
# UTF-8; with $3 = ascii, only printable ASCII (JSON escapes the rest).
expect_printable() {
  local file=$1 what=$2 mode=${3:-text}
  if [ "$mode" = ascii ]; then
    ! LC_ALL=C grep -qP '[^\x20-\x7e]' "$file" || fail "$what: bytes other than printable ASCII: $(head -c 300 "$file")"
    return
  fi
  iconv -f UTF-8 -t UTF-8 "$file" > /dev/null 2>&1 || fail "$what: bytes that are not UTF-8: $(head -c 300 "$file")"
  ! LC_ALL=C grep -qP '[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]' "$file" \
    || fail "$what: a control character reaches the terminal: $(head -c 300 "$file")"
}

# Runs inspect with the remaining arguments and checks exit code $1, an
# empty stderr for 0, and printable output.
inspect() {
  local code=$1 rc=0
  shift
  "$BUILDINFO" inspect "$@" > "$WORK/out.txt" 2> "$WORK/err.txt" || rc=$?
  [ "$rc" = "$code" ] || fail "inspect $*: exit $rc, expected $code: $(cat "$WORK/out.txt" "$WORK/err.txt")"
  [ "$code" != 0 ] || [ ! -s "$WORK/err.txt" ] || fail "inspect $*: stderr: $(cat "$WORK/err.txt")"
  local mode=text
  [[ " $* " != *" --json "* ]] || mode=ascii
  expect_printable "$WORK/out.txt" "inspect $*" "$mode"
  expect_printable "$WORK/err.txt" "inspect $* (stderr)" ascii
}

# A Mach-O dylib, freestanding (no macOS SDK here), as tests/e2e/shared_modules.sh builds it.
cat > "$WORK/dylib.c" <<'C'
#include "buildinfo/slot_layout.h"
BUILDINFO_DEFINE_SLOT(BUILDINFO_DEFAULT_CAPACITY);
int dylib_first_slot_byte(void) { return buildinfo_slot.slot[0]; }
C
clang -target arm64-apple-macos11 -ffreestanding $include -c -o "$WORK/dylib.o" "$WORK/dylib.c"
ld64.lld-14 -dylib -arch arm64 -platform_version macos 11.0 11.0 -install_name @rpath/libcore.dylib \
  -o "$WORK/libcore.dylib" "$WORK/dylib.o" || fail "ld64.lld could not link a dylib"
"$BUILDINFO" stamp "$WORK/libcore.dylib" --no-sign --source-dir "$WORK/repo" -q
inspect 0 "$WORK/libcore.dylib"
grep -qE "^  format +MACHO 64-bit ARM64, LIBRARY" "$WORK/out.txt" || fail "dylib: no format line: $(cat "$WORK/out.txt")"
grep -qE "^  entry point +none, PIE (yes|no), NX (yes|no)$" "$WORK/out.txt" || fail "dylib: no entry point line"
grep -qE "^  install name +@rpath/libcore.dylib$" "$WORK/out.txt" || fail "dylib: no install name"
! grep -q "^  library " "$WORK/out.txt" || fail "dylib: its own name is listed as an imported library"
grep -qE "^    __DATA_CONST,__buildinfo " "$WORK/out.txt" || fail "dylib: no section list"
grep -qE "^  target.os +darwin$" "$WORK/out.txt" || fail "dylib: no record"
inspect 0 "$WORK/libcore.dylib" --json
jq -e '.binary.entrypoint == null and .binary.install_name == "@rpath/libcore.dylib" and .binary.libraries == []' \
  "$WORK/out.txt" > /dev/null || fail "dylib JSON: $(jq -c .binary "$WORK/out.txt")"

# Record values a terminal would act on: escape sequences, a C1 control, a
# bidirectional override; shown escaped, and intact in JSON.
cat > "$WORK/main.c" <<'C'
#include "buildinfo/slot_layout.h"
BUILDINFO_DEFINE_SLOT(2048);
int main(void) { return 0; }
C
cc $include -o "$WORK/app" "$WORK/main.c"
esc=$(printf 'x\033[2Jy')
c1=$(printf 'x\302\233y')
bidi=$(printf 'abc\342\200\256fed')
"$BUILDINFO" stamp "$WORK/app" --no-sign --source-dir "$WORK/repo" -q --set "esc=$esc" --set "c1=$c1" \
  --set "bidi=$bidi" --set "nonascii=$(printf 'J\303\274rgen')" --set "marker=MARKERVALUE"
inspect 0 "$WORK/app"
grep -qE '^  custom.esc +x\\x1b\[2Jy$' "$WORK/out.txt" || fail "ESC is not shown escaped: $(grep custom.esc "$WORK/out.txt")"
grep -qE '^  custom.c1 +x\\u009by$' "$WORK/out.txt" || fail "C1 CSI is not shown escaped"
grep -qE '^  custom.bidi +abc\\u202efed$' "$WORK/out.txt" || fail "the bidi override is not shown escaped"
inspect 0 "$WORK/app" --json
[ "$(jq -r '.record["custom.esc"]' "$WORK/out.txt")" = "$esc" ] || fail "JSON does not keep the ESC value"
[ "$(jq -r '.record["custom.bidi"]' "$WORK/out.txt")" = "$bidi" ] || fail "JSON does not keep the bidi value"
[ "$(jq -r '.record["custom.nonascii"]' "$WORK/out.txt")" = "$(printf 'J\303\274rgen')" ] || fail "JSON does not keep UTF-8"

# A payload byte that is not UTF-8 (0x9b, CSI in 8-bit terminals): inspect
# and verify refuse the file with one escaped line.
python3 - "$WORK/app" "$WORK/damaged" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
assert data.count(b"MARKERVALUE") == 1
open(sys.argv[2], "wb").write(data.replace(b"MARKERVALUE", b"MARKER\x9bALUE"))
PY
inspect 2 "$WORK/damaged"
[ "$(wc -l < "$WORK/err.txt")" = 1 ] && grep -q "^buildinfo: $WORK/damaged: .*\\\\x9b" "$WORK/err.txt" \
  || fail "damaged payload: $(cat "$WORK/err.txt")"
inspect 2 "$WORK/damaged" --json
jq -e '.result == "error"' "$WORK/out.txt" > /dev/null || fail "damaged payload JSON: $(cat "$WORK/out.txt")"
# The file carries a record, so for verify the damage is a failed check.
rc=0
"$BUILDINFO" verify "$WORK/damaged" --allow-unsigned > "$WORK/out.txt" 2> "$WORK/err.txt" || rc=$?
[ "$rc" = 1 ] || fail "verify of the damaged payload exited $rc, expected 1"
grep -q '^  FAIL  structure .*\\x9b' "$WORK/out.txt" || fail "verify does not fail the structure check: $(cat "$WORK/out.txt")"
expect_printable "$WORK/out.txt" "verify of the damaged payload (stdout)" ascii
expect_printable "$WORK/err.txt" "verify of the damaged payload (stderr)" ascii
grep -q '\\x9b' "$WORK/err.txt" || fail "verify does not show the byte escaped: $(cat "$WORK/err.txt")"

# A stand-in LIEF module (beside a copy of the tool, where the tool looks for
# it) prints each description below: every field missing, null, of another
# type, or carrying escape sequences. The text view prints what it can.
mkdir -p "$WORK/fake"
cp "$BUILDINFO" "$WORK/fake/buildinfo"
cat > "$WORK/fake/describe.c" <<'C'
#include <stdlib.h>
#include <string.h>
char* buildinfo_module_describe(const char* path) {
  (void)path;
  const char* text = getenv("FAKE_DESCRIPTION");
  return strdup(text != NULL ? text : "{}");
}
C
cc -shared -fPIC -o "$WORK/fake/buildinfo-lief.so" "$WORK/fake/describe.c"
descriptions=(
  '{"format":"ELF","bits":null,"architecture":null,"object_type":null,"endianness":null,"entrypoint":null,"pie":null,"nx":null,"os_abi":null,"interpreter":null,"code_signature":null,"install_name":null,"libraries":null,"sections":null}'
  '{"format":7,"bits":"x","architecture":[],"object_type":{},"endianness":true,"entrypoint":{},"pie":"maybe","nx":1,"os_abi":[1],"interpreter":{},"code_signature":"yes","install_name":3,"libraries":[null,5,"libok.so"],"sections":[null,3,"s",{"name":null,"offset":"x","size":-1},{"name":".text","offset":16,"size":32}]}'
  '{"format":"ELF"}'
  '{"format":"ELF","libraries":{},"sections":{"name":".text"}}'
  '{"format":"ELF\u001b[2J","architecture":"\u009b31m","sections":[{"name":"\u202eevil","offset":1,"size":2}],"libraries":["lib\u001b]0;title\u0007"]}'
  '{"error":null}'
  '{"error":5}'
  '{"error":"LIEF: \u001b[31mred"}'
  '[]'
  '"a string"'
  'null'
  '42'
  'not JSON at all'
)
for description in "${descriptions[@]}"; do
  BUILDINFO="$WORK/fake/buildinfo" FAKE_DESCRIPTION="$description" inspect 0 "$WORK/app"
  grep -qE "^  custom.marker +MARKERVALUE$" "$WORK/out.txt" || fail "description $description: no record"
  BUILDINFO="$WORK/fake/buildinfo" FAKE_DESCRIPTION="$description" inspect 0 "$WORK/app" --json
  jq -e '.result == "stamped" and (.binary | type) == "object" and .binary.container == "elf"' "$WORK/out.txt" \
    > /dev/null || fail "description $description: JSON: $(cat "$WORK/out.txt")"
done
# What is well-formed among the damage is still shown.
BUILDINFO="$WORK/fake/buildinfo" FAKE_DESCRIPTION="${descriptions[1]}" inspect 0 "$WORK/app"
grep -qE "^  entry point +none, PIE maybe, NX 1$" "$WORK/out.txt" || fail "mistyped description: $(cat "$WORK/out.txt")"
grep -qxF "  library       libok.so" "$WORK/out.txt" || fail "mistyped description: the good library is missing"
grep -qE "^    \.text +offset 0x10 size 0x20$" "$WORK/out.txt" || fail "mistyped description: the good section is missing"
BUILDINFO="$WORK/fake/buildinfo" FAKE_DESCRIPTION="${descriptions[0]}" inspect 0 "$WORK/app"
grep -qE "^  format +ELF unknown architecture, unknown type, unknown byte order$" "$WORK/out.txt" \
  || fail "null description: $(cat "$WORK/out.txt")"
grep -qE "^  entry point +none, PIE unknown, NX unknown$" "$WORK/out.txt" || fail "null description: entry point line"
echo ok
