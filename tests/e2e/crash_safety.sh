# Crash safety of stamp on a large binary: killed with SIGKILL or SIGTERM at
# many points (spread over a stamp, with random jitter), the file is always
# either the original or a complete stamp that verifies, and nothing else is
# left beside it (tests/e2e/killed_stamp.sh kills more often, also without
# O_TMPFILE); two concurrent stamps of one file end with one complete
# stamp; a full disk, a read-only directory and a running executable are
# handled cleanly.
source "$SOURCE_ROOT/tests/e2e/common.sh"

make_repo "$WORK/repo"
make_keys
make_big_binary "$WORK/original" 48
original=$(file_hash "$WORK/original")

# Times one full stamp, in milliseconds, to spread the kills over it.
cp "$WORK/original" "$WORK/timed"
start=$(date +%s%N)
"$BUILDINFO" stamp "$WORK/timed" --key "$WORK/keys/ed25519.key" --source-dir "$WORK/repo" -q
duration_ms=$(( ($(date +%s%N) - start) / 1000000 + 1 ))

# Checks that $1 is the original or a complete, verifying stamp; prints which.
expect_original_or_stamped() {
  if [ "$(file_hash "$1")" = "$original" ]; then
    echo original
  elif "$BUILDINFO" verify "$1" --key "$WORK/keys/ed25519.pub" > "$WORK/verify.txt" 2>&1; then
    echo stamped
  else
    fail "after an interrupted stamp $1 is neither the original nor a verifying stamp: $(cat "$WORK/verify.txt")"
  fi
}

originals=0
stamped=0
for signal in KILL TERM; do
  for step in 0 2 4 6 8 10 12 14 16 18 20 22; do
    mkdir -p "$WORK/kill-$signal-$step"
    target="$WORK/kill-$signal-$step/app"
    cp "$WORK/original" "$target"
    "$BUILDINFO" stamp "$target" --key "$WORK/keys/ed25519.key" --source-dir "$WORK/repo" -q 2> /dev/null &
    pid=$!
    # Kill points from the start to well past the end of a stamp, each
    # moved by up to a tenth of a stamp at random.
    sleep "$(awk -v d="$duration_ms" -v s="$step" -v r="$RANDOM" 'BEGIN { printf "%.3f", d * (s + r / 32768) / 10 / 1000 }')"
    kill -s "$signal" "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
    case "$(expect_original_or_stamped "$target")" in
      original) originals=$((originals + 1)) ;;
      stamped) stamped=$((stamped + 1)) ;;
    esac
    [ "$(ls -A "$(dirname "$target")")" = app ] \
      || fail "SIG$signal during a stamp left a file beside it: $(ls -lA "$(dirname "$target")")"
  done
done
echo "interrupted stamps: $originals left the original, $stamped completed (one stamp takes ${duration_ms} ms)"
# Both outcomes must occur, or the kills missed the stamp altogether.
[ "$originals" -gt 0 ] && [ "$stamped" -gt 0 ] || fail "the kill points did not straddle a stamp"

# Two concurrent stamps of one file: one complete stamp wins.
cp "$WORK/original" "$WORK/shared"
"$BUILDINFO" stamp "$WORK/shared" --key "$WORK/keys/ed25519.key" --source-dir "$WORK/repo" --set writer=one -q &
first=$!
"$BUILDINFO" stamp "$WORK/shared" --key "$WORK/keys/ed25519.key" --source-dir "$WORK/repo" --set writer=two -q &
second=$!
wait "$first"
wait "$second"
"$BUILDINFO" verify "$WORK/shared" --key "$WORK/keys/ed25519.pub" > /dev/null || fail "concurrent stamps left a broken file"
writer=$("$BUILDINFO" inspect "$WORK/shared" --json --no-describe | jq -r '.record["custom.writer"]')
case "$writer" in one | two) ;; *) fail "concurrent stamps: unexpected writer '$writer'" ;; esac

# A file truncated by another process while it is being read: a clean exit
# 2 naming the file (the kernel's SIGBUS is caught), never a crash.
shrank=0
for delay in 0 0.005 0.01 0.02 0.04; do
  cp "$WORK/original" "$WORK/shrinking"
  "$BUILDINFO" stamp "$WORK/shrinking" --key "$WORK/keys/ed25519.key" --source-dir "$WORK/repo" -q 2> /dev/null || true
  rc=0
  "$BUILDINFO" verify "$WORK/shrinking" --key "$WORK/keys/ed25519.pub" > "$WORK/shrinking.out" 2>&1 &
  pid=$!
  sleep "$delay"
  truncate -s 4096 "$WORK/shrinking"
  wait "$pid" || rc=$?
  case "$rc" in
    0) ;;
    2)
      shrank=$((shrank + 1))
      grep -q "^buildinfo: $WORK/shrinking: " "$WORK/shrinking.out" || fail "unclear error for a shrinking file: $(cat "$WORK/shrinking.out")"
      ;;
    *) fail "verify of a file truncated while read exited $rc: $(cat "$WORK/shrinking.out")" ;;
  esac
done
[ "$shrank" -gt 0 ] || fail "no truncation happened while verify read the file"

# A full disk (a file-size limit makes the write fail the same way): exit 2
# naming the file, the original intact, no temporary file left.
mkdir "$WORK/full"
cp "$WORK/original" "$WORK/full/app"
rc=0
(
  trap '' XFSZ  # get EFBIG from write() instead of dying of SIGXFSZ
  ulimit -f $(( $(stat -c %s "$WORK/original") / 1024 / 2 ))
  exec "$BUILDINFO" stamp "$WORK/full/app" --key "$WORK/keys/ed25519.key" --source-dir "$WORK/repo" -q
) 2> "$WORK/full.err" || rc=$?
[ "$rc" = 2 ] || fail "stamp on a full disk exited $rc, expected 2: $(cat "$WORK/full.err")"
grep -q "^buildinfo: $WORK/full/app: cannot write: " "$WORK/full.err" || fail "unclear full-disk error: $(cat "$WORK/full.err")"
[ "$(file_hash "$WORK/full/app")" = "$original" ] || fail "a stamp on a full disk changed the file"
[ "$(ls -A "$WORK/full")" = app ] || fail "a stamp on a full disk left files behind: $(ls -A "$WORK/full")"

# A read-only directory (as an unprivileged user: root ignores the mode).
mkdir "$WORK/readonly"
cp "$WORK/original" "$WORK/readonly/app"
cp -r "$WORK/keys" "$WORK/readonly-keys"
chmod -R a+rX "$WORK/readonly" "$WORK/readonly-keys" "$WORK/repo"
chmod 555 "$WORK/readonly"
as_user=()
if [ "$(id -u)" = 0 ]; then
  # nobody gets its own HOME (git reads ~/.gitconfig) that trusts the
  # root-owned repository, and owns its copy of the key.
  mkdir -p "$WORK/nobody-home"
  git config --file "$WORK/nobody-home/.gitconfig" safe.directory "$WORK/repo"
  chown -R nobody "$WORK/nobody-home" "$WORK/readonly-keys"
  chmod 600 "$WORK/readonly-keys/ed25519.key"
  as_user=(env HOME="$WORK/nobody-home" setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
rc=0
"${as_user[@]}" "$BUILDINFO" stamp "$WORK/readonly/app" --key "$WORK/readonly-keys/ed25519.key" \
  --source-dir "$WORK/repo" -q 2> "$WORK/readonly.err" || rc=$?
[ "$rc" = 2 ] || fail "stamp in a read-only directory exited $rc, expected 2: $(cat "$WORK/readonly.err")"
grep -q "^buildinfo: $WORK/readonly/app: cannot create a temporary file in $WORK/readonly: Permission denied" \
  "$WORK/readonly.err" || fail "unclear read-only error: $(cat "$WORK/readonly.err")"
[ "$(file_hash "$WORK/readonly/app")" = "$original" ] || fail "a stamp in a read-only directory changed the file"
chmod 755 "$WORK/readonly"

# A running executable: the stamp replaces the directory entry, the running
# process keeps its image, and the file on disk is the complete stamp.
cp "$WORK/original" "$WORK/running"
cat > "$WORK/wait.c" <<'C'
#include <unistd.h>
#include "buildinfo/slot_layout.h"
BUILDINFO_DEFINE_SLOT(4096);
int main(void) { sleep(30); return buildinfo_slot.slot[0] == 0; }
C
cc -I"$SOURCE_ROOT/lib/include" -o "$WORK/running" "$WORK/wait.c"
"$WORK/running" &
running=$!
sleep 0.2
"$BUILDINFO" stamp "$WORK/running" --key "$WORK/keys/ed25519.key" --source-dir "$WORK/repo" -q \
  || fail "stamp of a running executable failed"
"$BUILDINFO" verify "$WORK/running" --key "$WORK/keys/ed25519.pub" > /dev/null || fail "stamp of a running executable does not verify"
kill -0 "$running" || fail "the running executable died while its file was stamped"
kill "$running"
wait "$running" 2> /dev/null || true
echo ok
