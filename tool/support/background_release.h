// Freeing a large replaced file off the critical path. When a stamp renames
// its copy over the original, the original's inode loses its last name;
// the kernel frees its blocks and drops its pages from the page cache when
// the last descriptor or mapping of it goes, which for 100 MB on ext4 takes
// about 20 ms (docs/PERFORMANCE.md), a fifth of the whole stamp. A child
// process that inherits the descriptor and closes it only once this process
// has exited moves that cost out of the stamp's wall time: the build goes
// on while the kernel frees the file.
#pragma once

namespace buildinfo {

// Forks a child that holds `fd` (and this process's mappings) until this
// process exits, then exits itself. The child keeps no standard stream
// open, so a build tool that waits for the stamp's output does not wait
// for it. Does nothing if the fork fails: the file is then freed at exit.
void release_after_exit(int fd) noexcept;

}  // namespace buildinfo
