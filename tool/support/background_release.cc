// release_after_exit (see background_release.h).
#include "support/background_release.h"

#if defined(__linux__) && (defined(__x86_64__) || defined(__aarch64__))
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>

#include "support/linux_system_call.h"

namespace buildinfo {
namespace {

// What a child needs, at the foot of its own stack: set before it starts
// and not touched by this process after.
struct Holder {
  int exited;         // read end: end of file once this process has exited
  int exited_writer;  // this process's end, which the child must not hold
};

constexpr size_t kStackBytes = 16384;

// The child. It shares this process's memory and runs beside its threads
// with their thread pointer, so it makes its system calls itself: the C
// library's would set their errno. Every signal is blocked for it.
__attribute__((no_sanitize_address)) int hold_until_exit(void* argument) {
  namespace sys = linux_system;
  const Holder holder = *static_cast<const Holder*>(argument);
  sys::call(__NR_close, holder.exited_writer);
  for (int stream = 0; stream <= 2; ++stream) sys::call(__NR_close, stream);
  char byte = 0;
  while (sys::call(__NR_read, holder.exited, reinterpret_cast<long>(&byte), 1) < 0) {
  }
  for (;;) sys::call(__NR_exit_group, 0);
}

// Valgrind runs only the clone() calls of a thread library and of fork:
// any other ends the whole process, the stamp's exit code with it. Its
// launcher preloads its core into every program it runs.
bool under_valgrind() {
  const char* preload = std::getenv("LD_PRELOAD");
  return preload != nullptr && std::strstr(preload, "/vgpreload_core-") != nullptr;
}

}  // namespace

void release_after_exit(int /*fd*/) noexcept {
  if (under_valgrind()) return;
  // A stack of its own for each child (restamp starts one per file); it
  // is the child's until the end, so it is never unmapped here.
  void* stack = ::mmap(nullptr, kStackBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stack == MAP_FAILED) return;
  int exited[2];
  if (::pipe2(exited, O_CLOEXEC) != 0) {
    ::munmap(stack, kStackBytes);
    return;
  }
  Holder* holder = new (stack) Holder{exited[0], exited[1]};
  sigset_t all, previous;
  ::sigfillset(&all);
  ::pthread_sigmask(SIG_SETMASK, &all, &previous);
  // CLONE_VM: no copy of the page tables, and this process's memory is
  // unmapped when the child ends, not when this process does. The child
  // has a copy of the descriptor table, `fd` in it; SIGCHLD makes it an
  // ordinary child, which whoever inherits it reaps.
  const int child = ::clone(hold_until_exit, static_cast<char*>(stack) + kStackBytes, CLONE_VM | SIGCHLD, holder);
  ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  ::close(exited[0]);
  // exited[1] stays open until this process ends: its closing wakes the
  // child. Without a child the file is freed at exit, as it would be anyway.
  if (child < 0) {
    ::close(exited[1]);
    ::munmap(stack, kStackBytes);
  }
}

}  // namespace buildinfo
#else
namespace buildinfo {
void release_after_exit(int) noexcept {}  // freed at exit
}  // namespace buildinfo
#endif
