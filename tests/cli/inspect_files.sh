# inspect of several files: one JSON line per file whatever its state
# (stamped, not stamped, no slot, unreadable), text blocks with a header per
# file, the exit code of the first file that failed, and --dsse/--otel-env
# refused for more than one file.
source "$SOURCE_ROOT/tests/e2e/common.sh"

make_repo "$WORK/repo"
make_keys
cat > "$WORK/main.c" <<'C'
#include "buildinfo/slot_layout.h"
BUILDINFO_DEFINE_SLOT(1024);
int main(void) { return 0; }
C
cc -I"$SOURCE_ROOT/lib/include" -o "$WORK/unstamped" "$WORK/main.c"
cp "$WORK/unstamped" "$WORK/app"
cp "$WORK/unstamped" "$WORK/app2"
"$BUILDINFO" stamp "$WORK/app" --key "$WORK/keys/ed25519.key" --source-dir "$WORK/repo" -q
"$BUILDINFO" stamp "$WORK/app2" --no-sign --source-dir "$WORK/repo" -q
cc -o "$WORK/noslot" -x c - <<< 'int main(void) { return 0; }'
missing="$WORK/missing"

# Runs inspect with the remaining arguments, checks exit code $1; output in
# $WORK/out.txt and $WORK/err.txt.
inspect() {
  local code=$1 rc=0
  shift
  "$BUILDINFO" inspect "$@" > "$WORK/out.txt" 2> "$WORK/err.txt" || rc=$?
  [ "$rc" = "$code" ] || fail "inspect $*: exit $rc, expected $code: $(cat "$WORK/out.txt" "$WORK/err.txt")"
}

# One file, one line, one object, with the fields scripts already read.
inspect 0 "$WORK/app" --json
[ "$(wc -l < "$WORK/out.txt")" = 1 ] || fail "inspect --json of one file is not one line"
jq -e -s 'length == 1 and (.[0] | .schema == "buildinfo.inspect/1" and .result == "stamped" and .exit_code == 0
  and .stamped == true and .file != null and (.record["vcs.revision"] | length) == 40
  and (.slots | length) == 1 and (.slots[0].key_id | test("^[0-9a-f]{64}$")) and .binary.container == "elf"
  and (has("error") | not))' "$WORK/out.txt" > /dev/null || fail "single-file JSON: $(cat "$WORK/out.txt")"

# Each failing state alone still prints its object (never empty output).
for state in "unstamped not_stamped 3" "noslot no_slot 3" "missing error 2"; do
  set -- $state
  inspect "$3" "$WORK/$1" --json
  jq -e -s --arg result "$2" --arg file "$WORK/$1" --argjson code "$3" \
    'length == 1 and (.[0] | .result == $result and .exit_code == $code and .file == $file and .stamped == false
      and .record == {} and (.slots | type) == "array" and (.error | startswith($file + ": ")))' \
    "$WORK/out.txt" > /dev/null || fail "inspect --json $1: $(cat "$WORK/out.txt")"
  [ "$(wc -l < "$WORK/err.txt")" = 1 ] && grep -q "^buildinfo: $WORK/$1: " "$WORK/err.txt" \
    || fail "inspect --json $1: stderr is not the one error line: $(cat "$WORK/err.txt")"
done
inspect 2 "$missing" --json
jq -e '.binary == null' "$WORK/out.txt" > /dev/null || fail "an unreadable file has a binary description"
inspect 3 "$WORK/noslot" --json
jq -e '.binary.container == "elf" and (.slots | length) == 0' "$WORK/out.txt" > /dev/null \
  || fail "a file without a slot is not described: $(cat "$WORK/out.txt")"
inspect 3 "$WORK/unstamped" --json
jq -e '.slots[0].stamped == false and .slots[0].capacity == 1024' "$WORK/out.txt" > /dev/null \
  || fail "an unstamped slot is not listed: $(cat "$WORK/out.txt")"

# Several files: one line each, in argument order; exit code of the first failure.
inspect 3 "$WORK/app" "$WORK/noslot" "$WORK/unstamped" "$missing" "$WORK/app2" --json --no-describe
[ "$(wc -l < "$WORK/out.txt")" = 5 ] || fail "inspect --json of five files: $(wc -l < "$WORK/out.txt") lines"
[ "$(jq -r .result "$WORK/out.txt" | tr '\n' ' ')" = "stamped no_slot not_stamped error stamped " ] \
  || fail "results of five files: $(jq -r .result "$WORK/out.txt" | tr '\n' ' ')"
[ "$(jq -r '.file | split("/") | last' "$WORK/out.txt" | tr '\n' ' ')" = "app noslot unstamped missing app2 " ] \
  || fail "files are not in argument order"
[ "$(jq -r .exit_code "$WORK/out.txt" | tr '\n' ' ')" = "0 3 3 2 0 " ] || fail "per-file exit codes are wrong"
[ "$(wc -l < "$WORK/err.txt")" = 3 ] || fail "expected one error line per failing file: $(cat "$WORK/err.txt")"
inspect 2 "$missing" "$WORK/noslot" --json --no-describe
inspect 0 "$WORK/app" "$WORK/app2" --json --no-describe
[ "$(jq -r .result "$WORK/out.txt" | tr '\n' ' ')" = "stamped stamped " ] || fail "two stamped files"

# Text: one block per file, each after a header line, in argument order.
inspect 0 "$WORK/app"
! grep -q '^==> ' "$WORK/out.txt" || fail "a single file's text has a header line"
inspect 3 "$WORK/app" "$WORK/noslot" "$WORK/unstamped" --no-describe
[ "$(grep '^==> ' "$WORK/out.txt" | tr '\n' '|')" = "==> $WORK/app <==|==> $WORK/noslot <==|==> $WORK/unstamped <==|" ] \
  || fail "text headers: $(grep '^==> ' "$WORK/out.txt")"
[ "$(grep -B1 '^==> ' "$WORK/out.txt" | grep -c '^$')" = 2 ] || fail "blocks are not separated by a blank line"
sed -n "/^==> ${WORK//\//\\/}\/noslot <==/,/^==> /p" "$WORK/out.txt" | matches -x "no buildinfo slot" \
  || fail "no line for the file without a slot"
grep -qE "^slot .* not stamped, capacity 1024 bytes$" "$WORK/out.txt" || fail "no block for the unstamped file"
grep -qE "^  vcs.revision +[0-9a-f]{40}$" "$WORK/out.txt" || fail "no record for the stamped file"
inspect 2 "$missing" "$WORK/app"
grep -qx "$missing: not inspected (unreadable or malformed)" "$WORK/out.txt" || fail "no line for the missing file"

# --dsse and --otel-env name no file in their output: one file only.
for flag in --dsse --otel-env; do
  inspect 2 "$WORK/app" "$WORK/app2" "$flag"
  [ ! -s "$WORK/out.txt" ] || fail "inspect $flag of two files printed something"
  grep -qx "buildinfo: inspect $flag takes one BINARY (2 given); run it once per file" "$WORK/err.txt" \
    || fail "inspect $flag of two files: $(cat "$WORK/err.txt")"
  inspect 0 "$WORK/app" "$flag"
  [ "$(wc -l < "$WORK/out.txt")" = 1 ] || fail "inspect $flag of one file"
done
inspect 2 "$WORK/app" --json --dsse
grep -q "excludes" "$WORK/err.txt" || fail "--json with --dsse: $(cat "$WORK/err.txt")"
echo ok
