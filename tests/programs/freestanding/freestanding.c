/* A freestanding test program with a buildinfo slot: no libc, no SDK, so it
 * links with ld64.lld on any host (entry symbol `start`, `_start` in
 * Mach-O). It cannot run here; the e2e tests stamp, inspect and check its
 * code-signature page hashes, and tests/fuzz/make_corpus.sh builds its seed
 * binaries of every format from it, with a smaller slot. */
#include "buildinfo/slot_layout.h"

#ifndef FREESTANDING_SLOT_CAPACITY
#define FREESTANDING_SLOT_CAPACITY BUILDINFO_DEFAULT_CAPACITY
#endif

BUILDINFO_DEFINE_SLOT(FREESTANDING_SLOT_CAPACITY);

/* Keeps the slot referenced from the entry point, so dead-stripping cannot
 * drop it even without `used`. The volatile sink stops the compiler from
 * folding the read into a constant. */
volatile unsigned char buildinfo_sink;

void start(void) {
  uint32_t capacity = 0;
  const unsigned char* slot = buildinfo_slot_bytes(&capacity);
  buildinfo_sink = slot[capacity - 1];
  for (;;) {
  }
}
