# inspect's human view: record fields, slot facts, build-id, .comment and the
# LIEF description; and stamp's re-stamp of an unchanged record leaves the file alone.
source "$SOURCE_ROOT/tests/e2e/common.sh"

make_repo "$WORK/repo"
cat > "$WORK/main.c" <<'C'
#include "buildinfo/slot_layout.h"
BUILDINFO_DEFINE_SLOT(1024);
int main(void) { return 0; }
C
cc -I"$SOURCE_ROOT/lib/include" -Wl,--build-id=sha1 -o "$WORK/app" "$WORK/main.c"
"$BUILDINFO" stamp "$WORK/app" --no-sign --source-dir "$WORK/repo" --project-name demo --set ticket=ABC-1 -q
"$BUILDINFO" inspect "$WORK/app" > "$WORK/inspect.txt"

revision=$(git -C "$WORK/repo" rev-parse HEAD)
build_id=$(readelf -n "$WORK/app" | sed -n 's/.*Build ID: //p')
grep -qE "^  vcs.revision +$revision$" "$WORK/inspect.txt" || fail "text view lacks the revision"
grep -qE "^  custom.ticket +ABC-1$" "$WORK/inspect.txt" || fail "text view lacks the custom entry"
grep -qE "^slot .note.buildinfo at file offset 0x[0-9a-f]+ \(amd64\): [0-9]+ of 1024 bytes used" "$WORK/inspect.txt" \
  || fail "text view lacks the slot line"
grep -qE "^    build-id +$build_id$" "$WORK/inspect.txt" || fail "text view lacks the build-id $build_id"
grep -qE "^    comment +GCC: " "$WORK/inspect.txt" || fail "text view lacks the .comment compiler"
grep -qE "^  format +ELF 64-bit" "$WORK/inspect.txt" || fail "text view lacks the LIEF format line"
grep -qE "^    \.note\.buildinfo " "$WORK/inspect.txt" || fail "text view lacks the section list"

# JSON agrees on the build-id.
"$BUILDINFO" inspect "$WORK/app" --json > "$WORK/inspect.json"
[ "$(jq -r .binary.gnu_build_id "$WORK/inspect.json")" = "$build_id" ] || fail "JSON build-id differs from readelf"

# Same facts again: the file is not rewritten (its inode and mtime stay).
before=$(stat -c '%i %Y' "$WORK/app")
sleep 1
"$BUILDINFO" stamp "$WORK/app" --no-sign --source-dir "$WORK/repo" --project-name demo --set ticket=ABC-1 -q
[ "$(stat -c '%i %Y' "$WORK/app")" = "$before" ] || fail "an unchanged re-stamp rewrote the file"
echo ok
