# Crash safety of stamp on a large binary: killed with SIGKILL or SIGTERM at
# many points, the file is always either the original or a complete stamp
# that verifies; SIGTERM leaves no temporary file; two concurrent stamps of
# one file end with one complete stamp.
source "$SOURCE_ROOT/tests/e2e/common.sh"

make_repo "$WORK/repo"
make_keys
cat > "$WORK/big.c" <<'C'
#include "buildinfo/slot_layout.h"
BUILDINFO_DEFINE_SLOT(4096);
/* 48 MiB of initialized read-only data: a stamp takes long enough to be
   interrupted half-way. */
const unsigned char big[48u << 20] = {1};
int main(void) { return big[12345]; }
C
cc -O1 -I"$SOURCE_ROOT/lib/include" -o "$WORK/original" "$WORK/big.c"
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
    # Kill points from the start to well past the end of a stamp.
    sleep "$(awk -v d="$duration_ms" -v s="$step" 'BEGIN { printf "%.3f", d * s / 10 / 1000 }')"
    kill -s "$signal" "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
    case "$(expect_original_or_stamped "$target")" in
      original) originals=$((originals + 1)) ;;
      stamped) stamped=$((stamped + 1)) ;;
    esac
    if [ "$signal" = TERM ] && ls -A "$(dirname "$target")" | grep -q '\.buildinfo-'; then
      fail "SIGTERM during a stamp left a temporary file: $(ls -A "$(dirname "$target")")"
    fi
  done
done
echo "interrupted stamps: $originals left the original, $stamped completed (one stamp takes ${duration_ms} ms)"

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
echo ok
