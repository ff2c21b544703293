# A stamp killed with SIGKILL leaves nothing beside the binary. On this
# file system (O_TMPFILE: ext4, tmpfs, ...): at 30 points spread over one
# stamp's measured duration of a 56 MiB binary, the directory holds the
# binary alone (`ls -A`), the original or a verifying stamp (or, when a kill
# falls into the window below, the hidden name the next stamp removes).
# A kill between
# the link of the unnamed temporary file and its rename (forced with strace)
# leaves the hidden name, and the next stamp removes it. Without O_TMPFILE
# (a preloaded shim refuses it, as NFS or FAT do) a kill leaves the hidden
# temporary file, and the next stamp removes it; SIGTERM, SIGINT and SIGHUP
# leave nothing. What a live stamper holds (a locked file) is never
# removed: concurrent stamps all succeed, and a locked look-alike and files
# of other names stay.
source "$SOURCE_ROOT/tests/e2e/common.sh"
require_tools strace

make_repo "$WORK/repo"
make_keys
make_big_binary "$WORK/original" 56
(( $(stat -c %s "$WORK/original") >= 50000000 )) || fail "the test binary is smaller than 50 MB"

# open() and openat() with O_TMPFILE fail with EOPNOTSUPP, as on a file
# system without it; everything else goes to the C library.
cat > "$WORK/no_tmpfile.c" <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#define REFUSE_TMPFILE(name, ...)                                        \
  int name(__VA_ARGS__, int flags, ...) {                                \
    va_list ap;                                                          \
    va_start(ap, flags);                                                 \
    mode_t mode = (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE  \
                      ? va_arg(ap, mode_t) : 0;                          \
    va_end(ap);                                                          \
    if ((flags & O_TMPFILE) == O_TMPFILE) {                              \
      errno = EOPNOTSUPP;                                                \
      return -1;                                                         \
    }
REFUSE_TMPFILE(open, const char* path)
  return ((int (*)(const char*, int, ...))dlsym(RTLD_NEXT, "open"))(path, flags, mode);
}
REFUSE_TMPFILE(open64, const char* path)
  return ((int (*)(const char*, int, ...))dlsym(RTLD_NEXT, "open64"))(path, flags, mode);
}
REFUSE_TMPFILE(openat, int dir, const char* path)
  return ((int (*)(int, const char*, int, ...))dlsym(RTLD_NEXT, "openat"))(dir, path, flags, mode);
}
REFUSE_TMPFILE(openat64, int dir, const char* path)
  return ((int (*)(int, const char*, int, ...))dlsym(RTLD_NEXT, "openat64"))(dir, path, flags, mode);
}
C
cc -shared -fPIC -O1 -o "$WORK/no_tmpfile.so" "$WORK/no_tmpfile.c" -ldl || fail "cannot build the O_TMPFILE shim"
# (An AddressSanitizer build of the tool must let the shim come first.)
no_tmpfile=(env LD_PRELOAD="$WORK/no_tmpfile.so" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0")

stamp() {
  "$BUILDINFO" stamp "$1" --key "$WORK/keys/ed25519.key" --source-dir "$WORK/repo" -q "${@:2}"
}

# Checks that $1 is the original or a complete, verifying stamp; prints which.
original_or_stamped() {
  if cmp -s "$1" "$WORK/original"; then
    echo original
  elif "$BUILDINFO" verify "$1" --key "$WORK/keys/ed25519.pub" > "$WORK/verify.txt" 2>&1; then
    echo stamped
  else
    fail "after a killed stamp $1 is neither the original nor a verifying stamp: $(cat "$WORK/verify.txt")"
  fi
}

# Checks that directory $1 holds exactly the file app.
expect_alone() {
  [ "$(ls -A "$1")" = app ] || fail "$2: $1 holds more than app: $(ls -lA "$1")"
}

# Starts a stamp of $1 (with the command prefix in the remaining arguments)
# and sends it signal $3 after $2 seconds.
kill_stamp_after() {
  local target=$1 delay=$2 signal=$3 pid
  shift 3
  "$@" "$BUILDINFO" stamp "$target" --key "$WORK/keys/ed25519.key" --source-dir "$WORK/repo" -q 2> /dev/null &
  pid=$!
  sleep "$delay"
  kill -s "$signal" "$pid" 2> /dev/null || true
  wait "$pid" 2> /dev/null || true
}

# One stamp's duration in milliseconds, as the rounds below run it (a fresh
# copy of the binary); the longer of two.
duration_ms=0
for run in 1 2; do
  cp "$WORK/original" "$WORK/timed"
  start=$(date +%s%N)
  stamp "$WORK/timed"
  ms=$(( ($(date +%s%N) - start) / 1000000 + 1 ))
  (( ms > duration_ms )) && duration_ms=$ms
done
# Kill point i of n: from the start to past the end (1.4 times) of a
# stamp, each moved by up to one step at random (the margin covers stamps
# slowed down by a busy machine).
kill_delay() {
  awk -v d="$duration_ms" -v i="$1" -v n="$2" -v r="$RANDOM" 'BEGIN { printf "%.3f", 1.4 * d * (i + r / 32768) / n / 1000 }'
}

# ---- With O_TMPFILE: nothing but the binary, after any kill. ----
originals=0
stamped=0
# Kills the stamp of a fresh copy after $2 seconds; $1 names the round.
kill_round() {
  local dir="$WORK/kill-$1"
  mkdir "$dir"
  cp "$WORK/original" "$dir/app"
  kill_stamp_after "$dir/app" "$2" KILL
  local outcome
  outcome=$(original_or_stamped "$dir/app")  # (a failure there ends the test)
  case "$outcome" in
    original) originals=$((originals + 1)) ;;
    stamped) stamped=$((stamped + 1)) ;;
  esac
  expect_nothing_left_by_kill "$dir" "$WORK/original" "SIGKILL at point $1 ($2 s)"
  rm -rf "$dir"
}
for i in $(seq 0 29); do
  kill_round "$i" "$(kill_delay "$i" 30)"
done
echo "O_TMPFILE: 30 killed stamps: $originals left the original, $stamped completed, none left a file (one stamp takes ${duration_ms} ms)"
[ "$originals" -gt 0 ] || fail "every kill came after the stamp was done"
# On a machine busier than when the stamp was timed, every kill may come
# before the end: then later ones must let a stamp complete.
for factor in 2 3 5 8; do
  [ "$stamped" -gt 0 ] && break
  kill_round "late-$factor" "$(awk -v d="$duration_ms" -v f="$factor" 'BEGIN { printf "%.3f", d * f / 1000 }')"
  echo "a kill at $factor times the measured duration: $stamped completed"
done
[ "$stamped" -gt 0 ] || fail "no stamp completed even with a kill at 8 times its measured duration"

# The one window left: a SIGKILL after linkat() gave the temporary file its
# hidden name and before rename() put it in place (strace kills the stamp
# on entering rename). The hidden name remains, a complete copy; the
# original is intact; the next stamp removes the name.
dir="$WORK/kill-before-rename"
mkdir "$dir"
cp "$WORK/original" "$dir/app"
rc=0
"$STRACE" -f -qq -o "$WORK/before-rename.trace" -e trace=linkat,rename -e inject=rename:signal=SIGKILL \
  "$BUILDINFO" stamp "$dir/app" --key "$WORK/keys/ed25519.key" --source-dir "$WORK/repo" -q 2> /dev/null || rc=$?
grep -q '^[0-9]* *linkat(.*buildinfo-.*= 0$' "$WORK/before-rename.trace" \
  || fail "the stamp did not link an unnamed temporary file: $(cat "$WORK/before-rename.trace")"
[ "$(original_or_stamped "$dir/app")" = original ] || fail "a kill before the rename replaced the file"
left=$(ls -A "$dir" | grep -x '\.app\.buildinfo-[A-Za-z0-9]\{6\}' || true)
[ -n "$left" ] || fail "a kill before the rename left no hidden name (rc $rc): $(ls -lA "$dir")"
stamp "$dir/app" || fail "the stamp after a kill before the rename failed"
[ "$(original_or_stamped "$dir/app")" = stamped ] || fail "the stamp after a kill before the rename did not stamp"
expect_alone "$dir" "the stamp after a kill before the rename"

# ---- Without O_TMPFILE: the temporary file has a name from the start; a
# kill leaves it, and the next stamp removes it. ----
# First, for certain (strace kills the stamp on entering rename): the
# shim works, and the file is the named one.
dir="$WORK/fallback-before-rename"
mkdir "$dir"
cp "$WORK/original" "$dir/app"
"${no_tmpfile[@]}" "$STRACE" -f -qq -o "$WORK/fallback.trace" -e trace=openat,linkat,rename -e inject=rename:signal=SIGKILL \
  "$BUILDINFO" stamp "$dir/app" --key "$WORK/keys/ed25519.key" --source-dir "$WORK/repo" -q 2> /dev/null || true
grep -q 'O_TMPFILE' "$WORK/fallback.trace" && fail "the shim let O_TMPFILE through: $(grep O_TMPFILE "$WORK/fallback.trace")"
grep -q 'linkat(' "$WORK/fallback.trace" && fail "without O_TMPFILE the stamp still linked a file"
[ "$(original_or_stamped "$dir/app")" = original ] || fail "a kill before the rename replaced the file (no O_TMPFILE)"
ls -A "$dir" | grep -x '\.app\.buildinfo-[A-Za-z0-9]\{6\}' > /dev/null \
  || fail "without O_TMPFILE a kill before the rename left no named temporary file: $(ls -lA "$dir")"
"${no_tmpfile[@]}" "$BUILDINFO" stamp "$dir/app" --key "$WORK/keys/ed25519.key" --source-dir "$WORK/repo" -q \
  || fail "the stamp after a killed one (no O_TMPFILE) failed"
expect_alone "$dir" "the stamp after a kill before the rename without O_TMPFILE"
# Then killed at points spread over a stamp: whatever is left, the next
# stamp removes it.
left_behind=0
for i in $(seq 0 5); do
  dir="$WORK/fallback-$i"
  mkdir "$dir"
  cp "$WORK/original" "$dir/app"
  kill_stamp_after "$dir/app" "$(kill_delay "$i" 6)" KILL "${no_tmpfile[@]}"
  original_or_stamped "$dir/app" > /dev/null
  ls -A "$dir" | grep -x '\.app\.buildinfo-[A-Za-z0-9]\{6\}' > /dev/null && left_behind=$((left_behind + 1))
  [ "$(ls -A "$dir" | grep -cvx 'app\|\.app\.buildinfo-[A-Za-z0-9]\{6\}')" = 0 ] \
    || fail "a killed stamp without O_TMPFILE left an unexpected file: $(ls -lA "$dir")"
  "${no_tmpfile[@]}" "$BUILDINFO" stamp "$dir/app" --key "$WORK/keys/ed25519.key" --source-dir "$WORK/repo" -q \
    || fail "the stamp after a killed one (no O_TMPFILE) failed"
  [ "$(original_or_stamped "$dir/app")" = stamped ] || fail "the stamp after a killed one did not stamp"
  expect_alone "$dir" "the stamp after a killed one without O_TMPFILE"
  rm -rf "$dir"
done
echo "without O_TMPFILE: $left_behind of 6 killed stamps left a hidden file, each removed by the next stamp"
# SIGTERM, SIGINT and SIGHUP are caught there: the handler removes the file.
for i in 0 1 2; do
  signal=$(echo TERM INT HUP | cut -d' ' -f$((i + 1)))
  dir="$WORK/fallback-$signal-$i"
  mkdir "$dir"
  cp "$WORK/original" "$dir/app"
  kill_stamp_after "$dir/app" "$(kill_delay "$i" 4)" "$signal" "${no_tmpfile[@]}"
  original_or_stamped "$dir/app" > /dev/null
  expect_alone "$dir" "SIG$signal during a stamp without O_TMPFILE"
  rm -rf "$dir"
done

# ---- What a live stamper holds, and other names, stay. ----
dir="$WORK/stale"
mkdir "$dir"
cp "$WORK/original" "$dir/app"
# An abandoned one (as an earlier version of the tool left them: unlocked).
echo partial > "$dir/.app.buildinfo-Ab12Cd"
chmod 755 "$dir/.app.buildinfo-Ab12Cd"
# One locked by a live process, and names that are not temporary files of app.
python3 -c 'import fcntl, sys, time
f = open(sys.argv[1], "w")
fcntl.flock(f, fcntl.LOCK_EX)
open(sys.argv[2], "w").close()
time.sleep(60)' "$dir/.app.buildinfo-Live00" "$WORK/locked" &
holder=$!
for other in .app.buildinfo-toolong .app.buildinfo-ab.cd1 .other.buildinfo-Ab12Cd app.buildinfo-Ab12Cd; do
  echo keep > "$dir/$other"
done
mkdir "$dir/.app.buildinfo-Dir000"
ln -s app "$dir/.app.buildinfo-Link00"
for _ in $(seq 100); do [ -e "$WORK/locked" ] && break; sleep 0.1; done
[ -e "$WORK/locked" ] || fail "the lock holder did not start"
stamp "$dir/app" || fail "stamp beside stale temporary files failed"
[ "$(original_or_stamped "$dir/app")" = stamped ] || fail "stamp beside stale temporary files did not stamp"
[ -e "$dir/.app.buildinfo-Ab12Cd" ] && fail "an abandoned temporary file was not removed"
[ -e "$dir/.app.buildinfo-Live00" ] || fail "a temporary file held by a live process was removed"
for other in .app.buildinfo-toolong .app.buildinfo-ab.cd1 .other.buildinfo-Ab12Cd app.buildinfo-Ab12Cd \
  .app.buildinfo-Dir000 .app.buildinfo-Link00; do
  [ -e "$dir/$other" ] || [ -L "$dir/$other" ] || fail "$other, not a temporary file of app, was removed"
done
kill "$holder"
wait "$holder" 2> /dev/null || true
stamp "$dir/app" --set again=1 || fail "the second stamp beside stale files failed"
[ -e "$dir/.app.buildinfo-Live00" ] && fail "a temporary file whose holder died was not removed"

# Concurrent stamps of one file without O_TMPFILE, where each one's
# temporary file has a name throughout: none removes another's, so all
# succeed, and nothing is left.
dir="$WORK/concurrent"
mkdir "$dir"
cp "$WORK/original" "$dir/app"
for round in 1 2; do
  pids=()
  for writer in 1 2 3; do
    "${no_tmpfile[@]}" "$BUILDINFO" stamp "$dir/app" --key "$WORK/keys/ed25519.key" --source-dir "$WORK/repo" \
      --set writer="$round.$writer" -q 2> "$WORK/concurrent-$writer.err" &
    pids+=($!)
  done
  for writer in 1 2 3; do
    wait "${pids[$((writer - 1))]}" || fail "concurrent stamp $round.$writer failed: $(cat "$WORK/concurrent-$writer.err")"
  done
  [ "$(original_or_stamped "$dir/app")" = stamped ] || fail "concurrent stamps left no stamp"
  expect_alone "$dir" "concurrent stamps without O_TMPFILE"
done
echo ok
