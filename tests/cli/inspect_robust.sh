# inspect's text view never fails on what it is given: a Mach-O dylib (no
# entry point in LIEF 0.9), a description whose strings and arrays are
# missing, whose entries are null or whose strings are hostile (from a
# stand-in LIEF plug-in), and record values, section names and damaged
# payloads whose bytes a terminal would act on; the JSON view stays one
# ASCII line.
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
require_tools clang ld64.lld
"$CLANG" -target arm64-apple-macos11 -ffreestanding $include -c -o "$WORK/dylib.o" "$WORK/dylib.c"
"$LD64_LLD" -dylib -arch arm64 -platform_version macos 11.0 11.0 -install_name @rpath/libcore.dylib \
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
# and verify refuse the file with one line naming the defect and where it is,
# nothing raw.
python3 - "$WORK/app" "$WORK/damaged" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
assert data.count(b"MARKERVALUE") == 1
open(sys.argv[2], "wb").write(data.replace(b"MARKERVALUE", b"MARKER\x9bALUE"))
PY
inspect 2 "$WORK/damaged"
[ "$(wc -l < "$WORK/err.txt")" = 1 ] && grep -q "^buildinfo: $WORK/damaged: .*bytes that are not UTF-8 at payload offset [0-9]" "$WORK/err.txt" \
  || fail "damaged payload: $(cat "$WORK/err.txt")"
inspect 2 "$WORK/damaged" --json
jq -e '.result == "error"' "$WORK/out.txt" > /dev/null || fail "damaged payload JSON: $(cat "$WORK/out.txt")"
# The file carries a record, so for verify the damage is a failed check.
rc=0
"$BUILDINFO" verify "$WORK/damaged" --allow-unsigned > "$WORK/out.txt" 2> "$WORK/err.txt" || rc=$?
[ "$rc" = 1 ] || fail "verify of the damaged payload exited $rc, expected 1"
grep -q '^  FAIL  structure .*bytes that are not UTF-8 at payload offset' "$WORK/out.txt" || fail "verify does not fail the structure check: $(cat "$WORK/out.txt")"
expect_printable "$WORK/out.txt" "verify of the damaged payload (stdout)" ascii
expect_printable "$WORK/err.txt" "verify of the damaged payload (stderr)" ascii
grep -q 'bytes that are not UTF-8 at payload offset [0-9]' "$WORK/err.txt" || fail "verify does not name the defect: $(cat "$WORK/err.txt")"

# A stand-in LIEF plug-in of this build (tool/plugins/plugin_abi.h; beside a copy of
# the tool, where the tool looks for it) gives each description below:
# nothing but NULLs, counts without arrays, NULL entries among good ones,
# strings with escape sequences and bytes that are not UTF-8, errors, and no
# description at all (out of memory). The text view prints what it can.
mkdir -p "$WORK/fake"
cp "$BUILDINFO" "$WORK/fake/buildinfo"
cat > "$WORK/fake/describe.c" <<'C'
#include <stdlib.h>
#include <string.h>
#include "plugin_abi.h"

static buildinfo_lief_description d;
static buildinfo_lief_section sections[3];
static const char* libraries[3];

static buildinfo_lief_description* describe(const char* path) {
  const char* which = getenv("FAKE_DESCRIPTION");
  (void)path;
  memset(&d, 0, sizeof d);
  memset(sections, 0, sizeof sections);
  d.code_signature = -1;
  if (which == NULL || strcmp(which, "nothing") == 0) return &d;
  if (strcmp(which, "out-of-memory") == 0) return NULL;
  d.format = "ELF";
  if (strcmp(which, "counts-without-arrays") == 0) {
    d.section_count = 1000000;
    d.library_count = 1000000;
  } else if (strcmp(which, "null-entries") == 0) {
    d.bits = 64;
    d.has_entrypoint = 1;
    d.entrypoint = 0x1040;
    d.pie = 7;
    d.nx = -1;
    sections[1].name = ".text";
    sections[1].offset = 16;
    sections[1].size = 32;
    d.sections = sections;
    d.section_count = 2;
    libraries[1] = "libok.so";
    d.libraries = libraries;
    d.library_count = 2;
  } else if (strcmp(which, "hostile") == 0) {
    d.format = "ELF\033[2J";
    d.architecture = "\302\23331m";
    d.object_type = "\xff\xfe";
    d.endianness = "\r\n";
    d.os_abi = "\033]0;title\007";
    d.interpreter = "/lib/\342\200\256evil";
    d.install_name = "\xc0\xaf";
    d.code_signature = 1;
    sections[0].name = "\342\200\256evil";
    sections[0].offset = 1;
    sections[0].size = 2;
    d.sections = sections;
    d.section_count = 1;
    libraries[0] = "lib\033]0;title\007";
    d.libraries = libraries;
    d.library_count = 1;
  } else if (strcmp(which, "error-empty") == 0) {
    d.error = "";
  } else if (strcmp(which, "error-hostile") == 0) {
    d.error = "LIEF: \033[31mred";
  }
  return &d;
}

static void release(buildinfo_lief_description* description) { (void)description; }

const buildinfo_lief_plugin buildinfo_plugin = {
    {BUILDINFO_PLUGIN_ABI, BUILDINFO_PLUGIN_LIEF, VERSION, sizeof(buildinfo_lief_plugin)}, describe, release};
C
cc -shared -fPIC -I"$SOURCE_ROOT/tool/plugins" -DVERSION="\"$("$BUILDINFO" --version)\"" \
  -o "$WORK/fake/buildinfo-lief.so" "$WORK/fake/describe.c"
descriptions=(nothing out-of-memory counts-without-arrays null-entries hostile error-empty error-hostile)
for description in "${descriptions[@]}"; do
  BUILDINFO="$WORK/fake/buildinfo" FAKE_DESCRIPTION="$description" inspect 0 "$WORK/app"
  grep -qE "^  custom.marker +MARKERVALUE$" "$WORK/out.txt" || fail "description $description: no record"
  cp "$WORK/out.txt" "$WORK/$description.txt"
  BUILDINFO="$WORK/fake/buildinfo" FAKE_DESCRIPTION="$description" inspect 0 "$WORK/app" --json
  jq -e '.result == "stamped" and (.binary | type) == "object" and .binary.container == "elf"' "$WORK/out.txt" \
    > /dev/null || fail "description $description: JSON: $(cat "$WORK/out.txt")"
  cp "$WORK/out.txt" "$WORK/$description.json"
done
# What is well-formed among the damage is still shown.
grep -qE "^  entry point +0x1040, PIE yes, NX yes$" "$WORK/null-entries.txt" \
  || fail "NULL entries: $(cat "$WORK/null-entries.txt")"
[ "$(grep -c "^  library " "$WORK/null-entries.txt")" = 1 ] && grep -qxF "  library       libok.so" "$WORK/null-entries.txt" \
  || fail "NULL entries: the good library is missing, or the NULL one shown"
grep -qE "^    \.text +offset 0x10 size 0x20$" "$WORK/null-entries.txt" || fail "NULL entries: the good section is missing"
jq -e '.binary.libraries == ["libok.so"] and .binary.sections[1] == {"name":".text","offset":16,"size":32,"address":"0x0"}
       and .binary.sections[0].name == "" and .binary.bits == 64 and .binary.pie and .binary.nx' \
  "$WORK/null-entries.json" > /dev/null || fail "NULL entries JSON: $(jq -c .binary "$WORK/null-entries.json")"
grep -qE "^  format +unknown unknown architecture, unknown type, unknown byte order$" "$WORK/nothing.txt" \
  || fail "NULL description: $(cat "$WORK/nothing.txt")"
grep -qE "^  entry point +none, PIE no, NX no$" "$WORK/nothing.txt" || fail "NULL description: entry point line"
! grep -qE "^  (os/abi|interpreter|install name|code signature|library) " "$WORK/nothing.txt" \
  || fail "NULL description: an absent field is shown"
jq -e '.binary.entrypoint == null and .binary.sections == [] and .binary.libraries == [] and .binary.format == ""
       and ([.binary | has("os_abi", "interpreter", "install_name", "code_signature", "error")] | any | not)' \
  "$WORK/nothing.json" > /dev/null || fail "NULL description JSON: $(jq -c .binary "$WORK/nothing.json")"
grep -qE "^  format +ELF unknown architecture" "$WORK/counts-without-arrays.txt" \
  && ! sed -n '/^binary:$/,$p' "$WORK/counts-without-arrays.txt" | matches -E "^(  library |    [^ ])" \
  || fail "counts without arrays: $(cat "$WORK/counts-without-arrays.txt")"
grep -qxF "  (LIEF: out of memory)" "$WORK/out-of-memory.txt" || fail "no description: $(cat "$WORK/out-of-memory.txt")"
jq -e '.binary.error == "out of memory" and (.binary | has("format") | not)' "$WORK/out-of-memory.json" > /dev/null \
  || fail "no description JSON: $(jq -c .binary "$WORK/out-of-memory.json")"
grep -qxF "  (LIEF: unknown error)" "$WORK/error-empty.txt" || fail "empty error: $(cat "$WORK/error-empty.txt")"
grep -qxF '  (LIEF: LIEF: \x1b[31mred)' "$WORK/error-hostile.txt" || fail "hostile error: $(cat "$WORK/error-hostile.txt")"
jq -e '.binary.error == "LIEF: \u001b[31mred" and (.binary | has("format") | not)' "$WORK/error-hostile.json" \
  > /dev/null || fail "hostile error JSON: $(jq -c .binary "$WORK/error-hostile.json")"
grep -qxF '  format        ELF\x1b[2J \u009b31m, \xff\xfe, \x0d\x0a' "$WORK/hostile.txt" && grep -qF '    \u202eevil ' "$WORK/hostile.txt" \
  && grep -qxF '  library       lib\x1b]0;title\x07' "$WORK/hostile.txt" || fail "hostile strings: $(cat "$WORK/hostile.txt")"
jq -e '.binary.object_type == "\ufffd\ufffd" and .binary.install_name == "\ufffd\ufffd" and .binary.code_signature
       and .binary.libraries == ["lib\u001b]0;title\u0007"]' "$WORK/hostile.json" > /dev/null \
  || fail "hostile strings JSON: $(jq -c .binary "$WORK/hostile.json")"
echo ok
