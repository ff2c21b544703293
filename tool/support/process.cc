// posix_spawn with pipes for stdin and stdout.
#include "support/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "support/error.h"

extern char** environ;

namespace buildinfo {

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input, ChildStderr stderr_mode) {
  if (argv.empty()) throw Error(ErrorKind::bad_input, "empty command");
  int to_child[2], from_child[2];
  if (::pipe2(to_child, O_CLOEXEC) != 0) throw Error(ErrorKind::internal, "cannot create a pipe");
  if (::pipe2(from_child, O_CLOEXEC) != 0) {
    ::close(to_child[0]);
    ::close(to_child[1]);
    throw Error(ErrorKind::internal, "cannot create a pipe");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, to_child[0], 0);
  posix_spawn_file_actions_adddup2(&actions, from_child[1], 1);
  if (stderr_mode == ChildStderr::merge) posix_spawn_file_actions_adddup2(&actions, from_child[1], 2);
  if (stderr_mode == ChildStderr::discard) posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);

  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawn_error = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(to_child[0]);
  ::close(from_child[1]);
  if (spawn_error != 0) {
    ::close(to_child[1]);
    ::close(from_child[0]);
    throw Error(ErrorKind::bad_input, "cannot run '" + argv[0] + "': " + std::strerror(spawn_error));
  }

  // Feed stdin and drain stdout together so neither pipe can fill and block.
  ProcessResult result;
  size_t written = 0;
  int in_fd = to_child[1];
  if (input.empty()) {
    ::close(in_fd);
    in_fd = -1;
  }
  const sighandler_t old_pipe = ::signal(SIGPIPE, SIG_IGN);
  for (;;) {
    pollfd fds[2] = {{from_child[0], POLLIN, 0}, {in_fd, POLLOUT, 0}};
    if (::poll(fds, in_fd >= 0 ? 2 : 1, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (in_fd >= 0 && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
      const ssize_t n = ::write(in_fd, input.data() + written, input.size() - written);
      if (n > 0) written += static_cast<size_t>(n);
      if (n < 0 || written == input.size()) {
        ::close(in_fd);
        in_fd = -1;
      }
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      char buffer[4096];
      const ssize_t n = ::read(from_child[0], buffer, sizeof buffer);
      if (n > 0)
        result.output.append(buffer, static_cast<size_t>(n));
      else if (n == 0 || errno != EINTR)
        break;
    }
  }
  ::signal(SIGPIPE, old_pipe);
  if (in_fd >= 0) ::close(in_fd);
  ::close(from_child[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace buildinfo
