# FORMAT.md's test vector cannot drift from the tool: the slot is made again
# by the code that stamp runs ($FORMAT_VECTOR_TOOL, tests/tools/
# format_vector_tool.cc), from the key in tests/testdata/format-vector and
# the payload FORMAT.md shows, and its hex dump, the table of its fields,
# the key's numbers and the sizes of the signed message must be FORMAT.md's.
# Then FORMAT.md's own commands are run: openssl alone verifies the
# signature and gives the key id; written into the 256-byte slot of a
# program, the record is what inspect shows, verify passes its signature and
# slot checks (and fails image: the vector has no image.sha256), and the
# DSSE hand check of "The signature" verifies it, and an ECDSA P-256 stamp.
source "$SOURCE_ROOT/tests/e2e/common.sh"

: "${FORMAT_VECTOR_TOOL:?set FORMAT_VECTOR_TOOL to tests/format_vector_tool}"
require_tools openssl python3
keys="$SOURCE_ROOT/tests/testdata/format-vector"
cp "$keys/ed25519-test-only.key" "$keys/ed25519-test-only.pub" "$WORK/"
chmod 600 "$WORK/ed25519-test-only.key"  # the tool warns about a key others can read
cd "$WORK"

# ---- The vector, made again ----
# The payload as FORMAT.md shows it (one line: without its line end).
format_block payload > payload.txt
tr -d '\n' < payload.txt > payload.doc
"$FORMAT_VECTOR_TOOL" ed25519-test-only.key 256 payload.doc > slot.bin || fail "format_vector_tool failed"
[ "$(stat -c %s slot.bin)" = 256 ] || fail "the slot made now has $(stat -c %s slot.bin) bytes, not 256"
od -A x -t x1z -v slot.bin > slot.od
format_block slot > slot.doc
diff -u slot.doc slot.od > slot.diff || fail "FORMAT.md's hex dump differs from the slot made now: $(cat slot.diff)"
# The payload FORMAT.md shows is already canonical: it is the slot's bytes.
payload_length=$(od -An -tu4 -j16 -N4 slot.bin | tr -d ' ')
[ "$(stat -c %s payload.doc)" = "$payload_length" ] && cmp -s payload.doc <(tail -c +65 slot.bin | head -c "$payload_length") \
  || fail "FORMAT.md's payload is not the canonical payload in the slot"
echo "ok: the slot made now is FORMAT.md's hex dump"

# The key's numbers: the secret and public keys of RFC 8032 TEST 1, as
# openssl reads the PEM files, and the key id.
hex() { od -An -tx1 -v | tr -d ' \n'; }
secret=$(openssl pkey -in ed25519-test-only.key -outform DER | tail -c 32 | hex)
public=$(openssl pkey -pubin -in ed25519-test-only.pub -outform DER | tail -c 32 | hex)
key_id=$(openssl pkey -pubin -in ed25519-test-only.pub -outform DER | sha256sum | cut -d' ' -f1)
format_block key > key.doc
printf 'secret key  %s\npublic key  %s\nkey_id      %s\n' "$secret" "$public" "$key_id" > key.now
diff -u key.doc key.now > key.diff || fail "FORMAT.md's key numbers differ from the key files: $(cat key.diff)"
[ "$secret" = 9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60 ] \
  || fail "the test key is not the secret key of RFC 8032, TEST 1"
[ "$(head -c 56 slot.bin | tail -c 32 | hex)" = "$key_id" ] || fail "the slot's key_id is not the key's id"
openssl pkey -pubin -in ed25519-test-only.pub -outform DER -out public.der
head -c 12 public.der | hex | matches -x 302a300506032b6570032100 \
  || fail "the DER SubjectPublicKeyInfo does not start as FORMAT.md says"

# The signed message: its sizes as FORMAT.md gives them.
type=application/vnd.buildinfo.v1+json
prefix="DSSEv1 ${#type} $type $payload_length "
grep -qF "\`DSSEv1 ${#type}" "$SOURCE_ROOT/FORMAT.md" && grep -qF "$type $payload_length \` followed by the payload" "$SOURCE_ROOT/FORMAT.md" \
  && grep -qF "(${#prefix} + $payload_length =" "$SOURCE_ROOT/FORMAT.md" \
  && grep -qF "$(( ${#prefix} + payload_length )) bytes)" "$SOURCE_ROOT/FORMAT.md" \
  || fail "FORMAT.md does not give the signed message as '$prefix' and ${#prefix} + $payload_length bytes"

# The table: each row's offset and size, its bytes (the first and last
# ones where it elides the middle) and its numeric value.
format_lines table > table.doc
python3 - slot.bin table.doc <<'PY' || fail "FORMAT.md's table of the vector's fields differs from the slot"
import sys
slot = open(sys.argv[1], "rb").read()
rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in open(sys.argv[2])]
rows = [r for r in rows if r[0].startswith("0x")]
expected_fields = ["magic", "version", "header_size", "capacity", "payload_length", "signature_algorithm",
                   "signature_length", "key_id", "flags", "reserved", "payload", "signature", "padding"]
ok = [r[2] for r in rows] == expected_fields
if not ok:
    print("fields:", [r[2] for r in rows], file=sys.stderr)
at = 0
for offset, size, field, shown, value in rows:
    offset, size = int(offset, 16), int(size)
    part = slot[offset:offset + size]
    tokens = shown.strip("`").split()
    if offset != at or len(part) != size:
        print(f"{field}: at {offset:#x} size {size}, the row before ended at {at:#x}", file=sys.stderr)
        ok = False
    at = offset + size
    if "…" in tokens:
        head, tail = tokens[:tokens.index("…")], tokens[tokens.index("…") + 1:]
        good = part[:len(head)].hex(" ") == " ".join(head) and part[size - len(tail):].hex(" ") == " ".join(tail)
        if set(head + tail) == {"00"}:
            good = good and part == bytes(size)
    else:
        good = part.hex(" ") == " ".join(tokens)
    number = value.split(",")[0]
    if size <= 4 and number.isdigit():
        good = good and int.from_bytes(part, "little") == int(number)
    if not good:
        print(f"{field}: the slot holds {part.hex(' ')}, FORMAT.md says {shown} ({value})", file=sys.stderr)
        ok = False
if at != len(slot):
    print(f"the rows end at {at:#x}, the slot at {len(slot):#x}", file=sys.stderr)
    ok = False
sys.exit(0 if ok else 1)
PY
echo "ok: FORMAT.md's key, signed message and table match the slot"

# ---- FORMAT.md's commands ----
# openssl alone, on the 256 bytes of FORMAT.md's dump (in a directory of
# their own): the signature verifies, the key id is the one in the slot.
mkdir openssl
cp slot.doc openssl/slot.txt
cp ed25519-test-only.pub openssl/
format_block openssl > openssl/check.sh
(cd openssl && bash -eo pipefail check.sh) > openssl.out 2>&1 || fail "FORMAT.md's openssl check of the vector fails: $(cat openssl.out)"
cmp -s openssl/slot.bin slot.bin || fail "FORMAT.md's commands do not turn its dump into the slot's bytes"
grep -qx "Signature Verified Successfully" openssl.out || fail "openssl did not verify the vector: $(cat openssl.out)"
grep -qx "$key_id  -" openssl.out || fail "FORMAT.md's key_id command does not print the slot's key id: $(cat openssl.out)"
echo "ok: openssl verifies the vector by FORMAT.md's commands"

# In the 256-byte slot of a program: the record inspect shows, verify's
# checks.
make_repo "$WORK/repo"
cat > vector.c <<'C'
#include "buildinfo/slot_layout.h"
BUILDINFO_DEFINE_SLOT(256);
int main(void) { return buildinfo_slot.slot[0] == 0; }
C
cc -I"$SOURCE_ROOT/lib/include" -o app vector.c || fail "cannot build a program with a 256-byte slot"
"$BUILDINFO" inspect app --json > unstamped.json 2> /dev/null || true  # (exit code 3: not stamped)
slot_offset=$(jq -e '.slots[0] | select(.capacity == 256) | .slot_offset' unstamped.json) \
  || fail "the program has no 256-byte slot: $(cat unstamped.json)"
dd if=slot.bin of=app bs=1 seek="$slot_offset" conv=notrunc status=none
"$BUILDINFO" inspect app --json > app.json
jq -e --slurpfile p <(cat payload.doc) --arg id "$key_id" \
  '.slots[0] | .record == $p[0] and .signature_algorithm == "ed25519" and .key_id == $id and .used == 242' app.json > /dev/null \
  || fail "inspect does not show the vector's record: $(jq -c '.slots[0]' app.json)"
rc=0
"$BUILDINFO" verify app --key ed25519-test-only.pub --json > verify.json || rc=$?
[ "$rc" = 1 ] || fail "verify of the program holding the vector exited $rc, expected 1 (no image.sha256): $(cat verify.json)"
jq -e '.slots[0].checks | any(.[]; .check == "signature") and any(.[]; .check == "slot")
  and any(.[]; .check == "image") and all(.[] | select(.check != "image"); .ok)
  and all(.[] | select(.check == "image"); (.ok | not) and .detail == "the record has no image.sha256")' \
  verify.json > /dev/null \
  || fail "verify's checks of the vector are not: all ok (signature and slot among them) but image: $(cat verify.json)"
echo "ok: in a program's slot, inspect shows the vector and verify passes its signature and slot checks"

# The DSSE hand check of "The signature", with FORMAT.md's names (app,
# key.pub): for the vector (Ed25519) without the ECDSA line, and for an
# ECDSA P-256 stamp without the Ed25519 line.
format_block dsse > dsse.sh
grep -q '# Ed25519$' dsse.sh && grep -q '# ECDSA P-256$' dsse.sh || fail "FORMAT.md's DSSE check has no Ed25519 and ECDSA lines"
mkdir -p bin dsse-ed25519 dsse-ecdsa
ln -sf "$BUILDINFO" bin/buildinfo
cp app dsse-ed25519/app
cp ed25519-test-only.pub dsse-ed25519/key.pub
make_keys
sed 's/BUILDINFO_DEFINE_SLOT(256)/BUILDINFO_DEFINE_SLOT(BUILDINFO_DEFAULT_CAPACITY)/' vector.c > default.c
cc -I"$SOURCE_ROOT/lib/include" -o dsse-ecdsa/app default.c || fail "cannot build a program with a default slot"
"$BUILDINFO" stamp dsse-ecdsa/app --key "$WORK/keys/ecdsa-p256.key" --source-dir "$WORK/repo" -q
cp "$WORK/keys/ecdsa-p256.pub" dsse-ecdsa/key.pub
for alg in ed25519 ecdsa; do
  other='# ECDSA P-256$'
  [ "$alg" = ecdsa ] && other='# Ed25519$'
  grep -v "$other" dsse.sh > "dsse-$alg/check.sh"
  (cd "dsse-$alg" && PATH="$WORK/bin:$PATH" bash -eo pipefail check.sh) > "dsse-$alg.out" 2>&1 \
    || fail "FORMAT.md's DSSE check fails for $alg: $(cat "dsse-$alg.out")"
  grep -qx "Signature Verified Successfully\|Verified OK" "dsse-$alg.out" \
    || fail "FORMAT.md's DSSE check did not verify the $alg signature: $(cat "dsse-$alg.out")"
done
echo "ok: FORMAT.md's DSSE check verifies the vector and an ECDSA P-256 stamp"
echo ok
