# verify --json for scripts: a schema version, per check the expected and
# actual values as fields, full key ids (64 hex) everywhere, and the verified
# record per slot, which is the record inspect shows.
source "$SOURCE_ROOT/tests/e2e/common.sh"

make_repo "$WORK/repo"
revision=$(git -C "$WORK/repo" rev-parse HEAD)
make_keys
ed_pub="$WORK/keys/ed25519.pub"
ec_pub="$WORK/keys/ecdsa-p256.pub"
ed_id=$(cat "$WORK/keys/ed25519.id")
ec_id=$(cat "$WORK/keys/ecdsa-p256.id")
[[ "$ed_id" =~ ^[0-9a-f]{64}$ && "$ec_id" =~ ^[0-9a-f]{64}$ ]] || fail "keygen ids are not 64 hex: $ed_id $ec_id"
cat > "$WORK/main.c" <<'C'
#include "buildinfo/slot_layout.h"
BUILDINFO_DEFINE_SLOT(1024);
int main(void) { return 0; }
C
cc -I"$SOURCE_ROOT/lib/include" -o "$WORK/app" "$WORK/main.c"
cp "$WORK/app" "$WORK/unsigned"
"$BUILDINFO" stamp "$WORK/app" --key "$WORK/keys/ed25519.key" --source-dir "$WORK/repo" -q
"$BUILDINFO" stamp "$WORK/unsigned" --no-sign --source-dir "$WORK/repo" -q
"$BUILDINFO" inspect "$WORK/app" --json --no-describe > "$WORK/inspect.json"
digest=$(jq -r '.record["image.sha256"]' "$WORK/inspect.json")

# Runs verify --json with the remaining arguments, checks exit code $1 and
# that the output is one line per file; the lines are in $WORK/out.jsonl.
verify_json() {
  local code=$1 rc=0
  shift
  "$BUILDINFO" verify --json "$@" > "$WORK/out.jsonl" 2> "$WORK/err.txt" || rc=$?
  [ "$rc" = "$code" ] || fail "verify --json $*: exit $rc, expected $code: $(cat "$WORK/out.jsonl" "$WORK/err.txt")"
}

# Checks jq filter $1 (given the keys and values as variables) on every line.
expect_json() {
  jq -e --arg ed "$ed_id" --arg ec "$ec_id" --arg rev "$revision" --arg digest "$digest" --arg ed_pub "$ed_pub" \
    --slurpfile inspected "$WORK/inspect.json" "$1" "$WORK/out.jsonl" > /dev/null \
    || fail "${2:-verify --json}: '$1' does not hold for $(cat "$WORK/out.jsonl")"
}

# Every policy passing: expected and actual side by side, full ids, the record.
verify_json 0 "$WORK/app" --key "$ec_pub" --key "$ed_pub" --expect-revision "${revision:0:8}" --require-clean \
  --expect-os linux --expect-arch amd64
[ "$(wc -l < "$WORK/out.jsonl")" = 1 ] || fail "one file, not one line"
expect_json '.schema == "buildinfo.verify/1" and .result == "verified" and .exit_code == 0 and (.slots | length) == 1'
expect_json '.slots[0] | .signature_algorithm == "ed25519" and .key_id == $ed and .key_file == $ed_pub'
expect_json '.slots[0].record == $inspected[0].record' "the verified record is not inspect's record"
expect_json '[.slots[0].checks[].check] == ["signature", "slot", "canonical", "image", "revision", "clean", "os", "arch"]'
expect_json '.slots[0].checks[] | select(.check == "slot") | .ok and .expected == 0 and .actual == 0'
expect_json '.slots[0].checks[] | select(.check == "signature") | .ok and .expected == [$ec, $ed] and .actual == $ed
  and (.detail | contains($ed))'
expect_json '.slots[0].checks[] | select(.check == "image") | .ok and .expected == $digest and .actual == $digest'
expect_json '.slots[0].checks[] | select(.check == "revision") | .ok and .expected == $rev[0:8] and .actual == $rev'
expect_json '.slots[0].checks[] | select(.check == "clean") | .ok and .expected == "false" and .actual == "false"'
expect_json '.slots[0].checks[] | select(.check == "os") | .ok and .expected == "linux" and .actual == "linux"'
expect_json '.slots[0].checks[] | select(.check == "arch") | .ok and .expected == "amd64" and .actual == "amd64"'
# No key id is shortened anywhere: each hex run that starts a key id is whole.
expect_json '[.. | strings | scan("[0-9a-f]{16,}") | select(. != $ed and . != $ec and . != $rev and . != $digest)] == []' \
  "a shortened id"

# Policies failing: the values that differ are both there.
verify_json 1 "$WORK/app" --key "$ed_pub" --expect-revision 0123abcd --expect-os windows --expect-arch arm64
expect_json '.result == "failed" and .exit_code == 1'
expect_json '.slots[0].checks[] | select(.check == "revision") | (.ok | not) and .expected == "0123abcd" and .actual == $rev'
expect_json '.slots[0].checks[] | select(.check == "os") | (.ok | not) and .expected == "windows" and .actual == "linux"'
expect_json '.slots[0].checks[] | select(.check == "arch") | (.ok | not) and .expected == "arm64" and .actual == "amd64"'

# A key that is not in the keyring: the stamp's id is the actual value, and
# the record, whose signature did not verify, is not given.
verify_json 1 "$WORK/app" --key "$ec_pub"
expect_json '.slots[0] | .record == null and .key_id == $ed and (has("key_file") | not) and (.checks | length) == 1'
expect_json '.slots[0].checks[0] | .check == "signature" and (.ok | not) and .expected == [$ec] and .actual == $ed
  and (.detail | contains($ed))'
verify_json 1 "$WORK/app"
expect_json '.slots[0].checks[0] | .expected == [] and .actual == $ed'

# Unsigned: no key id; the record is given once --allow-unsigned accepts it.
verify_json 1 "$WORK/unsigned" --key "$ed_pub"
expect_json '.slots[0] | .signature_algorithm == "none" and (has("key_id") | not) and .record == null
  and .checks[0].actual == null and .checks[0].expected == [$ed]'
verify_json 0 "$WORK/unsigned" --allow-unsigned
expect_json '.slots[0] | .record["vcs.revision"] == $rev and .checks[0].ok and .checks[0].actual == null'

# A code byte flipped: the recorded and the computed digests differ.
cp "$WORK/app" "$WORK/tampered"
flip_byte "$WORK/tampered" $(( $(elf_section_offset "$WORK/app" .text) + 16 ))
verify_json 1 "$WORK/tampered" --key "$ed_pub"
expect_json '.slots[0].checks[] | select(.check == "image") | (.ok | not) and .expected == $digest
  and (.actual | test("^[0-9a-f]{64}$")) and .actual != $digest'

# A record without git facts: the missing values are null, and said so.
# (The work tree lies inside this repository, so the stamp runs from a
# directory outside any.)
outside=$(mktemp -d)
trap 'rm -rf "$outside"' EXIT
mkdir -p "$WORK/nogit"
cc -I"$SOURCE_ROOT/lib/include" -o "$WORK/nogit/app" "$WORK/main.c"
"$BUILDINFO" stamp "$WORK/nogit/app" --no-sign --source-dir "$outside" -q 2> /dev/null || fail "stamp without git facts failed"
verify_json 1 "$WORK/nogit/app" --allow-unsigned --require-clean --expect-revision "$revision"
expect_json '.slots[0].checks[] | select(.check == "clean") | (.ok | not) and .actual == null
  and (.detail | test("no vcs.modified"))'
expect_json '.slots[0].checks[] | select(.check == "revision") | (.ok | not) and .actual == null'

# Files that do not verify still print their line, with the schema, an error
# and no slots; the error is also the one line on stderr.
cc -o "$WORK/noslot" -x c - <<< 'int main(void) { return 0; }'
verify_json 3 "$WORK/noslot" "$WORK/missing" "$WORK/app" --key "$ed_pub"
[ "$(jq -r '"\(.result) \(.exit_code)"' "$WORK/out.jsonl" | tr '\n' ,)" = "no_record 3,error 2,verified 0," ] \
  || fail "results of three files: $(cat "$WORK/out.jsonl")"
expect_json '.schema == "buildinfo.verify/1" and (.result == "verified" or (.slots == [] and (.error | length) > 0))'
[ "$(grep -c '^buildinfo: ' "$WORK/err.txt")" = 2 ] || fail "stderr lacks one line per failing file: $(cat "$WORK/err.txt")"

# The text view gives full key ids too.
"$BUILDINFO" verify "$WORK/app" --key "$ed_pub" > "$WORK/out.txt"
grep -qE "^  ok    signature ed25519, key $ed_id \(" "$WORK/out.txt" || fail "text view: $(cat "$WORK/out.txt")"
echo ok
