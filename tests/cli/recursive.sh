# Many binaries at once: verify --recursive over a tree of 200 stamped
# binaries and 2,000 other files (text, random data, symbolic links inside
# the tree, one to a stamped binary outside it, a link loop, an empty
# directory) reports each binary once and exits 0, in the same order with
# -j 1 and -j 2; inspect --recursive --json gives one object per binary;
# files that start like binaries but are not fail with exit 2, naming each;
# a flipped byte in one binary fails verify (exit 1) naming it; a directory
# without --recursive is a usage error (exit 2). inspect --recursive --json
# reads Debian's /usr/lib/x86_64-linux-gnu without a crash, every line JSON.
source "$SOURCE_ROOT/tests/e2e/common.sh"

make_repo "$WORK/repo"
make_keys
cat > "$WORK/app.c" <<'C'
#include "buildinfo/slot_layout.h"
BUILDINFO_DEFINE_SLOT(1024);
int main(void) { return 0; }
C
cc -I"$SOURCE_ROOT/lib/include" -o "$WORK/app" "$WORK/app.c" || fail "cannot build the program"
"$BUILDINFO" stamp "$WORK/app" --key "$WORK/keys/ed25519.key" --source-dir "$WORK/repo" -q || fail "stamp failed"

tree="$WORK/tree"
rm -rf "$tree" "$WORK/outside"
mkdir -p "$tree" "$WORK/outside"
cp "$WORK/app" "$WORK/outside/stamped-outside"
/usr/bin/python3 - "$tree" "$WORK/app" <<'PY'
import os, random, shutil, sys
tree, app = sys.argv[1], sys.argv[2]
random.seed(15)
for i in range(200):
    d = os.path.join(tree, "bin", "part%02d" % (i % 17), "deeper" if i % 3 else "")
    os.makedirs(d, exist_ok=True)
    shutil.copy(app, os.path.join(d, "app%03d" % i))
for i in range(1400):
    d = os.path.join(tree, "share", "doc%02d" % (i % 23))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "file%04d.txt" % i), "w") as f:
        f.write("text %d\n" % i * (i % 7 + 1))
for i in range(500):
    d = os.path.join(tree, "data")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "blob%03d.bin" % i), "wb") as f:
        data = bytes(random.getrandbits(8) for _ in range(64 + i))
        # never a binary's magic by chance
        f.write(b"DATA" + data)
os.makedirs(os.path.join(tree, "empty"))
os.makedirs(os.path.join(tree, "links"))
for i in range(96):
    os.symlink(os.path.join("..", "bin", "part00", "app000") if i % 2 else "../share", os.path.join(tree, "links", "l%02d" % i))
os.symlink("loop", os.path.join(tree, "links", "loop"))
os.symlink(os.path.join(tree, "links"), os.path.join(tree, "links", "up"))
PY
ln -s "$WORK/outside/stamped-outside" "$tree/links/outside"
ln -s "$WORK/outside" "$tree/links/outside-dir"
others=$(find "$tree" ! -type d | wc -l)
[ "$others" = 2200 ] || fail "the tree holds $others files, expected 200 binaries and 2000 others"

rc=0
"$BUILDINFO" verify --recursive --key "$WORK/keys/ed25519.pub" -j 2 "$tree" > "$WORK/verify.txt" 2> "$WORK/verify.err" || rc=$?
[ "$rc" = 0 ] || fail "verify --recursive exited $rc: $(tail -5 "$WORK/verify.txt") $(head -5 "$WORK/verify.err")"
[ "$(grep -c ': verified$' "$WORK/verify.txt")" = 200 ] || fail "verify --recursive reported $(grep -c ': verified$' "$WORK/verify.txt") binaries"
[ "$(grep ': verified$' "$WORK/verify.txt" | sort -u | wc -l)" = 200 ] || fail "a binary was reported twice"
! grep -q 'outside\|links/' "$WORK/verify.txt" || fail "the walk followed a symbolic link: $(grep 'outside\|links/' "$WORK/verify.txt" | head -3)"
tail -1 "$WORK/verify.txt" | matches -x '200 binaries: 200 verified, 0 failed, 0 without a record, 0 unreadable; 1900 other files and 100 symbolic links skipped' \
  || fail "the summary line: $(tail -1 "$WORK/verify.txt")"
[ ! -s "$WORK/verify.err" ] || fail "verify --recursive wrote errors: $(head -3 "$WORK/verify.err")"
"$BUILDINFO" verify --recursive --key "$WORK/keys/ed25519.pub" -j 1 "$tree" > "$WORK/verify-j1.txt" 2>&1 || fail "verify -j 1 failed"
cmp -s "$WORK/verify.txt" "$WORK/verify-j1.txt" || fail "verify --recursive -j 1 and -j 2 differ"
sort -c <(grep ': verified$' "$WORK/verify.txt") 2> /dev/null || fail "the files are not reported in sorted order"

# --json: one object per binary, each verified.
"$BUILDINFO" verify --recursive --json --key "$WORK/keys/ed25519.pub" "$tree" > "$WORK/verify.json" || fail "verify --recursive --json failed"
[ "$(jq -s '[.[] | select(.result == "verified")] | length' "$WORK/verify.json")" = 200 ] || fail "verify --json did not give 200 verified lines"
"$BUILDINFO" inspect --recursive --json --no-describe "$tree" > "$WORK/inspect.json" || fail "inspect --recursive --json failed"
[ "$(jq -s 'length' "$WORK/inspect.json")" = 200 ] && [ "$(jq -s '[.[] | select(.result == "stamped")] | length' "$WORK/inspect.json")" = 200 ] \
  || fail "inspect --recursive --json: $(jq -s 'length' "$WORK/inspect.json") lines"
revision=$(git -C "$WORK/repo" rev-parse HEAD)
"$BUILDINFO" inspect --recursive "$tree" > "$WORK/inspect.txt" || fail "inspect --recursive failed"
[ "$(grep -c "  stamped  .*  $revision$" "$WORK/inspect.txt")" = 200 ] || fail "the table: $(head -3 "$WORK/inspect.txt")"

# One document for the whole tree: every stamped binary a component (the
# official schemas are checked by e2e.sbom_exports), each described once.
"$BUILDINFO" inspect --recursive --format cyclonedx "$tree" > "$WORK/tree.cdx.json" || fail "inspect -r --format cyclonedx failed"
jq -e '(.components | length) == 200 and ([.components[]."bom-ref"] | unique | length) == 200
  and .metadata.component."bom-ref" == "collection"
  and ([.dependencies[] | select(.ref == "collection")][0].dependsOn | length) == 200' "$WORK/tree.cdx.json" > /dev/null \
  || fail "the tree's BOM: $(jq -c '{n: (.components | length), m: .metadata.component}' "$WORK/tree.cdx.json")"
"$BUILDINFO" inspect --recursive --format spdx "$tree" > "$WORK/tree.spdx.json" || fail "inspect -r --format spdx failed"
[ "$(jq '[.relationships[] | select(.relationshipType == "DESCRIBES")] | length' "$WORK/tree.spdx.json")" = 200 ] \
  || fail "the tree's SPDX document does not describe 200 files"
"$BUILDINFO" inspect --recursive --format in-toto "$tree" > "$WORK/tree.intoto.json" || fail "inspect -r --format in-toto failed"
[ "$(jq '.subject | length' "$WORK/tree.intoto.json")" = 200 ] || fail "the tree's statement does not have 200 subjects"

# A flipped byte in one of them: exit 1, that file named.
victim="$tree/bin/part05/deeper/app022"
flip_byte "$victim" 200
rc=0
"$BUILDINFO" verify --recursive --key "$WORK/keys/ed25519.pub" "$tree" > "$WORK/flipped.txt" 2>&1 || rc=$?
[ "$rc" = 1 ] && grep -q "^$victim: FAILED (image)$" "$WORK/flipped.txt" \
  && tail -1 "$WORK/flipped.txt" | matches '^200 binaries: 199 verified, 1 failed,' \
  || fail "a flipped byte: exit $rc, $(grep -v ': verified$' "$WORK/flipped.txt" | head -5)"

# Files that start like binaries but are not: each named, exit 2.
bad="$WORK/bad"
rm -rf "$bad" && mkdir -p "$bad"
printf '\177ELFgarbage' > "$bad/elf"
printf 'MZ' > "$bad/pe"
printf '\317\372\355\376truncated' > "$bad/macho"
echo 'plain text' > "$bad/readme"
rc=0
"$BUILDINFO" verify --recursive --key "$WORK/keys/ed25519.pub" "$bad" > "$WORK/bad.txt" 2> "$WORK/bad.err" || rc=$?
[ "$rc" = 2 ] || fail "a tree of damaged binaries: exit $rc"
for name in elf macho pe; do
  grep -q "^buildinfo: $bad/$name: " "$WORK/bad.err" || fail "$name is not named: $(cat "$WORK/bad.err")"
done
! grep -q readme "$WORK/bad.txt" "$WORK/bad.err" || fail "a text file was read as a binary"
tail -1 "$WORK/bad.txt" | matches '^3 binaries: 0 verified, 0 failed, 0 without a record, 3 unreadable; 1 other files' \
  || fail "the summary of the damaged tree: $(tail -1 "$WORK/bad.txt")"

# A directory without --recursive.
for command in verify inspect; do
  rc=0
  "$BUILDINFO" "$command" "$tree" --key "$WORK/keys/ed25519.pub" > "$WORK/dir.txt" 2>&1 || rc=$?
  [ "$command" = inspect ] && { rc=0; "$BUILDINFO" inspect "$tree" > "$WORK/dir.txt" 2>&1 || rc=$?; }
  [ "$rc" = 2 ] && grep -q "tree: is a directory; pass --recursive" "$WORK/dir.txt" \
    || fail "$command of a directory without --recursive: exit $rc, $(cat "$WORK/dir.txt")"
done

# Debian's own libraries: every binary a JSON line, none stamped, no crash.
lib=/usr/lib/x86_64-linux-gnu
rc=0
"$BUILDINFO" inspect --recursive --json "$lib" > "$WORK/lib.json" 2> "$WORK/lib.err" || rc=$?
[ "$rc" = 3 ] || [ "$rc" = 2 ] || fail "inspect --recursive --json $lib exited $rc (a crash?): $(tail -3 "$WORK/lib.err")"
lines=$(wc -l < "$WORK/lib.json")
jq -e . "$WORK/lib.json" > /dev/null || fail "inspect --recursive --json $lib printed a line that is not JSON"
[ "$lines" -gt 500 ] || fail "inspect --recursive --json $lib reported only $lines binaries"
echo "verify --recursive: 200 binaries of 2,200 files; $lib: $lines binaries as JSON (exit $rc)"
