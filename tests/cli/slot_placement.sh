# The slot is where FORMAT.md says: a .note.buildinfo section in a PT_NOTE
# segment, where the runtime finds it. A section of that name added after
# linking (objcopy --add-section, with or without the alloc flag) lies
# outside every PT_NOTE segment: stamp and restamp refuse it (exit 2, one
# line naming the file, the file byte-identical), inspect reports it as not
# loaded in text and JSON, also when it holds a record stamped elsewhere;
# the slot the linker placed is reported as loaded.
source "$SOURCE_ROOT/tests/e2e/common.sh"

make_repo "$WORK/repo"
include="-I$SOURCE_ROOT/lib/include"
cat > "$WORK/slot.c" <<'C'
#include "buildinfo/slot_layout.h"
BUILDINFO_DEFINE_SLOT(1024);
int main(void) { return 0; }
C
echo 'int main(void) { return 0; }' > "$WORK/plain.c"
cc $include -o "$WORK/linked" "$WORK/slot.c"
cc -o "$WORK/plain" "$WORK/plain.c"

# Runs buildinfo with the remaining arguments; checks exit code $1.
run() {
  local code=$1 rc=0
  shift
  "$BUILDINFO" "$@" > "$WORK/out.txt" 2> "$WORK/err.txt" || rc=$?
  [ "$rc" = "$code" ] || fail "buildinfo $*: exit $rc, expected $code: $(cat "$WORK/out.txt" "$WORK/err.txt")"
}

# The linked slot is loaded.
run 3 inspect "$WORK/linked" --json --no-describe
jq -e '(.slots | length) == 1 and .slots[0].loaded == true and (.slots[0] | has("not_loaded") | not)' "$WORK/out.txt" > /dev/null \
  || fail "the linked slot is not reported as loaded: $(cat "$WORK/out.txt")"
run 3 inspect "$WORK/linked" --no-describe
! grep -q "not loaded" "$WORK/out.txt" || fail "the linked slot is reported as not loaded: $(cat "$WORK/out.txt")"

# The empty section as the linker laid it out, added to a program without one.
objcopy -O binary --only-section=.note.buildinfo "$WORK/linked" "$WORK/section.bin"
[ "$(stat -c %s "$WORK/section.bin")" = $((24 + 1024)) ] || fail "objcopy did not extract the note"
objcopy --add-section .note.buildinfo="$WORK/section.bin" "$WORK/plain" "$WORK/added"
objcopy --add-section .note.buildinfo="$WORK/section.bin" --set-section-flags .note.buildinfo=alloc,readonly,contents \
  "$WORK/plain" "$WORK/added-alloc" 2> /dev/null
for file in "$WORK/added" "$WORK/added-alloc"; do
  readelf -SW "$file" | matches -E '\.note\.buildinfo +NOTE' || fail "$file: objcopy did not add the note section"
  before=$(file_hash "$file")
  mtime=$(stat -c %Y.%y "$file")
  run 2 stamp "$file" --no-sign --source-dir "$WORK/repo"
  expected="buildinfo: $file: section \.note\.buildinfo is not loaded \(outside every PT_NOTE segment\), so"
  expected+=" the program can never read its record; .*objcopy --add-section.*"
  [ "$(wc -l < "$WORK/err.txt")" = 1 ] && grep -qxE "$expected" "$WORK/err.txt" \
    || fail "stamp of $file: $(cat "$WORK/err.txt")"
  [ "$(file_hash "$file")" = "$before" ] && [ "$(stat -c %Y.%y "$file")" = "$mtime" ] \
    || fail "the refused stamp changed $file"
  ! ls -a "$WORK" | matches '\.buildinfo-' || fail "the refused stamp left a temporary file"
  run 2 restamp "$file" --no-sign
  grep -q "is not loaded (outside every PT_NOTE segment)" "$WORK/err.txt" || fail "restamp of $file: $(cat "$WORK/err.txt")"

  run 3 inspect "$file" --no-describe
  grep -qE '^slot \.note\.buildinfo at file offset 0x[0-9a-f]+ \(amd64\): not loaded \(outside every PT_NOTE segment\),'\
' not stamped' "$WORK/out.txt" || fail "inspect of $file: $(cat "$WORK/out.txt")"
  expected="buildinfo: $file: the slot is not stamped, and not loaded (outside every PT_NOTE segment): the program"
  expected+=" can never read it, and stamp refuses it"
  grep -qxF "$expected" "$WORK/err.txt" || fail "inspect of $file (stderr): $(cat "$WORK/err.txt")"
  run 3 inspect "$file" --json --no-describe
  jq -e '.result == "not_stamped" and .slots[0].loaded == false and .slots[0].not_loaded == "outside every PT_NOTE segment"' \
    "$WORK/out.txt" > /dev/null || fail "inspect --json of $file: $(cat "$WORK/out.txt")"
done

# A stamped record in such a section (stamped where it was loaded, then
# copied): inspect shows the record and says that it is not loaded.
"$BUILDINFO" stamp "$WORK/linked" --no-sign --source-dir "$WORK/repo" -q
objcopy -O binary --only-section=.note.buildinfo "$WORK/linked" "$WORK/stamped-section.bin"
objcopy --add-section .note.buildinfo="$WORK/stamped-section.bin" "$WORK/plain" "$WORK/added-stamped"
run 0 inspect "$WORK/added-stamped" --no-describe
grep -qE '^slot \.note\.buildinfo .*: not loaded \(outside every PT_NOTE segment\), [0-9]+ of 1024 bytes used' "$WORK/out.txt" \
  && grep -qE '^  vcs\.revision +[0-9a-f]{40}$' "$WORK/out.txt" || fail "inspect of a stamped added section: $(cat "$WORK/out.txt")"
run 0 inspect "$WORK/added-stamped" --json --no-describe
jq -e '.result == "stamped" and .slots[0].loaded == false and (.record["vcs.revision"] | length) == 40' "$WORK/out.txt" \
  > /dev/null || fail "inspect --json of a stamped added section: $(cat "$WORK/out.txt")"
echo ok
