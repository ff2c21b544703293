# A stamp keeps the whole mode and the owner (as root, as CI runs): modes
# 4755, 2755, 6755, 1755, 0700, 0644 (and 7777, 0000) survive, on files owned
# by root and by another user. As an ordinary user, a file of one's own
# keeps its set-group-ID bit, and a file whose owner cannot be kept is
# refused (exit 2), unchanged, with nothing left beside it. A hard link is
# detached, with a warning.
source "$SOURCE_ROOT/tests/e2e/common.sh"
[ "$(id -u)" = 0 ] || skip "set-user-ID files of other owners need root (CI runs as root)"
require_tools setpriv

make_repo "$WORK/repo"
make_keys
cat > "$WORK/app.c" <<'C'
#include "buildinfo/slot_layout.h"
BUILDINFO_DEFINE_SLOT(1024);
int main(void) { return buildinfo_slot.slot[0]; }
C
cc -O1 -I"$SOURCE_ROOT/lib/include" -o "$WORK/original" "$WORK/app.c"

verifies() {
  "$BUILDINFO" verify "$1" --key "$WORK/keys/ed25519.pub" > "$WORK/verify.txt" 2>&1 \
    || fail "$1 does not verify: $(cat "$WORK/verify.txt")"
}

# As root: every mode bit, and the owner and group, as they were.
for owner in root:root nobody:nogroup; do
  for mode in 4755 2755 6755 1755 0700 0644 7777 0000; do
    dir="$WORK/${owner%%:*}-$mode"
    mkdir "$dir"
    cp "$WORK/original" "$dir/app"
    # chown clears set-user-ID and set-group-ID: chmod comes after it.
    chown "$owner" "$dir/app"
    chmod "$mode" "$dir/app"
    before=$(stat -c '%a %U:%G' "$dir/app")
    [ "$before" = "$((10#$mode)) $owner" ] || fail "the test could not give the file mode $mode: $before"
    "$BUILDINFO" stamp "$dir/app" --key "$WORK/keys/ed25519.key" --source-dir "$WORK/repo" -q \
      || fail "stamp of a file with mode $mode ($owner) failed"
    after=$(stat -c '%a %U:%G' "$dir/app")
    [ "$after" = "$before" ] || fail "stamp changed mode and owner '$before' into '$after'"
    cmp -s "$WORK/original" "$dir/app" && fail "stamp of a file with mode $mode did not write it"
    verifies "$dir/app"
    [ "$(ls -A "$dir")" = app ] || fail "stamp left files beside app: $(ls -lA "$dir")"
  done
done

# A hard link is detached: the stamped name is a new file, the other name
# keeps the unstamped one, and stamp says so.
mkdir "$WORK/links"
cp "$WORK/original" "$WORK/links/app"
ln "$WORK/links/app" "$WORK/links/other-name"
"$BUILDINFO" stamp "$WORK/links/app" --key "$WORK/keys/ed25519.key" --source-dir "$WORK/repo" -q 2> "$WORK/links.err" \
  || fail "stamp of a file with two hard links failed: $(cat "$WORK/links.err")"
grep -qx "buildinfo: warning: $WORK/links/app: 1 other hard link of the file keeps its unstamped contents (the stamped file is a new one)" \
  "$WORK/links.err" || fail "no warning about the other hard link: $(cat "$WORK/links.err")"
verifies "$WORK/links/app"
cmp -s "$WORK/original" "$WORK/links/other-name" || fail "the other hard link changed"
[ "$(stat -c %h "$WORK/links/app")" = 1 ] || fail "the stamped file is still linked"

# As an ordinary user (nobody, group nogroup) in a directory of its own.
mkdir "$WORK/user"
cp "$WORK/original" "$WORK/user/app"
cp -r "$WORK/keys" "$WORK/user-keys"
mkdir -p "$WORK/nobody-home"
git config --file "$WORK/nobody-home/.gitconfig" safe.directory "$WORK/repo"
chmod -R a+rX "$WORK/repo"
chown -R nobody:nogroup "$WORK/user" "$WORK/user-keys" "$WORK/nobody-home"
chmod 600 "$WORK/user-keys/ed25519.key"
as_nobody=(env HOME="$WORK/nobody-home" "$SETPRIV" --reuid=nobody --regid=nogroup --clear-groups)
chmod 2755 "$WORK/user/app"
"${as_nobody[@]}" "$BUILDINFO" stamp "$WORK/user/app" --key "$WORK/user-keys/ed25519.key" --source-dir "$WORK/repo" -q \
  || fail "nobody's stamp of its own set-group-ID file failed"
[ "$(stat -c '%a %U:%G' "$WORK/user/app")" = "2755 nobody:nogroup" ] \
  || fail "nobody's stamp changed its file into $(stat -c '%a %U:%G' "$WORK/user/app")"
verifies "$WORK/user/app"

# A root-owned file in a directory nobody may write: the stamp would hand
# the file to nobody, so it is refused.
cp "$WORK/original" "$WORK/user/roots"
chmod 4755 "$WORK/user/roots"
rc=0
"${as_nobody[@]}" "$BUILDINFO" stamp "$WORK/user/roots" --key "$WORK/user-keys/ed25519.key" --source-dir "$WORK/repo" \
  -q 2> "$WORK/roots.err" || rc=$?
[ "$rc" = 2 ] || fail "nobody's stamp of a root-owned file exited $rc, expected 2: $(cat "$WORK/roots.err")"
grep -qx "buildinfo: $WORK/user/roots: cannot keep its owner and group (0:0); stamp it as its owner (a member of its group) or as root" \
  "$WORK/roots.err" || fail "unclear error for a file whose owner cannot be kept: $(cat "$WORK/roots.err")"
cmp -s "$WORK/original" "$WORK/user/roots" || fail "a refused stamp changed the file"
[ "$(stat -c '%a %U:%G' "$WORK/user/roots")" = "4755 root:root" ] || fail "a refused stamp changed the mode or owner"
[ "$(ls -A "$WORK/user" | sort | tr '\n' ' ')" = "app roots " ] || fail "a refused stamp left files: $(ls -lA "$WORK/user")"
echo ok
