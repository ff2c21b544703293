# The tool runs under valgrind: a signed stamp from a vcs-state file and its
# verify both exit 0 with no error from memcheck, and the stamp verifies
# outside valgrind too. (The stamp's release child, support/background_release,
# is a clone() valgrind cannot run; it is left out there.)
source "$SOURCE_ROOT/tests/e2e/common.sh"
require_tools valgrind
# Valgrind cannot run a program built with AddressSanitizer (the sanitize
# preset): that build has its own memory checks.
if { ldd "$BUILDINFO" 2> /dev/null || true; } | matches libasan; then
  echo "SKIP($TEST_NAME): valgrind cannot run an AddressSanitizer build" >&2
  exit 77
fi

make_repo "$WORK/repo"
make_keys
bin="$WORK/x86_64"
cp "$SOURCE_ROOT/tests/fuzz/corpus/elf_fuzz/x86_64-stamped" "$bin"
"$BUILDINFO" vcs-state --source-dir "$WORK/repo" --output "$WORK/state" || fail "vcs-state failed"
memcheck=(valgrind -q --error-exitcode=99)

"${memcheck[@]}" "$BUILDINFO" stamp "$bin" --vcs-state "$WORK/state" --key "$WORK/keys/ed25519.key" -q \
  > "$WORK/stamp.txt" 2>&1 || fail "stamp under valgrind exited $?: $(head -c 2000 "$WORK/stamp.txt")"
[ ! -s "$WORK/stamp.txt" ] || fail "stamp under valgrind printed: $(head -c 2000 "$WORK/stamp.txt")"
"$BUILDINFO" verify "$bin" --key "$WORK/keys/ed25519.pub" > /dev/null || fail "the stamp does not verify"
"${memcheck[@]}" "$BUILDINFO" verify "$bin" --key "$WORK/keys/ed25519.pub" > "$WORK/verify.txt" 2>&1 \
  || fail "verify under valgrind exited $?: $(head -c 2000 "$WORK/verify.txt")"
revision=$(git -C "$WORK/repo" rev-parse HEAD)
"$BUILDINFO" inspect "$bin" --json --no-describe | jq -e --arg r "$revision" '.record["vcs.revision"] == $r' \
  > /dev/null || fail "the stamp does not hold the repository's revision"
echo "PASS($TEST_NAME)"
