// release_after_exit (see background_release.h).
#include "support/background_release.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace buildinfo {

void release_after_exit(int fd) noexcept {
  int exited[2];
  if (::pipe2(exited, O_CLOEXEC) != 0) return;
  const pid_t child = ::fork();
  if (child < 0) {
    ::close(exited[0]);
    ::close(exited[1]);
    return;
  }
  if (child == 0) {
    // A grandchild does the waiting, so that this process is never a
    // zombie of ours; only async-signal-safe calls after fork().
    if (::fork() != 0) ::_exit(0);
    ::setsid();
    ::close(exited[1]);
    for (int stream = 0; stream <= 2; ++stream) ::close(stream);
    char byte = 0;
    while (::read(exited[0], &byte, 1) < 0) {
    }
    (void)fd;  // held until now; closed, with the mappings, by _exit
    ::_exit(0);
  }
  ::close(exited[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  // exited[1] stays open until this process ends: its closing wakes the
  // grandchild.
}

}  // namespace buildinfo
