/* One-time results without locks: the first caller to finish publishes its
 * result and later callers read it; a thread that loses the race frees its
 * own copy. No pthread_once or C++ static guard, so the runtime needs
 * nothing beyond the C library. Internal to the runtime. */
#ifndef BUILDINFO_PUBLISH_ONCE_H
#define BUILDINFO_PUBLISH_ONCE_H

#include <stdlib.h>

#if !defined(__GNUC__) && !defined(__clang__)
#error "the buildinfo runtime needs GCC or Clang atomic builtins"
#endif

/* The published value, or NULL before the first publication. */
static inline void* buildinfo_published(void* const* slot) { return __atomic_load_n(slot, __ATOMIC_ACQUIRE); }

/* Publishes `fresh` (malloc'd) unless another thread did first; returns
 * the value that stays published, freeing `fresh` when it lost. */
static inline void* buildinfo_publish(void** slot, void* fresh) {
  void* expected = NULL;
  if (__atomic_compare_exchange_n(slot, &expected, fresh, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) return fresh;
  free(fresh);
  return expected;
}

#endif /* BUILDINFO_PUBLISH_ONCE_H */
