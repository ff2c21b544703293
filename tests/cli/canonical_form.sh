# One grammar for the signed payload (FORMAT.md, "The payload"): a payload
# that is JSON of the record's shape but not in canonical form (whitespace,
# keys out of order or repeated, an escape canonical form does not write)
# fails `verify` by its `canonical` check even when its signature verifies,
# is refused by `inspect`, and reads as corrupt in the running program. The
# same payload rewritten canonically, and signed the same way, passes all
# three, so the failures come from the form alone. A payload that is not a
# flat JSON object of strings fails the `structure` check instead.
source "$SOURCE_ROOT/tests/e2e/common.sh"
: "${BUILD_ROOT:?set BUILD_ROOT to the buildinfo build tree}"

make_repo "$WORK/repo"
make_keys
key="$WORK/keys/ed25519.key"
pub="$WORK/keys/ed25519.pub"

cat > "$WORK/main.c" <<'C'
#include <stdio.h>
#include "buildinfo/buildinfo.h"
int main(void) {
  const char* os = buildinfo_get("target.os");
  printf("status=%s os=%s\n", buildinfo_status_text(buildinfo_status()), os ? os : "(none)");
  return 0;
}
C
link_with_runtime "$WORK/app" "$WORK/main.c"
"$BUILDINFO" stamp "$WORK/app" --key "$key" --source-dir "$WORK/repo" -q || fail "stamp failed"
"$BUILDINFO" inspect "$WORK/app" --json --no-describe > "$WORK/record.json" || fail "inspect of the stamp failed"

# Writes into a copy $2 of file $1 a slot whose payload is the stamped record
# in the form $3 names, signed over the DSSE PAE with $key by openssl.
rewrite() {
  python3 - "$1" "$2" "$3" "$WORK/record.json" "$WORK/pae.bin" <<'PY'
import json, struct, sys
src, dst, form, record_file, pae_file = sys.argv[1:6]
record = json.load(open(record_file))["record"]
items = sorted(record.items())
def canonical(pairs):
    return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + json.dumps(v, ensure_ascii=False)
                          for k, v in pairs) + "}"
if form == "canonical":
    text = canonical(items)
elif form == "whitespace":
    text = canonical(items).replace('","', '", "', 1)
elif form == "unsorted":
    text = canonical(items[1:] + items[:1])
elif form == "duplicate":
    # The real target.os, then another: a reader that keeps the last key
    # would read windows.
    at = [k for k, _ in items].index("target.os")
    text = canonical(items[:at + 1] + [("target.os", "windows")] + items[at + 1:])
elif form == "escape":
    text = canonical(items).replace('"linux"', '"\\u006cinux"')
elif form == "not-strings":
    text = canonical(items).replace('"format":"1"', '"format":1')
else:
    raise SystemExit("unknown form " + form)
payload = text.encode()
data = bytearray(open(src, "rb").read())
at = data.find(b"BLDINFO\0")
assert at > 0
capacity, = struct.unpack_from("<I", data, at + 12)
key_id = bytes(data[at + 24:at + 56])
kind = b"application/vnd.buildinfo.v1+json"
open(pae_file, "wb").write(b"DSSEv1 %d %s %d %s" % (len(kind), kind, len(payload), payload))
open(dst + ".payload", "wb").write(payload)
slot = bytearray(capacity)
slot[0:8] = b"BLDINFO\0"
struct.pack_into("<HHIIHH", slot, 8, 1, 64, capacity, len(payload), 1, 64)
slot[24:56] = key_id
slot[64:64 + len(payload)] = payload
data[at:at + capacity] = slot
open(dst, "wb").write(data)
PY
  openssl pkeyutl -sign -inkey "$key" -rawin -in "$WORK/pae.bin" -out "$WORK/sig.bin" || fail "openssl cannot sign"
  [ "$(stat -c %s "$WORK/sig.bin")" = 64 ] || fail "an Ed25519 signature is not 64 bytes"
  local at length
  at=$(grep -obUaP 'BLDINFO\x00' "$2" | awk -F: 'NR == 1 { print $1 }')
  length=$(stat -c %s "$2.payload")
  dd if="$WORK/sig.bin" of="$2" bs=1 seek=$((at + 64 + length)) conv=notrunc status=none
  chmod +x "$2"
}

# The control: the record rewritten canonically and signed by openssl.
rewrite "$WORK/app" "$WORK/app-canonical" canonical
cmp -s "$WORK/app" "$WORK/app-canonical" || fail "the canonical rewrite differs from the stamp the tool wrote"
"$BUILDINFO" verify "$WORK/app-canonical" --key "$pub" > "$WORK/out.txt" || fail "canonical: $(cat "$WORK/out.txt")"
grep -q '^  ok    canonical ' "$WORK/out.txt" || fail "verify names no canonical check: $(cat "$WORK/out.txt")"
[ "$("$WORK/app-canonical")" = "status=ok os=linux" ] || fail "canonical: the program reads $("$WORK/app-canonical")"

for form in whitespace:"whitespace between tokens" unsorted:"(unsorted or repeated)" duplicate:"(unsorted or repeated)" \
  escape:"an escape that canonical form does not write"; do
  name=${form%%:*}
  defect=${form#*:}
  bin="$WORK/app-$name"
  rewrite "$WORK/app" "$bin" "$name"
  rc=0
  "$BUILDINFO" verify "$bin" --key "$pub" > "$WORK/out.txt" 2> "$WORK/err.txt" || rc=$?
  [ "$rc" = 1 ] || fail "$name: verify exited $rc, expected 1: $(cat "$WORK/out.txt" "$WORK/err.txt")"
  grep -qx "$bin: FAILED (canonical)" "$WORK/out.txt" || fail "$name: verify does not name the check: $(cat "$WORK/out.txt")"
  grep -q '^  ok    signature ' "$WORK/out.txt" || fail "$name: the signature should verify: $(cat "$WORK/out.txt")"
  grep -q "^  FAIL  canonical .*$defect at payload offset [0-9]" "$WORK/out.txt" \
    || fail "$name: the canonical check does not name '$defect': $(cat "$WORK/out.txt")"
  ! grep -q '  image ' "$WORK/out.txt" || fail "$name: checks ran past a payload that is not canonical"
  rc=0
  "$BUILDINFO" verify "$bin" --key "$pub" --json > "$WORK/out.json" || rc=$?
  [ "$rc" = 1 ] || fail "$name: verify --json exited $rc"
  jq -e '.result == "failed" and .slots[0].record == null and
         ([.slots[0].checks[] | select(.check == "canonical")][0] | .ok == false and (.actual | type) == "number")' \
    "$WORK/out.json" > /dev/null || fail "$name: verify --json: $(cat "$WORK/out.json")"
  rc=0
  "$BUILDINFO" inspect "$bin" > "$WORK/out.txt" 2> "$WORK/err.txt" || rc=$?
  [ "$rc" = 2 ] || fail "$name: inspect exited $rc, expected 2"
  grep -qx "buildinfo: $bin: .*payload is not in canonical form: .*$defect at payload offset [0-9]*" "$WORK/err.txt" \
    || fail "$name: inspect: $(cat "$WORK/err.txt")"
  [ "$("$bin")" = "status=corrupt record os=(none)" ] || fail "$name: the program reads $("$bin")"
  echo "$name: verify FAILED (canonical), inspect exit 2, the program reads corrupt"
done

# Not a flat object of strings: the structure check, as any unreadable record.
rewrite "$WORK/app" "$WORK/app-not-strings" not-strings
rc=0
"$BUILDINFO" verify "$WORK/app-not-strings" --key "$pub" > "$WORK/out.txt" 2> /dev/null || rc=$?
[ "$rc" = 1 ] || fail "not-strings: verify exited $rc, expected 1"
grep -q "^  FAIL  structure payload is not a flat JSON object of strings: a key or value that is not a string" \
  "$WORK/out.txt" || fail "not-strings: $(cat "$WORK/out.txt")"
[ "$("$WORK/app-not-strings")" = "status=corrupt record os=(none)" ] || fail "not-strings: the program reads $("$WORK/app-not-strings")"
echo "not-strings: verify FAILED (structure), the program reads corrupt"
