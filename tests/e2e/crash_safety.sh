# Crash safety of stamp on a large binary: killed with SIGKILL or SIGTERM at
# many points (spread over a stamp, with random jitter), the file is always
# either the original or a complete stamp that verifies, and nothing else is
# left beside it but, when a SIGKILL falls between the link of the unnamed
# temporary file and its rename, its hidden name, which the next stamp
# removes (tests/e2e/killed_stamp.sh kills more often, also without
# O_TMPFILE); two concurrent stamps of one file end with one complete
# stamp; a file truncated while verify reads it, a full disk, a read-only
# directory and a running executable are handled cleanly.
#
# Nothing here depends on how busy the machine is (ctest -j on 2 cores):
# the kill points are spread over a stamp's measured duration, and more
# kills follow, later or at once, until both outcomes have occurred; the
# truncation that must happen while verify reads the file waits for verify
# to stop itself right after mapping it; the running executable is waited
# for until it runs, and lives longer than any stamp could take.
source "$SOURCE_ROOT/tests/e2e/common.sh"

make_repo "$WORK/repo"
make_keys
make_big_binary "$WORK/original" 48
original=$(file_hash "$WORK/original")

# One stamp's duration in milliseconds, to spread the kills over it: the
# longer of two.
duration_ms=0
for run in 1 2; do
  cp "$WORK/original" "$WORK/timed"
  start=$(date +%s%N)
  "$BUILDINFO" stamp "$WORK/timed" --key "$WORK/keys/ed25519.key" --source-dir "$WORK/repo" -q
  ms=$(( ($(date +%s%N) - start) / 1000000 + 1 ))
  (( ms > duration_ms )) && duration_ms=$ms
done

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
# Stamps a fresh copy in $WORK/kill-$1, sends it signal $2 after $3 seconds,
# and checks that the copy is the original or a verifying stamp, alone in
# its directory.
kill_round() {
  local dir="$WORK/kill-$1" signal=$2 delay=$3 pid outcome
  mkdir -p "$dir"
  cp "$WORK/original" "$dir/app"
  "$BUILDINFO" stamp "$dir/app" --key "$WORK/keys/ed25519.key" --source-dir "$WORK/repo" -q 2> /dev/null &
  pid=$!
  sleep "$delay"
  kill -s "$signal" "$pid" 2> /dev/null || true
  wait "$pid" 2> /dev/null || true
  outcome=$(expect_original_or_stamped "$dir/app")  # (a failure there ends the test)
  case "$outcome" in
    original) originals=$((originals + 1)) ;;
    stamped) stamped=$((stamped + 1)) ;;
  esac
  if [ "$signal" = KILL ]; then
    expect_nothing_left_by_kill "$dir" "$WORK/original" "SIGKILL during a stamp"
  else
    [ "$(ls -A "$dir")" = app ] || fail "SIG$signal during a stamp left a file beside it: $(ls -lA "$dir")"
  fi
  rm -rf "$dir"
}
for signal in KILL TERM; do
  for step in 0 2 4 6 8 10 12 14 16 18 20 22; do
    # Kill points from the start to well past the end of a stamp, each
    # moved by up to a tenth of a stamp at random.
    kill_round "$signal-$step" "$signal" \
      "$(awk -v d="$duration_ms" -v s="$step" -v r="$RANDOM" 'BEGIN { printf "%.3f", d * (s + r / 32768) / 10 / 1000 }')"
  done
done
echo "interrupted stamps: $originals left the original, $stamped completed (one stamp takes ${duration_ms} ms)"
# Both outcomes must occur, or the kills missed the stamp altogether. On a
# machine busier than when the stamp was timed every kill may have come
# before the end: then later ones must let a stamp complete; on one less
# busy every kill may have come after it: then one sent at once must not.
for factor in 3 5 8 13; do
  [ "$stamped" -gt 0 ] && break
  kill_round "late-$factor" KILL "$(awk -v d="$duration_ms" -v f="$factor" 'BEGIN { printf "%.3f", d * f / 1000 }')"
  echo "a kill at $factor times the measured duration: $stamped completed"
done
[ "$stamped" -gt 0 ] || fail "no stamp completed even with a kill at 13 times its measured duration"
for attempt in 1 2 3; do
  [ "$originals" -gt 0 ] && break
  kill_round "early-$attempt" KILL 0
  echo "a kill sent at once: $originals left the original"
done
[ "$originals" -gt 0 ] || fail "every kill, even one sent at once, came after the stamp was done"

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
# 2 naming the file (the kernel's SIGBUS is caught), never a crash. First
# at points spread over a verify, where a verify that finished first exits
# 0; then for certain while verify reads it: a preloaded shim stops verify
# (SIGSTOP) right after it mapped the file, and the file is truncated before
# verify goes on.
cat > "$WORK/stop_after_map.c" <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/types.h>
/* mmap() of a file of 1 MiB or more (how the tool maps its input; shared
   libraries are mapped by the dynamic loader, which this does not see)
   stops the process once the mapping is made. */
static void* map_and_stop(const char* name, void* addr, size_t length, int prot, int flags, int fd, off_t offset) {
  void* (*real)(void*, size_t, int, int, int, off_t) =
      (void* (*)(void*, size_t, int, int, int, off_t))dlsym(RTLD_NEXT, name);
  void* mapped = real(addr, length, prot, flags, fd, offset);
  if (mapped != MAP_FAILED && fd >= 0 && length >= (1u << 20)) raise(SIGSTOP);
  return mapped;
}
void* mmap(void* addr, size_t length, int prot, int flags, int fd, off_t offset) {
  return map_and_stop("mmap", addr, length, prot, flags, fd, offset);
}
void* mmap64(void* addr, size_t length, int prot, int flags, int fd, off_t offset) {
  return map_and_stop("mmap64", addr, length, prot, flags, fd, offset);
}
C
cc -shared -fPIC -O1 -o "$WORK/stop_after_map.so" "$WORK/stop_after_map.c" -ldl || fail "cannot build the mmap shim"
# (An AddressSanitizer build of the tool must let the shim come first.)
stop_after_map=(env LD_PRELOAD="$WORK/stop_after_map.so"
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0")

# The state letter of process $1 (R, S, T, Z...), or nothing once it is gone.
process_state() {
  sed -n 's/^[0-9]* (.*) \([A-Za-z]\).*/\1/p' "/proc/$1/stat" 2> /dev/null || true
}

# Verifies a fresh stamped copy, truncating it (round $1) after $2 seconds,
# or with $2 = mapped once verify stopped after mapping it; sets rc.
verify_shrinking() {
  local delay=$2 pid state
  cp "$WORK/original" "$WORK/shrinking"
  "$BUILDINFO" stamp "$WORK/shrinking" --key "$WORK/keys/ed25519.key" --source-dir "$WORK/repo" -q
  rc=0
  if [ "$delay" = mapped ]; then
    "${stop_after_map[@]}" "$BUILDINFO" verify "$WORK/shrinking" --key "$WORK/keys/ed25519.pub" \
      > "$WORK/shrinking.out" 2>&1 &
    pid=$!
    for _ in $(seq 1200); do  # at most 60 s
      state=$(process_state "$pid")
      [ "$state" = T ] || [ -z "$state" ] || [ "$state" = Z ] && break
      sleep 0.05
    done
    if [ "$state" != T ]; then
      wait "$pid" || true
      fail "round $1: verify did not stop after mapping the file (state '$state'): $(cat "$WORK/shrinking.out")"
    fi
    truncate -s 4096 "$WORK/shrinking"
    kill -s CONT "$pid"
  else
    "$BUILDINFO" verify "$WORK/shrinking" --key "$WORK/keys/ed25519.pub" > "$WORK/shrinking.out" 2>&1 &
    pid=$!
    sleep "$delay"
    truncate -s 4096 "$WORK/shrinking"
  fi
  wait "$pid" || rc=$?
  case "$rc" in
    0) ;;
    2)
      grep -q "^buildinfo: $WORK/shrinking: " "$WORK/shrinking.out" \
        || fail "round $1: unclear error for a shrinking file: $(cat "$WORK/shrinking.out")"
      ;;
    *) fail "round $1: verify of a file truncated while read exited $rc: $(cat "$WORK/shrinking.out")" ;;
  esac
}
shrank=0
for delay in 0 0.005 0.01 0.02 0.04 mapped; do
  verify_shrinking "$delay" "$delay"
  [ "$rc" = 2 ] && shrank=$((shrank + 1))
done
[ "$rc" = 2 ] || fail "verify of a file truncated after it was mapped exited $rc, expected 2: $(cat "$WORK/shrinking.out")"
grep -q "^buildinfo: $WORK/shrinking: the file shrank or became unreadable while it was being read$" "$WORK/shrinking.out" \
  || fail "verify of a file truncated after it was mapped does not say so: $(cat "$WORK/shrinking.out")"
echo "truncated while verify ran: $shrank of 6 verifies exited 2 naming the file (the others had finished)"

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
  require_tools setpriv
  # nobody gets its own HOME (git reads ~/.gitconfig) that trusts the
  # root-owned repository, and owns its copy of the key.
  mkdir -p "$WORK/nobody-home"
  git config --file "$WORK/nobody-home/.gitconfig" safe.directory "$WORK/repo"
  chown -R nobody "$WORK/nobody-home" "$WORK/readonly-keys"
  chmod 600 "$WORK/readonly-keys/ed25519.key"
  as_user=(env HOME="$WORK/nobody-home" "$SETPRIV" --reuid=nobody --regid=nogroup --clear-groups)
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
# process keeps its image (the file it runs is the unlinked original), and
# the file on disk is the complete stamp. The program runs until it is
# killed (at most 10 minutes, ctest's limit), and the stamp starts once it
# runs: the file it executes is $WORK/running.
cat > "$WORK/wait.c" <<'C'
#include <unistd.h>
#include "buildinfo/slot_layout.h"
BUILDINFO_DEFINE_SLOT(4096);
int main(void) { sleep(600); return buildinfo_slot.slot[0] == 0; }
C
cc -I"$SOURCE_ROOT/lib/include" -o "$WORK/running" "$WORK/wait.c"
"$WORK/running" < /dev/null > /dev/null 2>&1 &
running=$!
trap 'kill "$running" 2> /dev/null || true' EXIT
for _ in $(seq 1200); do  # at most 60 s
  [ "$(readlink "/proc/$running/exe" 2> /dev/null || true)" = "$WORK/running" ] && break
  kill -0 "$running" 2> /dev/null || fail "the executable to stamp while it runs did not start"
  sleep 0.05
done
[ "$(readlink "/proc/$running/exe")" = "$WORK/running" ] || fail "the executable to stamp while it runs did not start"
"$BUILDINFO" stamp "$WORK/running" --key "$WORK/keys/ed25519.key" --source-dir "$WORK/repo" -q \
  || fail "stamp of a running executable failed"
"$BUILDINFO" verify "$WORK/running" --key "$WORK/keys/ed25519.pub" > /dev/null || fail "stamp of a running executable does not verify"
kill -0 "$running" || fail "the running executable died while its file was stamped"
[ "$(readlink "/proc/$running/exe")" = "$WORK/running (deleted)" ] \
  || fail "the running process does not run the replaced original: $(readlink "/proc/$running/exe")"
kill "$running"
wait "$running" 2> /dev/null || true
trap - EXIT
echo ok
