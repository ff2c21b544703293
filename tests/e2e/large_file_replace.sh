# Replacing a large binary: on a file system with reflinks (XFS, loop
# mounted) the stamped copy shares the original's blocks and a hard link
# keeps the old contents; on the work tree's file system, the original
# freed after the stamp exits is freed by a child that holds no standard
# stream (a pipe through the stamp ends with it) and is gone soon after.
source "$SOURCE_ROOT/tests/e2e/common.sh"

# A program with a slot and $2 MB of random read-only data, at path $1.
make_large_binary() {
  head -c "$(($2 * 1000 * 1000))" /dev/urandom > "$1.blob"
  cat > "$1.c" <<C
#include "buildinfo/slot_layout.h"
BUILDINFO_DEFINE_SLOT(1024);
__asm__(".section .rodata.blob,\"a\"\n.globl blob\nblob:\n.incbin \"$1.blob\"\n.previous\n");
extern const unsigned char blob[];
int main(void) { return blob[12345] + buildinfo_slot.slot[0]; }
C
  cc -O2 -I"$SOURCE_ROOT/lib/include" "$1.c" -o "$1" || fail "cannot build $1"
  rm "$1.blob" "$1.c"
}

# Fails unless, within 10 s, no process holds the deleted file $1.
expect_released() {
  for _ in $(seq 100); do
    # ls fails for a process that ended since the glob; that must not
    # count as "not held".
    if ! grep -qsF "$1 (deleted)" /proc/[0-9]*/maps \
      && ! { ls -l /proc/[0-9]*/fd 2> /dev/null || true; } | matches -F "$1 (deleted)"; then
      return 0
    fi
    sleep 0.1
  done
  fail "10 s after the stamp, a process still holds the replaced $1"
}

# On the work tree: a binary of $2 MB at $1, stamped with its output through
# a pipe, verified, and its replaced original released.
stamp_through_pipe() {
  make_large_binary "$1" "$2"
  timeout 30 sh -c '"$1" stamp "$2" --no-sign --source-dir "$3" 2>&1 | cat > "$4"' sh "$BUILDINFO" "$1" \
    "$SOURCE_ROOT" "$WORK/stamp.log" || fail "the stamp of $1, piped, did not end: $(cat "$WORK/stamp.log")"
  grep -q "^stamped $1" "$WORK/stamp.log" || fail "no stamp report: $(cat "$WORK/stamp.log")"
  "$BUILDINFO" verify "$1" --allow-unsigned > "$WORK/verify.txt" || fail "the stamped $1 does not verify"
  expect_released "$1"
}
# 20 MB goes straight to the disk; 2 MB through the page cache, flushed
# beside the digest; both originals are freed by a child.
stamp_through_pipe "$WORK/app" 20
stamp_through_pipe "$WORK/app-2mb" 2

# XFS with reflinks.
[ "$(id -u)" = 0 ] || skip "mounting an XFS image needs root"
command -v mkfs.xfs > /dev/null || skip "mkfs.xfs (xfsprogs) is not installed"
image="$WORK/xfs.img"
mount_dir="$WORK/xfs"
rm -f "$image"
truncate -s 300M "$image"
mkfs.xfs -q -f -m reflink=1 "$image" || fail "mkfs.xfs failed"
mkdir -p "$mount_dir"
mount -o loop "$image" "$mount_dir" || fail "cannot loop-mount an XFS image (the kernel here refuses it)"
# A moment after a stamp has exited, its child may still hold the replaced
# original (README, "stamp"), and the file system is busy.
unmount() {
  local attempt
  for attempt in $(seq 50); do
    umount "$mount_dir" 2> /dev/null && return 0
    sleep 0.02
  done
  echo "cannot unmount $mount_dir: it stays busy" >&2
}
trap 'unmount; rm -f "$image"' EXIT
big="$mount_dir/app"
make_large_binary "$big" 40
ln "$big" "$mount_dir/old-name"
before=$(sha256sum < "$big")
sync
used_before=$(df --output=used -B1 "$mount_dir" | tail -1)
"$BUILDINFO" stamp "$big" --no-sign --source-dir "$SOURCE_ROOT" -q 2> "$WORK/xfs-stamp.err" \
  || fail "stamp on XFS failed: $(cat "$WORK/xfs-stamp.err")"
sync
used_after=$(df --output=used -B1 "$mount_dir" | tail -1)
"$BUILDINFO" verify "$big" --allow-unsigned > /dev/null || fail "the stamped file on XFS does not verify"
[ "$(sha256sum < "$mount_dir/old-name")" = "$before" ] || fail "the other hard link lost its old contents"
[ "$(sha256sum < "$big")" != "$before" ] || fail "the file was not stamped"
filefrag -v "$big" | matches shared || fail "the stamped copy shares no block with the original: $(filefrag -v "$big")"
# 40 MB copied would use 40 MB more; shared, a few blocks.
[ $((used_after - used_before)) -lt 4000000 ] || fail "the stamp used $((used_after - used_before)) more bytes on XFS"
echo ok
