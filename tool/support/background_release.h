// Freeing a replaced file, and the stamp's own memory, off the critical
// path. When a stamp renames its copy over the original, the original's
// inode loses its last name; the kernel frees its blocks and drops its
// pages from the page cache when the last descriptor or mapping of it
// goes: about 20 ms for 100 MB on ext4, and 0.3 ms for lz4's 360 KB
// (docs/PERFORMANCE.md). Then the process's exit unmaps its memory. A
// child that holds both until this process has exited moves that work out
// of the stamp's wall time: the build goes on while the kernel frees them.
#pragma once

namespace buildinfo {

// Starts a child that shares this process's memory and holds `fd` until
// this process exits, then exits itself. The child keeps no standard
// stream open, so a build tool that waits for the stamp's output does not
// wait for it. Does nothing where there is no child to be had, and under
// valgrind, which cannot run such a child (then the file is freed at exit,
// as it would be anyway); Linux only.
void release_after_exit(int fd) noexcept;

}  // namespace buildinfo
