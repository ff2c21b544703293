# Nothing raw reaches the terminal: record values, file names, a source
# directory, a key file name and a PE section name holding ESC, BEL, CR and
# LF. The text output and the error and warning lines of inspect, verify,
# stamp and restamp carry no byte below 0x20 but the newline that ends a
# line, and no 0x7f; each message stays one line; the bytes are shown as
# \x1b, \x07, \x0d, \x0a. --json output is ASCII and keeps the values.
source "$SOURCE_ROOT/tests/e2e/common.sh"

make_repo "$WORK/repo"
make_keys
include="-I$SOURCE_ROOT/lib/include"
ctl=$(printf 'a\033]0;title\007b\rc\nd\033[2J\177e')
shown='a\x1b]0;title\x07b\x0dc\x0ad\x1b[2J\x7fe'

# Fails unless file $1 has only bytes of 0x20 and above (but 0x7f) and
# newlines, and is UTF-8; $2 names what it is.
expect_clean() {
  ! LC_ALL=C grep -qP '[\x00-\x09\x0b-\x1f\x7f]' "$1" || fail "$2: a raw control byte: $(cat -v "$1" | head -20)"
  iconv -f UTF-8 -t UTF-8 "$1" > /dev/null 2>&1 || fail "$2: bytes that are not UTF-8"
}

# Whether file $1 has a line of two words, $2 and $3 (taken literally).
has_line() {
  KEY=$2 VALUE=$3 awk '$1 == ENVIRON["KEY"] && $2 == ENVIRON["VALUE"] && NF == 2 { found = 1 } END { exit !found }' "$1"
}

# Runs buildinfo with the remaining arguments, expects exit code $1, and
# checks stdout and stderr; stderr must have at most one line that is not a
# warning.
run() {
  local code=$1 rc=0
  shift
  local what
  what="buildinfo $(printf '%q ' "$@")"  # the test's own messages stay printable too
  "$BUILDINFO" "$@" > "$WORK/out.txt" 2> "$WORK/err.txt" || rc=$?
  [ "$rc" = "$code" ] || fail "$what: exit $rc, expected $code: $(cat -v "$WORK/out.txt" "$WORK/err.txt")"
  expect_clean "$WORK/out.txt" "$what (stdout)"
  expect_clean "$WORK/err.txt" "$what (stderr)"
  [ "$(grep -vc '^buildinfo: warning: ' "$WORK/err.txt")" -le 1 ] \
    || fail "$what: more than one error line: $(cat -v "$WORK/err.txt")"
}

cat > "$WORK/main.c" <<'C'
#include "buildinfo/slot_layout.h"
BUILDINFO_DEFINE_SLOT(2048);
int main(void) { return 0; }
C
cc $include -o "$WORK/app" "$WORK/main.c"

# ---- A record value ----
run 0 stamp "$WORK/app" --key "$WORK/keys/ed25519.key" --source-dir "$WORK/repo" --set "ctl=$ctl"
run 0 inspect "$WORK/app"
[ "$(grep -c 'custom.ctl' "$WORK/out.txt")" = 1 ] && has_line "$WORK/out.txt" custom.ctl "$shown" \
  || fail "inspect: the value is not one escaped line: $(grep -A2 custom.ctl "$WORK/out.txt" | cat -v)"
run 0 inspect "$WORK/app" --json
! LC_ALL=C grep -qP '[^\x20-\x7e]' "$WORK/out.txt" || fail "inspect --json is not ASCII"
[ "$(jq -r '.record["custom.ctl"]' "$WORK/out.txt")" = "$ctl" ] || fail "inspect --json does not keep the value"
run 0 verify "$WORK/app" --key "$WORK/keys/ed25519.pub"

# A record whose checked values hold the bytes: written into the slot by
# hand (unsigned), so that verify's check lines quote them.
python3 - "$WORK/app" "$WORK/app-crafted" "$ctl" <<'PY'
import json, struct, sys
src, dst, ctl = sys.argv[1:4]
data = bytearray(open(src, "rb").read())
at = data.find(b"BLDINFO\0")
assert at > 0
capacity = struct.unpack_from("<I", data, at + 12)[0]
payload = json.dumps({"format": "1", "image.sha256": ctl, "target.os": ctl, "vcs.revision": ctl,
                      "vcs.modified": ctl}, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
slot = bytearray(capacity)
slot[0:8] = b"BLDINFO\0"
struct.pack_into("<HHII", slot, 8, 1, 64, capacity, len(payload))
slot[64:64 + len(payload)] = payload
data[at:at + capacity] = slot
open(dst, "wb").write(data)
PY
run 1 verify "$WORK/app-crafted" --allow-unsigned --expect-revision abcd --expect-os linux --require-clean
for check in image revision clean os; do
  [ "$(grep -c "^  FAIL  $check" "$WORK/out.txt")" = 1 ] && grep "^  FAIL  $check" "$WORK/out.txt" | matches -F "$shown" \
    || fail "verify: the $check line does not show the value escaped: $(cat "$WORK/out.txt")"
done
run 1 verify "$WORK/app-crafted" --allow-unsigned --expect-os linux --json
! LC_ALL=C grep -qP '[^\x20-\x7e]' "$WORK/out.txt" || fail "verify --json is not ASCII"
run 0 inspect "$WORK/app-crafted"
has_line "$WORK/out.txt" target.os "$shown" || fail "inspect: target.os is not escaped: $(cat -v "$WORK/out.txt")"

# ---- File names, a source directory and a key file name ----
named="$WORK/app-$ctl"
cp "$WORK/app" "$named"
run 0 stamp "$named" --no-sign --source-dir "$WORK/repo"
grep -qF "stamped $WORK/app-$shown (.note.buildinfo, amd64)" "$WORK/out.txt" || fail "stamp: $(cat -v "$WORK/out.txt")"
nogit=$(mktemp -d "/tmp/buildinfo-no-git.XXXXXX")
mkdir "$nogit/dir-$ctl"
run 0 stamp "$named" --no-sign --source-dir "$nogit/dir-$ctl" -q
grep -qF "buildinfo: warning: no git repository at or above '$nogit/dir-$shown'" "$WORK/err.txt" \
  || fail "stamp: the warning does not show the directory escaped: $(cat -v "$WORK/err.txt")"
rm -rf "$nogit"
cp "$WORK/keys/ed25519.key" "$WORK/key-$ctl"
chmod 644 "$WORK/key-$ctl"
run 0 stamp "$named" --key "$WORK/key-$ctl" --source-dir "$WORK/repo" -q
grep -qF "buildinfo: warning: $WORK/key-$shown: private key is readable by group or others" "$WORK/err.txt" \
  || fail "stamp: the key warning does not show the name escaped: $(cat -v "$WORK/err.txt")"
run 0 inspect "$named"
grep -qF "$WORK/app-$shown: elf, linux/amd64" "$WORK/out.txt" || fail "inspect: $(head -1 "$WORK/out.txt" | cat -v)"
run 0 inspect "$named" "$WORK/app"
grep -qxF "==> $WORK/app-$shown <==" "$WORK/out.txt" || fail "inspect: the file header is not escaped"
run 0 verify "$named" --key "$WORK/keys/ed25519.pub"
grep -qxF "$WORK/app-$shown: verified" "$WORK/out.txt" || fail "verify: $(head -1 "$WORK/out.txt" | cat -v)"
run 1 verify "$named" --allow-unsigned --expect-revision abcd
run 0 restamp "$named" --key "$WORK/keys/ed25519.key"
grep -qxF "$WORK/app-$shown: records already bound to the file as it is" "$WORK/out.txt" \
  || fail "restamp: $(cat -v "$WORK/out.txt")"
cp "$WORK/app" "$WORK/unstamped-$ctl"
cc $include -o "$WORK/unstamped-$ctl" "$WORK/main.c"
run 3 inspect "$WORK/unstamped-$ctl"
grep -qxF "buildinfo: $WORK/unstamped-$shown: the slot is present but not stamped; run \`buildinfo stamp $WORK/unstamped-$shown\`" \
  "$WORK/err.txt" || fail "inspect: the error line: $(cat -v "$WORK/err.txt")"
run 2 inspect "$WORK/missing-$ctl"
run 2 verify "$WORK/missing-$ctl" --allow-unsigned
run 2 stamp "$WORK/missing-$ctl" --no-sign
grep -qF "buildinfo: $WORK/missing-$shown: cannot open" "$WORK/err.txt" || fail "stamp: $(cat -v "$WORK/err.txt")"
run 2 keygen --out "$WORK/no-such-dir/key-$ctl"

# ---- A PE section name ----
require_tools mingw-gcc
"$MINGW_GCC" $include -o "$WORK/app.exe" "$WORK/main.c" || fail "$MINGW_TRIPLE-gcc failed"
# Renames .rdata to ESC BEL CR LF "nam"; the damaged copy also points the
# section's raw data past the end of the file, so the error quotes the name.
python3 - "$WORK/app.exe" <<'PY'
import struct, sys
path = sys.argv[1]
data = bytearray(open(path, "rb").read())
pe = struct.unpack_from("<I", data, 0x3C)[0]
count, = struct.unpack_from("<H", data, pe + 6)
optional_size, = struct.unpack_from("<H", data, pe + 20)
table = pe + 24 + optional_size
for i in range(count):
    at = table + 40 * i
    if data[at:at + 8].rstrip(b"\0") == b".rdata":
        break
else:
    sys.exit("no .rdata section")
data[at:at + 8] = b"\x1b\x07\r\nnam\0"
open(path + ".renamed", "wb").write(data)
struct.pack_into("<I", data, at + 20, 0x7FFFFF00)
open(path + ".damaged", "wb").write(data)
PY
pe_shown='\x1b\x07\x0d\x0anam'
run 0 stamp "$WORK/app.exe.renamed" --no-sign --source-dir "$WORK/repo"
run 0 inspect "$WORK/app.exe.renamed"
grep -qE "^    $(printf '%s' "$pe_shown" | sed 's/\\/\\\\/g') +offset 0x" "$WORK/out.txt" \
  || fail "inspect: the PE section name is not one escaped line: $(grep -A1 -B1 'nam' "$WORK/out.txt" | cat -v)"
run 0 verify "$WORK/app.exe.renamed" --allow-unsigned
for command in "inspect" "verify --allow-unsigned" "stamp --no-sign --source-dir $WORK/repo"; do
  run 2 $command "$WORK/app.exe.damaged"
  [ "$(wc -l < "$WORK/err.txt")" = 1 ] && grep -qF "buildinfo: $WORK/app.exe.damaged: section $pe_shown (PointerToRawData" \
    "$WORK/err.txt" || fail "$command: the error is not one escaped line: $(cat -v "$WORK/err.txt")"
done
run 2 inspect "$WORK/app.exe.damaged" --json
[ "$(wc -l < "$WORK/out.txt")" = 1 ] && ! LC_ALL=C grep -qP '[^\x20-\x7e]' "$WORK/out.txt" \
  && jq -e '.result == "error" and (.error | contains("section \u001b\u0007\r\nnam"))' "$WORK/out.txt" > /dev/null \
  || fail "inspect --json of the damaged PE: $(cat -v "$WORK/out.txt")"
echo ok
