#!/usr/bin/env bash
# verify -j on many files: 200 copies of one signed 5 MB binary, verified
# with -j 1, 2 and 4 from a warm page cache, and with -j 1, 2 and 8 after
# dropping the copies' pages (posix_fadvise DONTNEED, which touches no other
# file's cache). Times the whole process with farm-bench (paired runs, the
# median quoted); docs/PERFORMANCE.md, "verify -j", has the figures.
#   bench/verify_jobs.sh BUILDINFO [WORK_DIR]
set -euo pipefail
buildinfo=$(realpath "$1")
work=${2:-build-bench/verify-jobs}
command -v farm-bench > /dev/null || { echo "farm-bench is not installed" >&2; exit 1; }
mkdir -p "$work/copies"
lib_include=$(realpath "$(dirname "$0")/../lib/include")
cd "$work"
[ -f blob.bin ] || head -c 5000000 /dev/urandom > blob.bin
cat > big.c <<C
#include <buildinfo/slot_layout.h>
BUILDINFO_DEFINE_SLOT(4096);
__asm__(".section .rodata\n.globl blob\nblob:\n.incbin \"$PWD/blob.bin\"\n.previous\n");
extern const unsigned char blob[];
int main(void) { uint32_t c; return buildinfo_slot_bytes(&c)[0] + blob[0]; }
C
cc -O2 -I"$lib_include" big.c -o big
[ -f key.key ] || "$buildinfo" keygen --out key > /dev/null
[ -d repo ] || { git init -q repo && git -C repo -c user.name=b -c user.email=b@example.invalid commit -q --allow-empty -m b; }
"$buildinfo" stamp big --key key.key --source-dir repo -q
for i in $(seq 1 200); do cp big "copies/big$i"; done
cat > evict.py <<'PY'
import os, sys
for p in sys.argv[1:]:
    fd = os.open(p, os.O_RDONLY)
    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    os.close(fd)
PY
# warm.sh J and cold.sh J: one verify of the 200 copies with -j J; cold.sh
# first drops their pages (about 0.14 s of its time, measured below).
printf 'exec "%s" verify copies/* --key key.pub -j "$1" > /dev/null\n' "$buildinfo" > warm.sh
printf 'python3 evict.py copies/*\nexec "%s" verify copies/* --key key.pub -j "$1" > /dev/null\n' "$buildinfo" > cold.sh
uptime
cat copies/* > /dev/null
farm-bench -n 20 --timeout 600 --vs "sh warm.sh 1" -- sh warm.sh 2
farm-bench -n 20 --timeout 600 --vs "sh warm.sh 2" -- sh warm.sh 4
farm-bench -n 5 -- sh -c 'exec python3 evict.py copies/*'
farm-bench -n 10 --timeout 600 --vs "sh cold.sh 1" -- sh cold.sh 2
farm-bench -n 10 --timeout 600 --vs "sh cold.sh 2" -- sh cold.sh 8
farm-bench -n 10 -- sh -c 'python3 evict.py copies/*; exec cat copies/* > /dev/null'
uptime
