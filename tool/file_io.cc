// Whole-file reads and atomic replacement (temporary file + fsync + rename).
#include "file_io.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <iterator>

#include "error.h"

namespace buildinfo {
namespace {

Error io_error(const std::string& path, const std::string& what, int err) {
  return Error(ExitCode::bad_input, path + ": " + what + ": " + std::strerror(err));
}

// Closes a descriptor when it goes out of scope.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

void write_all(int fd, const uint8_t* data, uint64_t size, const std::string& path) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size > (uint64_t{1} << 30) ? (uint64_t{1} << 30) : size);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw io_error(path, "cannot write", errno);
    }
    data += n;
    size -= static_cast<uint64_t>(n);
  }
}

// While a temporary file exists, SIGINT, SIGTERM and SIGHUP remove it before
// the process dies of the signal: an interrupted stamp leaves the original
// and nothing else. (SIGKILL cannot be caught; the original survives it too,
// beside a stray temporary file.)
char g_temporary_path[PATH_MAX];
volatile sig_atomic_t g_temporary_active = 0;
constexpr int kCleanupSignals[] = {SIGINT, SIGTERM, SIGHUP};

extern "C" void remove_temporary_and_reraise(int signal_number) {
  if (g_temporary_active) ::unlink(g_temporary_path);  // async-signal-safe
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

class InterruptCleanup {
 public:
  explicit InterruptCleanup(const std::string& temporary_path) {
    std::strncpy(g_temporary_path, temporary_path.c_str(), sizeof g_temporary_path - 1);
    g_temporary_active = 1;
    struct sigaction action {};
    action.sa_handler = remove_temporary_and_reraise;
    sigemptyset(&action.sa_mask);
    for (size_t i = 0; i < std::size(kCleanupSignals); ++i) ::sigaction(kCleanupSignals[i], &action, &previous_[i]);
  }
  ~InterruptCleanup() {
    for (size_t i = 0; i < std::size(kCleanupSignals); ++i) ::sigaction(kCleanupSignals[i], &previous_[i], nullptr);
    g_temporary_active = 0;
  }
  InterruptCleanup(const InterruptCleanup&) = delete;
  InterruptCleanup& operator=(const InterruptCleanup&) = delete;

 private:
  struct sigaction previous_[std::size(kCleanupSignals)] {};
};

std::string directory_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

std::vector<uint8_t> read_binary_file(const std::string& path) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) throw io_error(path, "cannot open", errno);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) throw io_error(path, "cannot stat", errno);
  if (S_ISDIR(st.st_mode)) throw Error(ExitCode::bad_input, path + ": is a directory, not a binary");
  if (!S_ISREG(st.st_mode)) throw Error(ExitCode::bad_input, path + ": not a regular file");
  if (st.st_size == 0) throw Error(ExitCode::bad_input, path + ": file is empty");
  if (static_cast<uint64_t>(st.st_size) > kMaxInputSize)
    throw Error(ExitCode::bad_input, path + ": file is " + std::to_string(st.st_size) + " bytes, larger than the " +
                                         std::to_string(kMaxInputSize) + "-byte limit");
  std::vector<uint8_t> bytes(static_cast<size_t>(st.st_size));
  uint64_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::read(fd.get(), bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw io_error(path, "cannot read", errno);
    }
    if (n == 0) throw Error(ExitCode::bad_input, path + ": file shrank while being read");
    done += static_cast<uint64_t>(n);
  }
  return bytes;
}

void replace_file_atomically(const std::string& path, const std::vector<uint8_t>& bytes) {
  char resolved[PATH_MAX];
  if (::realpath(path.c_str(), resolved) == nullptr) throw io_error(path, "cannot resolve path", errno);
  const std::string target = resolved;
  struct stat st {};
  if (::stat(target.c_str(), &st) != 0) throw io_error(path, "cannot stat", errno);

  const std::string directory = directory_of(target);
  std::string temp = directory + "/." + target.substr(directory.size() + 1) + ".buildinfo-XXXXXX";
  FileDescriptor fd(::mkstemp(temp.data()));
  if (fd.get() < 0) throw io_error(path, "cannot create a temporary file in " + directory, errno);
  try {
    const InterruptCleanup cleanup(temp);
    if (::fchmod(fd.get(), st.st_mode & 07777) != 0) throw io_error(path, "cannot set the file mode", errno);
    // Keep the owner when we may (as root); an ordinary user owns the file anyway.
    if (::fchown(fd.get(), st.st_uid, st.st_gid) != 0 && errno != EPERM)
      throw io_error(path, "cannot set the owner", errno);
    write_all(fd.get(), bytes.data(), bytes.size(), path);  // errors name the user's file
    if (::fsync(fd.get()) != 0) throw io_error(path, "cannot flush", errno);
    if (::close(fd.release()) != 0) throw io_error(path, "cannot close", errno);
    if (::rename(temp.c_str(), target.c_str()) != 0) throw io_error(path, "cannot replace", errno);
  } catch (...) {
    ::unlink(temp.c_str());
    throw;
  }
  // Make the rename itself durable.
  FileDescriptor dir(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() >= 0) ::fsync(dir.get());
}

}  // namespace buildinfo

namespace buildinfo {

void replace_file_atomically_or_create(const std::string& path, const std::vector<uint8_t>& bytes) {
  // An empty placeholder gives the replacement a mode and a directory to
  // resolve; the content still arrives by rename.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd >= 0) ::close(fd);
  else if (errno != EEXIST) throw io_error(path, "cannot create", errno);
  replace_file_atomically(path, bytes);
}

}  // namespace buildinfo
