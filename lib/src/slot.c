/* The default slot of a module, used when the module does not define its own
 * (buildinfo_stamp(SLOT_SIZE) generates one with another capacity). */
#include "buildinfo/slot_layout.h"

#ifndef BUILDINFO_SLOT_CAPACITY
#define BUILDINFO_SLOT_CAPACITY BUILDINFO_DEFAULT_CAPACITY
#endif

BUILDINFO_DEFINE_SLOT(BUILDINFO_SLOT_CAPACITY);
