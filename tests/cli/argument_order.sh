# Arguments in any order: options before, between and after the positionals
# give the same result, and a repeatable option takes exactly one value per
# occurrence, so it never swallows a positional.
source "$SOURCE_ROOT/tests/e2e/common.sh"

make_repo "$WORK/repo"
make_keys
ed_key="$WORK/keys/ed25519.key"
ed_pub="$WORK/keys/ed25519.pub"
ec_pub="$WORK/keys/ecdsa-p256.pub"
cat > "$WORK/main.c" <<'C'
#include "buildinfo/slot_layout.h"
BUILDINFO_DEFINE_SLOT(1024);
int main(void) { return 0; }
C
cc -I"$SOURCE_ROOT/lib/include" -o "$WORK/app" "$WORK/main.c"
cp "$WORK/app" "$WORK/app2"

# Runs buildinfo with the remaining arguments and checks exit code $1; the
# output is in $WORK/out.txt and $WORK/err.txt.
run() {
  local code=$1 rc=0
  shift
  "$BUILDINFO" "$@" > "$WORK/out.txt" 2> "$WORK/err.txt" || rc=$?
  [ "$rc" = "$code" ] || fail "buildinfo $*: exit $rc, expected $code: $(cat "$WORK/out.txt" "$WORK/err.txt")"
}

# The repeatable options of every subcommand, as --help shows them (" ...").
# Each one is exercised below; a new one must be added here and tested.
repeatable=$(for command in stamp inspect verify keygen vcs-state; do
  "$BUILDINFO" "$command" --help | awk -v c="$command" '/^ +-/ && index($0, " ...") { print c, $1 }'
done | tr '\n' ',')
[ "$repeatable" = "stamp --set,stamp --dep,verify --key,verify --require-dep,verify --deny-dep," ] \
  || fail "repeatable options are '$repeatable': test the new one here"

# stamp: --set before the binary, between other options, several times.
run 0 stamp --set a=b "$WORK/app" --no-sign --source-dir "$WORK/repo" -q
"$BUILDINFO" inspect "$WORK/app" --json --no-describe > "$WORK/app.json"
expect_record "$WORK/app.json" custom.a b
run 0 stamp --set a=1 --set b=2 "$WORK/app" --set c=3 --source-dir "$WORK/repo" --no-sign -q
"$BUILDINFO" inspect "$WORK/app" --json --no-describe > "$WORK/app.json"
for kv in a=1 b=2 c=3; do expect_record "$WORK/app.json" "custom.${kv%=*}" "${kv#*=}"; done
# One value per --set: a second word is a second positional, which stamp refuses.
run 2 stamp "$WORK/app" --set a=1 b=2 --no-sign --source-dir "$WORK/repo"
grep -q "not expected: b=2" "$WORK/err.txt" || fail "stamp --set took two values: $(cat "$WORK/err.txt")"

# stamp --dep: the same, into a binary with a dependency space.
cat > "$WORK/deps.c" <<'C'
#include "buildinfo/slot_layout.h"
BUILDINFO_DEFINE_DEPENDENCIES(512);
BUILDINFO_DEFINE_SLOT(1024);
int main(void) { return 0; }
C
cc -I"$SOURCE_ROOT/lib/include" -o "$WORK/deps" "$WORK/deps.c"
run 0 stamp --dep a=1 "$WORK/deps" --dep b=2 --no-sign --source-dir "$WORK/repo" -q
[ "$("$BUILDINFO" inspect "$WORK/deps" --json --no-describe | jq -c '[.dependencies[].name]')" = '["a","b"]' ] \
  || fail "stamp --dep before and after the binary did not record both"
run 2 stamp "$WORK/deps" --dep a=1 b=2 --no-sign --source-dir "$WORK/repo"
grep -q "not expected: b=2" "$WORK/err.txt" || fail "stamp --dep took two values: $(cat "$WORK/err.txt")"

# verify: --key before the binary, flags after it.
run 0 stamp "$WORK/app" --key "$ed_key" --source-dir "$WORK/repo" -q
run 0 stamp --source-dir "$WORK/repo" -q --key "$ed_key" "$WORK/app2"
run 0 verify --key "$ed_pub" "$WORK/app" --require-clean
grep -qx "$WORK/app: verified" "$WORK/out.txt" || fail "verify --key PUB app --require-clean: $(cat "$WORK/out.txt")"
grep -q "ok    clean" "$WORK/out.txt" || fail "--require-clean after the binary was not applied"
# A keyring of two, binaries between the keys, in argument order.
run 0 verify --key "$ec_pub" "$WORK/app" --key "$ed_pub" "$WORK/app2" --expect-os linux
[ "$(grep -c ': verified$' "$WORK/out.txt")" = 2 ] || fail "verify between keys: $(cat "$WORK/out.txt")"
[ "$(grep -oE "^$WORK/app2?:" "$WORK/out.txt" | tr '\n' ' ')" = "$WORK/app: $WORK/app2: " ] \
  || fail "verify did not report in argument order: $(cat "$WORK/out.txt")"
# --require-dep and --deny-dep: before and after the binary, one value each.
run 0 verify --require-dep a "$WORK/deps" --deny-dep 'b<2' --allow-unsigned
[ "$(grep -c 'ok    \(require\|deny\)-dep' "$WORK/out.txt")" = 2 ] || fail "verify --require-dep/--deny-dep: $(cat "$WORK/out.txt")"
run 2 verify --require-dep a "b>=1" "$WORK/deps" --allow-unsigned
grep -q "b>=1" "$WORK/err.txt" || fail "--require-dep took two values: $(cat "$WORK/err.txt")"
# --key takes one value: the word after the key file is a binary to verify.
run 2 verify --key "$ed_pub" "$ec_pub" --json
[ "$(jq -r .file "$WORK/out.txt")" = "$ec_pub" ] || fail "the word after --key PUB was not a binary: $(cat "$WORK/out.txt")"
run 2 verify --key "$ed_pub"
grep -qx "buildinfo: verify: BINARY is required (see buildinfo verify --help)" "$WORK/err.txt" \
  || fail "verify without a binary: $(cat "$WORK/err.txt")"

# keygen and vcs-state: options in either order.
run 0 keygen --alg ecdsa-p256 --out "$WORK/k1"
run 0 keygen --out "$WORK/k2" --alg ecdsa-p256
[ -f "$WORK/k1.pub" ] && [ -f "$WORK/k2.pub" ] || fail "keygen did not write both keys"
run 0 vcs-state --output "$WORK/s1" --source-dir "$WORK/repo"
run 0 vcs-state --source-dir "$WORK/repo" --output "$WORK/s2"
cmp -s "$WORK/s1" "$WORK/s2" || fail "vcs-state depends on the order of its options"
echo ok
