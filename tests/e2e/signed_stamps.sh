# Signed stamps and `buildinfo verify` on x86_64 ELF: round trip, tampering
# of each covered part, keys and keyrings, policies, output forms, exit codes
# and reproducible stamps.
source "$SOURCE_ROOT/tests/e2e/common.sh"

make_repo "$WORK/repo"
revision=$(git -C "$WORK/repo" rev-parse HEAD)
make_keys
ed_key="$WORK/keys/ed25519.key"
ed_pub="$WORK/keys/ed25519.pub"
ec_pub="$WORK/keys/ecdsa-p256.pub"

cat > "$WORK/main.c" <<'C'
#include <stdio.h>
#include "buildinfo/slot_layout.h"
BUILDINFO_DEFINE_SLOT(1024);
const char greeting[] = "a string in read-only data";
int main(void) { puts(greeting); return 0; }
C
cc -O2 -I"$SOURCE_ROOT/lib/include" -o "$WORK/app" "$WORK/main.c"

# Runs verify with the remaining arguments; checks exit code $1 and that
# stdout matches pattern $2.
expect_verify() {
  local code=$1 pattern=$2 rc=0
  shift 2
  "$BUILDINFO" verify "$@" > "$WORK/verify.out" 2> "$WORK/verify.err" || rc=$?
  [ "$rc" = "$code" ] || fail "verify $*: exit $rc, expected $code: $(cat "$WORK/verify.out" "$WORK/verify.err")"
  grep -qE "$pattern" "$WORK/verify.out" || fail "verify $*: output does not match '$pattern': $(cat "$WORK/verify.out")"
}

# Round trip with each algorithm (the key id in the header is the keygen id).
for alg in ed25519 ecdsa-p256; do
  "$BUILDINFO" stamp "$WORK/app" --key "$WORK/keys/$alg.key" --source-dir "$WORK/repo" -q
  expect_verify 0 "^$WORK/app: verified$" "$WORK/app" --key "$WORK/keys/$alg.pub"
  "$BUILDINFO" inspect "$WORK/app" --json > "$WORK/inspect.json"
  [ "$(jq -r '.slots[0].key_id' "$WORK/inspect.json")" = "$(cat "$WORK/keys/$alg.id")" ] \
    || fail "$alg: slot key id differs from keygen's"
  [ -n "$(jq -r '.record["image.sha256"] // empty' "$WORK/inspect.json")" ] || fail "no image.sha256 in the record"
done

# Ed25519 from here on.
"$BUILDINFO" stamp "$WORK/app" --key "$ed_key" --source-dir "$WORK/repo" -q
expect_verify 0 "^  ok    signature ed25519" "$WORK/app" --key "$ed_pub"
"$BUILDINFO" inspect "$WORK/app" --json > "$WORK/inspect.json"
slot=$(jq -r '.slots[0].slot_offset' "$WORK/inspect.json")
payload_length=$(( $(jq -r '.slots[0].used' "$WORK/inspect.json") - 64 - 64 ))

# Tampering: each flip makes verify exit 1 and name the failing check.
expect_tamper_detected "$WORK/app" $(( slot + 64 + 20 )) "$ed_pub" signature   # payload
expect_tamper_detected "$WORK/app" $(( slot + 64 + payload_length + 10 )) "$ed_pub" signature
expect_tamper_detected "$WORK/app" $(( $(elf_section_offset "$WORK/app" .text) + 16 )) "$ed_pub" image
expect_tamper_detected "$WORK/app" "$(elf_section_offset "$WORK/app" .rodata)" "$ed_pub" image
# The p_flags of the first program header (e_phoff is 64 in x86_64 ELF).
expect_tamper_detected "$WORK/app" $(( 64 + 4 )) "$ed_pub" image
cp "$WORK/app" "$WORK/payload"
flip_byte "$WORK/payload" $(( slot + 64 + 20 ))
expect_verify 1 "^$WORK/payload: FAILED \(signature\)" "$WORK/payload" --key "$ed_pub"
cp "$WORK/app" "$WORK/code"
flip_byte "$WORK/code" $(( $(elf_section_offset "$WORK/app" .text) + 16 ))

# Keys: a wrong key fails, a keyring with the right key among others passes,
# no key at all fails.
expect_verify 1 "not in the keyring" "$WORK/app" --key "$ec_pub"
expect_verify 0 "verified" "$WORK/app" --key "$ec_pub" --key "$ed_pub"
expect_verify 1 "no --key was given" "$WORK/app"

# Unsigned stamps fail unless allowed.
cp "$WORK/app" "$WORK/unsigned"
"$BUILDINFO" stamp "$WORK/unsigned" --no-sign --source-dir "$WORK/repo" -q
expect_verify 1 "FAIL  signature +the stamp is unsigned" "$WORK/unsigned" --key "$ed_pub"
expect_verify 0 "verified" "$WORK/unsigned" --allow-unsigned

# Policies.
expect_verify 0 "ok    revision" "$WORK/app" --key "$ed_pub" --expect-revision "${revision:0:8}"
expect_verify 0 "ok    revision" "$WORK/app" --key "$ed_pub" --expect-revision HEAD --source-dir "$WORK/repo"
expect_verify 1 "FAIL  revision" "$WORK/app" --key "$ed_pub" --expect-revision 0123456789abcdef
expect_verify 0 "ok    clean" "$WORK/app" --key "$ed_pub" --require-clean
expect_verify 0 "ok    os" "$WORK/app" --key "$ed_pub" --expect-os linux --expect-arch amd64
expect_verify 1 "FAIL  os" "$WORK/app" --key "$ed_pub" --expect-os windows
expect_verify 1 "FAIL  arch" "$WORK/app" --key "$ed_pub" --expect-arch arm64
echo "dirt" >> "$WORK/repo/README"
cp "$WORK/app" "$WORK/dirty"
"$BUILDINFO" stamp "$WORK/dirty" --key "$ed_key" --source-dir "$WORK/repo" -q
git -C "$WORK/repo" checkout -q README
expect_verify 1 "FAIL  clean +vcs.modified is true" "$WORK/dirty" --key "$ed_pub" --require-clean

# Several files: reported in argument order, exit code of the first failure;
# JSON prints one object per file.
cc -o "$WORK/noslot" -x c - <<< 'int main(void){return 0;}'
expect_verify 1 "verified" "$WORK/app" "$WORK/code" "$WORK/noslot" --key "$ed_pub"
[ "$(grep -c ': ' "$WORK/verify.out")" -ge 3 ] || fail "verify did not report every file"
[ "$(grep -oE "^$WORK/[a-z]+" "$WORK/verify.out" | xargs -n1 basename | tr '\n' ' ')" = "app code noslot " ] \
  || fail "verify output is not in argument order: $(cat "$WORK/verify.out")"
expect_verify 3 "not verified \(no record\)" "$WORK/noslot" "$WORK/app" --key "$ed_pub"
expect_verify 2 "unreadable" "$WORK/missing" --key "$ed_pub"
"$BUILDINFO" verify "$WORK/app" "$WORK/code" --key "$ed_pub" --json > "$WORK/verify.jsonl" || true
[ "$(wc -l < "$WORK/verify.jsonl")" = 2 ] || fail "--json did not print one line per file"
[ "$(jq -r .result "$WORK/verify.jsonl" | tr '\n' ' ')" = "verified failed " ] || fail "--json results are wrong"
jq -e 'select(.result == "failed") | .slots[0].checks[] | select(.check == "image" and .ok == false)' \
  "$WORK/verify.jsonl" > /dev/null || fail "--json does not name the failed image check"

# Reproducible: with SOURCE_DATE_EPOCH and Ed25519, two stamps of the same
# input are byte-identical.
cc -O2 -I"$SOURCE_ROOT/lib/include" -o "$WORK/r1" "$WORK/main.c"
cp "$WORK/r1" "$WORK/r2"
"$BUILDINFO" stamp "$WORK/r1" --key "$ed_key" --source-dir "$WORK/repo" --builder-id ci -q
sleep 1
"$BUILDINFO" stamp "$WORK/r2" --key "$ed_key" --source-dir "$WORK/repo" --builder-id ci -q
cmp -s "$WORK/r1" "$WORK/r2" || fail "two stamps with SOURCE_DATE_EPOCH differ"
# --reproducible without SOURCE_DATE_EPOCH takes the commit time.
(unset SOURCE_DATE_EPOCH; "$BUILDINFO" stamp "$WORK/r1" --key "$ed_key" --source-dir "$WORK/repo" --reproducible -q)
"$BUILDINFO" inspect "$WORK/r1" --json | jq -e '.record["build.time"] == .record["vcs.time"]' > /dev/null \
  || fail "--reproducible did not use the commit time"

# Key options: a missing key is an error; --key-env reads the PEM from the environment.
rc=0
"$BUILDINFO" stamp "$WORK/r2" --source-dir "$WORK/repo" 2> "$WORK/err.txt" || rc=$?
[ "$rc" = 2 ] && grep -q "no signing key" "$WORK/err.txt" || fail "stamp without a key did not fail clearly"
BUILDINFO_TEST_KEY=$(cat "$ed_key") "$BUILDINFO" stamp "$WORK/r2" --key-env BUILDINFO_TEST_KEY --source-dir "$WORK/repo" -q
expect_verify 0 verified "$WORK/r2" --key "$ed_pub"

# An external signer (as a KMS or HSM would be): bytes on stdin, signature
# on stdout. OpenSSL 3.0 signs Ed25519 only from a file, hence the temp file.
signer="t=\$(mktemp) && cat > \"\$t\" && openssl pkeyutl -sign -rawin -inkey '$ed_key' -in \"\$t\"; s=\$?; rm -f \"\$t\"; exit \$s"
"$BUILDINFO" stamp "$WORK/r2" --sign-command "$signer" --sign-pubkey "$ed_pub" --source-dir "$WORK/repo" -q
expect_verify 0 "ok    signature ed25519" "$WORK/r2" --key "$ed_pub"
for bad in "false" "openssl pkeyutl -sign -rawin -inkey '$WORK/keys/ecdsa-p256.key'"; do
  before=$(file_hash "$WORK/r2")
  rc=0
  "$BUILDINFO" stamp "$WORK/r2" --sign-command "$bad" --sign-pubkey "$ed_pub" --source-dir "$WORK/repo" 2> "$WORK/err.txt" || rc=$?
  [ "$rc" = 2 ] || fail "a failing signing command ($bad) gave exit $rc, expected 2"
  grep -q "signing command\|signature from the signing command" "$WORK/err.txt" || fail "unclear error: $(cat "$WORK/err.txt")"
  [ "$(file_hash "$WORK/r2")" = "$before" ] || fail "a failed signing command changed the file"
done
echo ok
