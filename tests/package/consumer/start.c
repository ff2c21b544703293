/* A freestanding entry point (C's `start` is the Mach-O symbol _start); the
 * slot comes from buildinfo_stamp(). */
void start(void) {
  for (;;) {
  }
}
