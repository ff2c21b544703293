# Bad input: each case gets its own clear one-line message naming the file,
# the documented exit code, and leaves the input byte-identical.
source "$SOURCE_ROOT/tests/e2e/common.sh"

# Runs buildinfo with the remaining arguments and checks the exit code ($1)
# and that stderr matches the pattern ($2).
expect_failure() {
  local code=$1 pattern=$2
  shift 2
  local rc=0
  "$BUILDINFO" "$@" > "$WORK/out.txt" 2> "$WORK/err.txt" || rc=$?
  [ "$rc" = "$code" ] || fail "buildinfo $*: exit $rc, expected $code (stderr: $(cat "$WORK/err.txt"))"
  grep -qE "$pattern" "$WORK/err.txt" || fail "buildinfo $*: stderr '$(cat "$WORK/err.txt")' does not match '$pattern'"
  [ "$(grep -vc '^buildinfo: warning: ' "$WORK/err.txt")" = 1 ] || fail "buildinfo $*: error is not one line: $(cat "$WORK/err.txt")"
}

# Runs a failing stamp of file $3 and checks the file did not change.
expect_stamp_failure_unchanged() {
  local code=$1 pattern=$2 file=$3
  shift 3
  local before
  before=$(file_hash "$file")
  expect_failure "$code" "$pattern" stamp "$file" --no-sign --source-dir "$WORK" "$@"
  [ "$(file_hash "$file")" = "$before" ] || fail "failed stamp changed $file"
  ! ls -a "$(dirname "$file")" | matches '\.buildinfo-' || fail "failed stamp left a temporary file"
}

cat > "$WORK/slot.c" <<'C'
#include "buildinfo/slot_layout.h"
#ifndef CAPACITY
#define CAPACITY BUILDINFO_DEFAULT_CAPACITY
#endif
BUILDINFO_DEFINE_SLOT(CAPACITY);
C
cat > "$WORK/main.c" <<'C'
int main(void) { return 0; }
C
include="-I$SOURCE_ROOT/lib/include"

# Usage errors.
expect_failure 2 'subcommand' 
expect_failure 2 'unknown|extras|not expected' stamp --no-such-option x
"$BUILDINFO" --help | matches stamp || fail "--help does not list the stamp command"

# Missing file, directory, empty file, a text file.
expect_failure 2 "^buildinfo: $WORK/missing: cannot open: No such file" inspect "$WORK/missing"
expect_failure 2 "^buildinfo: $WORK: is a directory" inspect "$WORK"
: > "$WORK/empty"
expect_stamp_failure_unchanged 2 "^buildinfo: $WORK/empty: file is empty" "$WORK/empty"
echo "just some text, not a program" > "$WORK/text.txt"
expect_stamp_failure_unchanged 2 "^buildinfo: $WORK/text.txt: unknown file type" "$WORK/text.txt"

# An ELF binary without a slot: exit 3 with the how-to.
cc -o "$WORK/noslot" "$WORK/main.c"
expect_stamp_failure_unchanged 3 "^buildinfo: $WORK/noslot: no buildinfo slot .*buildinfo_stamp" "$WORK/noslot"
expect_failure 3 "no buildinfo slot" inspect "$WORK/noslot"

# A slot that is present but not stamped: inspect exits 3.
cc $include -o "$WORK/slot-elf" "$WORK/main.c" "$WORK/slot.c"
expect_failure 3 "^buildinfo: $WORK/slot-elf: the slot is present but not stamped" inspect "$WORK/slot-elf"

# Payload larger than the slot: names both sizes.
cc $include -DCAPACITY=256 -o "$WORK/small-slot" "$WORK/main.c" "$WORK/slot.c"
long=$(head -c 400 /dev/zero | tr '\0' x)
expect_stamp_failure_unchanged 2 "^buildinfo: $WORK/small-slot: record needs [0-9]+ bytes but the slot holds 256 bytes" \
  "$WORK/small-slot" --set big="$long"

# Truncated binaries of each format: half of a real one.
truncate_half() { head -c $(( $(stat -c %s "$1") / 2 )) "$1" > "$2"; }
truncate_half "$WORK/slot-elf" "$WORK/truncated-elf"
expect_stamp_failure_unchanged 2 "^buildinfo: $WORK/truncated-elf: .*(outside the file|truncated)" "$WORK/truncated-elf"
head -c 40 "$WORK/slot-elf" > "$WORK/elf-header-only"
expect_stamp_failure_unchanged 2 "^buildinfo: $WORK/elf-header-only: .*(outside the file|truncated)" "$WORK/elf-header-only"

if have_tools mingw-gcc; then
  "$MINGW_GCC" $include -o "$WORK/slot.exe" "$WORK/main.c" "$WORK/slot.c"
  truncate_half "$WORK/slot.exe" "$WORK/truncated.exe"
  expect_stamp_failure_unchanged 2 "^buildinfo: $WORK/truncated.exe: .*(outside the file|truncated)" "$WORK/truncated.exe"
  head -c 100 "$WORK/slot.exe" > "$WORK/pe-dos-header-only.exe"
  expect_stamp_failure_unchanged 2 "^buildinfo: $WORK/pe-dos-header-only.exe: " "$WORK/pe-dos-header-only.exe"
else
  fail "x86_64-w64-mingw32-gcc is missing (ci/test.sh installs it)"
fi

cat > "$WORK/start.c" <<'C'
#include "buildinfo/slot_layout.h"
BUILDINFO_DEFINE_SLOT(BUILDINFO_DEFAULT_CAPACITY);
int start(void) { return buildinfo_slot.slot[0]; }
C
have_tools clang ld64.lld || fail "clang or ld64.lld is missing (ci/test.sh installs them)"
"$CLANG" -target arm64-apple-macos11 -ffreestanding $include -c -o "$WORK/start.o" "$WORK/start.c"
"$LD64_LLD" -arch arm64 -platform_version macos 11.0 11.0 -e _start -o "$WORK/slot-macho" "$WORK/start.o"
truncate_half "$WORK/slot-macho" "$WORK/truncated-macho"
expect_stamp_failure_unchanged 2 "^buildinfo: $WORK/truncated-macho: .*(outside the file|truncated)" "$WORK/truncated-macho"
head -c 20 "$WORK/slot-macho" > "$WORK/macho-header-only"
expect_stamp_failure_unchanged 2 "^buildinfo: $WORK/macho-header-only: " "$WORK/macho-header-only"

# A read-only directory: the stamp fails cleanly and the file is unchanged.
mkdir "$WORK/readonly"
cp "$WORK/slot-elf" "$WORK/readonly/app"
chmod 555 "$WORK/readonly"
if [ "$(id -u)" != 0 ]; then
  expect_stamp_failure_unchanged 2 "cannot create a temporary file" "$WORK/readonly/app"
fi
chmod 755 "$WORK/readonly"

# The tool without its plug-ins (tool/plugins/plugin_abi.h): commands that need no
# git, LIEF or key work, inspect goes on without its description, the commands
# that need git facts or a key fail with a clear error. The executable itself
# links none of the plug-ins' libraries.
mkdir -p "$WORK/lonely"
cp "$BUILDINFO" "$WORK/lonely/buildinfo"
cp "$WORK/slot-elf" "$WORK/lonely-app"
"$BUILDINFO" vcs-state --source-dir "$WORK" --output "$WORK/state" || fail "vcs-state failed"
"$WORK/lonely/buildinfo" stamp "$WORK/lonely-app" --no-sign --vcs-state "$WORK/state" -q \
  || fail "stamp --vcs-state needs no plug-in, but failed"
"$WORK/lonely/buildinfo" inspect "$WORK/lonely-app" --json > "$WORK/lonely.json" \
  || fail "inspect without the LIEF plug-in failed"
jq -e '.binary.error | test("cannot load the plug-in buildinfo-lief.so")' "$WORK/lonely.json" > /dev/null \
  || fail "inspect without the LIEF plug-in does not say why the description is missing: $(jq -c .binary "$WORK/lonely.json")"
BUILDINFO="$WORK/lonely/buildinfo" expect_failure 2 "^buildinfo: cannot load the plug-in buildinfo-git.so .*reinstall buildinfo" \
  stamp "$WORK/lonely-app" --no-sign --source-dir "$WORK"
"$WORK/lonely/buildinfo" verify "$WORK/lonely-app" --allow-unsigned > /dev/null || fail "verify without a key needs no plug-in, but failed"
"$BUILDINFO" keygen --out "$WORK/lonely-key" > /dev/null || fail "keygen failed"
cp "$WORK/lonely-app" "$WORK/lonely-app.before"
BUILDINFO="$WORK/lonely/buildinfo" expect_failure 2 "^buildinfo: cannot load the plug-in buildinfo-openssl.so .*reinstall buildinfo" \
  stamp "$WORK/lonely-app" --key "$WORK/lonely-key.key" --vcs-state "$WORK/state"
cmp -s "$WORK/lonely-app" "$WORK/lonely-app.before" || fail "a stamp refused for want of the OpenSSL plug-in changed the file"
BUILDINFO="$WORK/lonely/buildinfo" expect_failure 2 "^buildinfo: cannot load the plug-in buildinfo-openssl.so .*reinstall buildinfo" \
  verify "$WORK/lonely-app" --key "$WORK/lonely-key.pub"
needed=$(readelf -dW "$BUILDINFO" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
case "$needed" in
  *libcrypto* | *libssl* | *libgit2* | *LIEF*) fail "the executable links a plug-in's library: $needed" ;;
esac

# Re-check: a good stamp of the same slot file works and keeps the mode.
chmod 751 "$WORK/slot-elf"
"$BUILDINFO" stamp "$WORK/slot-elf" --no-sign --source-dir "$WORK" -q
[ "$(stat -c %a "$WORK/slot-elf")" = 751 ] || fail "stamp did not keep the file mode"
"$BUILDINFO" inspect "$WORK/slot-elf" --json > "$WORK/ok.json" || fail "inspect of stamped file failed"
echo "ok"
