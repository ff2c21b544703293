# Secrets stay out of binaries and logs: a repository whose origin URL
# carries credentials (user:password@, a token in the query, a fragment)
# yields a stamp without them; the private key (from a file or from the
# environment) never appears in the binary, in stdout or in stderr; an
# encrypted key fails at once without a terminal instead of prompting.
source "$SOURCE_ROOT/tests/e2e/common.sh"

make_repo "$WORK/repo"
git -C "$WORK/repo" remote add origin \
  'https://alice:secret-password@git.example.com/org/app.git?private_token=secret-token#secret-fragment'
make_keys

cat > "$WORK/app.c" <<'C'
#include "buildinfo/slot_layout.h"
BUILDINFO_DEFINE_SLOT(BUILDINFO_DEFAULT_CAPACITY);
int main(void) { return buildinfo_slot.slot[0] == 0; }
C
cc -I"$SOURCE_ROOT/lib/include" -o "$WORK/app" "$WORK/app.c"

# Fails if file $1 contains "secret" or any line of the private key $2's
# base64 body.
expect_no_secret() {
  local file=$1 key=$2 line
  ! grep -aq secret "$file" || fail "$file contains 'secret': $(grep -ao '[^"]*secret[^"]*' "$file" | head -3)"
  while read -r line; do
    case "$line" in -----*) continue ;; esac
    ! grep -aqF "$line" "$file" || fail "$file contains a line of the private key $key"
  done < "$key"
}

for alg in ed25519 ecdsa-p256; do
  cp "$WORK/app" "$WORK/app-$alg"
  "$BUILDINFO" stamp "$WORK/app-$alg" --key "$WORK/keys/$alg.key" --source-dir "$WORK/repo" \
    > "$WORK/stamp-$alg.out" 2> "$WORK/stamp-$alg.err" || fail "stamp with $alg failed: $(cat "$WORK/stamp-$alg.err")"
  "$BUILDINFO" inspect "$WORK/app-$alg" --json > "$WORK/inspect-$alg.json"
  "$BUILDINFO" inspect "$WORK/app-$alg" --dsse > "$WORK/dsse-$alg.json"
  "$BUILDINFO" verify "$WORK/app-$alg" --key "$WORK/keys/$alg.pub" > "$WORK/verify-$alg.out" 2>&1 \
    || fail "verify with $alg failed: $(cat "$WORK/verify-$alg.out")"
  for file in "$WORK/app-$alg" "$WORK/stamp-$alg.out" "$WORK/stamp-$alg.err" "$WORK/inspect-$alg.json" \
    "$WORK/dsse-$alg.json" "$WORK/verify-$alg.out"; do
    expect_no_secret "$file" "$WORK/keys/$alg.key"
  done
  expect_record "$WORK/inspect-$alg.json" vcs.repository.url https://git.example.com/org/app.git
done

# The key from the environment (a CI secret) is no more visible.
cp "$WORK/app" "$WORK/app-env"
BUILDINFO_TEST_KEY=$(cat "$WORK/keys/ed25519.key") \
  "$BUILDINFO" stamp "$WORK/app-env" --key-env BUILDINFO_TEST_KEY --source-dir "$WORK/repo" \
  > "$WORK/stamp-env.out" 2> "$WORK/stamp-env.err" || fail "stamp --key-env failed: $(cat "$WORK/stamp-env.err")"
for file in "$WORK/app-env" "$WORK/stamp-env.out" "$WORK/stamp-env.err"; do
  expect_no_secret "$file" "$WORK/keys/ed25519.key"
done

# A wrong key type in the environment is named, not echoed.
cp "$WORK/app" "$WORK/app-bad-env"
rc=0
BUILDINFO_TEST_KEY="not a key but a secret-value" \
  "$BUILDINFO" stamp "$WORK/app-bad-env" --key-env BUILDINFO_TEST_KEY --source-dir "$WORK/repo" \
  > "$WORK/bad-env.out" 2> "$WORK/bad-env.err" || rc=$?
[ "$rc" = 2 ] || fail "stamp with a malformed --key-env exited $rc, expected 2"
grep -q BUILDINFO_TEST_KEY "$WORK/bad-env.err" || fail "the error does not name the variable: $(cat "$WORK/bad-env.err")"
! grep -q secret "$WORK/bad-env.err" || fail "the error echoes the variable's value: $(cat "$WORK/bad-env.err")"

# An encrypted key, with no terminal (setsid detaches the controlling one):
# a clear error within seconds, not a prompt waiting forever.
openssl genpkey -algorithm ed25519 -aes-256-cbc -pass pass:secret-passphrase -out "$WORK/encrypted.key" 2> /dev/null
cp "$WORK/app" "$WORK/app-encrypted"
rc=0
timeout 20 setsid "$BUILDINFO" stamp "$WORK/app-encrypted" --key "$WORK/encrypted.key" --source-dir "$WORK/repo" \
  < /dev/null > "$WORK/encrypted.out" 2> "$WORK/encrypted.err" || rc=$?
[ "$rc" = 2 ] || fail "stamp with an encrypted key exited $rc, expected 2 (124 means it hung)"
grep -q "encrypted" "$WORK/encrypted.err" || fail "no clear error for an encrypted key: $(cat "$WORK/encrypted.err")"
cmp -s "$WORK/app" "$WORK/app-encrypted" || fail "a refused stamp changed the binary"
echo ok
