# Bytes the digest does not cover and toolchains may fill with anything:
# one byte 0xA5 (not UTF-8) in .comment, in a section name, in an imported
# library's name (DT_NEEDED) and in the file's own name. `verify` passes on
# each, and `inspect --json` prints one line of ASCII JSON that jq and
# Python parse, exits 0, keeps the whole LIEF description (no "error"), and
# shows the byte as U+FFFD where it was; no library's exception text reaches
# the output. The text view shows the byte escaped or replaced, never raw.
source "$SOURCE_ROOT/tests/e2e/common.sh"

make_repo "$WORK/repo"
include="-I$SOURCE_ROOT/lib/include"
cat > "$WORK/main.c" <<'C'
#include "buildinfo/slot_layout.h"
BUILDINFO_DEFINE_SLOT(2048);
int core(void);
int main(void) { return core(); }
C
echo 'int core(void) { return 0; }' > "$WORK/core.c"
bad=$(printf '\245')
# A library whose soname (and so the program's DT_NEEDED entry) holds 0xA5.
cc -shared -fPIC -Wl,-soname,"libc${bad}re.so" -o "$WORK/libcore.so" "$WORK/core.c"
cc $include -o "$WORK/app" "$WORK/main.c" "$WORK/libcore.so"
readelf -dW "$WORK/app" | LC_ALL=C grep -q "NEEDED.*libc.re\.so" || fail "the program does not need libc\\xa5re.so"

# Copies $1 to $2 with the first occurrence of the bytes $3 (a Python
# bytes literal) after offset $4 replaced by $5.
patch_copy() {
  python3 - "$@" <<'PY'
import sys
src, dst, old, start, new = sys.argv[1], sys.argv[2], eval(sys.argv[3]), int(sys.argv[4]), eval(sys.argv[5])
data = bytearray(open(src, "rb").read())
at = data.find(old, start)
assert at >= 0, "pattern not found"
data[at:at + len(old)] = new
open(dst, "wb").write(data)
PY
  chmod +x "$2"
}

comment=$(elf_section_offset "$WORK/app" .comment)
strtab=$(elf_section_offset "$WORK/app" .shstrtab)
patch_copy "$WORK/app" "$WORK/app-comment" "b'GCC: ('" "$comment" "b'GCC: \\xa5'"
patch_copy "$WORK/app" "$WORK/app-section" "b'.note.ABI-tag\\0'" "$strtab" "b'.note.\\xa5BI-tag\\0'"
cp "$WORK/app" "$WORK/app-${bad}name"
files=("$WORK/app" "$WORK/app-comment" "$WORK/app-section" "$WORK/app-${bad}name")

for file in "${files[@]}"; do
  "$BUILDINFO" stamp "$file" --no-sign --source-dir "$WORK/repo" -q
  "$BUILDINFO" verify "$file" --allow-unsigned > "$WORK/verify.txt" 2>&1 || fail "verify $file: $(cat "$WORK/verify.txt")"
done

# Runs inspect --json on $1; checks exit 0, an empty stderr, one line of
# ASCII that jq and Python read, and no library exception text.
inspect_json() {
  local file=$1 rc=0
  "$BUILDINFO" inspect "$file" --json > "$WORK/out.json" 2> "$WORK/err.txt" || rc=$?
  [ "$rc" = 0 ] || fail "inspect --json $file: exit $rc: $(cat "$WORK/out.json" "$WORK/err.txt")"
  [ ! -s "$WORK/err.txt" ] || fail "inspect --json $file: stderr: $(cat "$WORK/err.txt")"
  [ "$(wc -l < "$WORK/out.json")" = 1 ] || fail "inspect --json $file: not one line"
  ! LC_ALL=C grep -qP '[^\x20-\x7e]' "$WORK/out.json" || fail "inspect --json $file: bytes other than printable ASCII"
  python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$WORK/out.json" || fail "inspect --json $file: Python cannot parse it"
  jq -e '.result == "stamped" and .exit_code == 0 and (.binary | type) == "object" and (.binary | has("error") | not)
    and (.binary.sections | length) > 20 and (.binary.libraries | length) >= 2' "$WORK/out.json" > /dev/null \
    || fail "inspect --json $file: $(jq -c '{result, exit_code, error: .binary.error}' "$WORK/out.json")"
  ! grep -qi 'exception' "$WORK/out.json" || fail "inspect --json $file: a library's exception text: $(cat "$WORK/out.json")"
}

inspect_json "$WORK/app-comment"
jq -e '.binary.comment | length == 1 and (.[0] | startswith("GCC: \ufffdDebian"))' "$WORK/out.json" > /dev/null \
  || fail ".comment: $(jq -c .binary.comment "$WORK/out.json")"
inspect_json "$WORK/app-section"
jq -e '[.binary.sections[].name] | index(".note.\ufffdBI-tag") != null and index(".note.buildinfo") != null' \
  "$WORK/out.json" > /dev/null || fail "section name: $(jq -c '[.binary.sections[].name]' "$WORK/out.json")"
inspect_json "$WORK/app"
jq -e '.binary.libraries | index("libc\ufffdre.so") != null' "$WORK/out.json" > /dev/null \
  || fail "library name: $(jq -c .binary.libraries "$WORK/out.json")"
inspect_json "$WORK/app-${bad}name"
jq -e '.file | endswith("/app-\ufffdname")' "$WORK/out.json" > /dev/null || fail "file name: $(jq -c .file "$WORK/out.json")"

# All four at once: one parseable line each.
"$BUILDINFO" inspect "${files[@]}" --json > "$WORK/all.json" || fail "inspect --json of all four files failed"
[ "$(jq -s 'map(.result) | join(",")' -r "$WORK/all.json")" = "stamped,stamped,stamped,stamped" ] \
  || fail "several files: $(cat "$WORK/all.json")"

# The text view: valid UTF-8, the byte escaped (\xa5) where the tool reads
# it, U+FFFD where LIEF's description carries it.
for file in "${files[@]}"; do
  "$BUILDINFO" inspect "$file" > "$WORK/out.txt" 2> "$WORK/err.txt" || fail "inspect $file failed: $(cat "$WORK/err.txt")"
  iconv -f UTF-8 -t UTF-8 "$WORK/out.txt" > /dev/null 2>&1 || fail "inspect $file: output is not UTF-8"
  ! grep -qi 'exception' "$WORK/out.txt" || fail "inspect $file: a library's exception text: $(cat "$WORK/out.txt")"
done
"$BUILDINFO" inspect "$WORK/app-comment" | matches -F '    comment  GCC: \xa5Debian' || fail "text: .comment is not escaped"
"$BUILDINFO" inspect "$WORK/app-section" | matches -E "^    \.note\.$(printf '\357\277\275')BI-tag " \
  || fail "text: the section name is not shown with U+FFFD"
"$BUILDINFO" inspect "$WORK/app" | matches -x "  library       libc$(printf '\357\277\275')re.so" \
  || fail "text: the library name is not shown with U+FFFD"
echo ok
