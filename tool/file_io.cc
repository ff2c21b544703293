// Reading small text files; atomic replacement of files (temporary file +
// fsync + rename).
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
#include <utility>

#include "error.h"

namespace buildinfo {
namespace {

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

 private:
  int fd_;
};

// Starts writing the file's dirty pages to the disk without waiting, so the
// fsync in commit() finds most of them written (Linux); elsewhere, flushes.
void start_writeback(int fd, const std::string& path) {
#if defined(__linux__)
  if (::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE) == 0) return;
#endif
  if (::fsync(fd) != 0) throw io_error(path, "cannot flush", errno);
}

void pwrite_all(int fd, ByteView bytes, uint64_t offset, const std::string& path) {
  const uint8_t* data = bytes.data();
  uint64_t size = bytes.size();
  while (size > 0) {
    const ssize_t n = ::pwrite(fd, data, size > (uint64_t{1} << 30) ? (uint64_t{1} << 30) : size,
                               static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw io_error(path, "cannot write", errno);
    }
    data += n;
    offset += static_cast<uint64_t>(n);
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
struct sigaction g_previous_actions[std::size(kCleanupSignals)];

extern "C" void remove_temporary_and_reraise(int signal_number) {
  remove_temporary_file_after_signal();
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

void arm_interrupt_cleanup(const std::string& temporary_path) {
  std::strncpy(g_temporary_path, temporary_path.c_str(), sizeof g_temporary_path - 1);
  g_temporary_active = 1;
  struct sigaction action {};
  action.sa_handler = remove_temporary_and_reraise;
  sigemptyset(&action.sa_mask);
  for (size_t i = 0; i < std::size(kCleanupSignals); ++i)
    ::sigaction(kCleanupSignals[i], &action, &g_previous_actions[i]);
}

void disarm_interrupt_cleanup() {
  for (size_t i = 0; i < std::size(kCleanupSignals); ++i)
    ::sigaction(kCleanupSignals[i], &g_previous_actions[i], nullptr);
  g_temporary_active = 0;
}

std::string directory_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

std::string read_text_file(const std::string& path) {
  constexpr uint64_t kMaxTextSize = 1 << 20;
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) throw io_error(path, "cannot open", errno);
  std::string text;
  char chunk[4096];
  for (;;) {
    const ssize_t n = ::read(fd.get(), chunk, sizeof chunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw io_error(path, "cannot read", errno);
    }
    if (n == 0) return text;
    text.append(chunk, static_cast<size_t>(n));
    if (text.size() > kMaxTextSize) throw Error(ExitCode::bad_input, path + ": larger than 1 MiB, too large for a state file");
  }
}

void remove_temporary_file_after_signal() noexcept {
  if (g_temporary_active) ::unlink(g_temporary_path);  // async-signal-safe
}

FileReplacement::FileReplacement(const std::string& path, ByteView contents) : path_(path) {
  char resolved[PATH_MAX];
  if (::realpath(path.c_str(), resolved) == nullptr) throw io_error(path, "cannot resolve path", errno);
  target_ = resolved;
  struct stat st {};
  if (::stat(target_.c_str(), &st) != 0) throw io_error(path, "cannot stat", errno);
  original_mtime_ = st.st_mtim;

  directory_ = directory_of(target_);
  temporary_ = directory_ + "/." + target_.substr(directory_.size() + 1) + ".buildinfo-XXXXXX";
  fd_ = ::mkstemp(temporary_.data());
  if (fd_ < 0) throw io_error(path, "cannot create a temporary file in " + directory_, errno);
  arm_interrupt_cleanup(temporary_);
  try {
    if (::fchmod(fd_, st.st_mode & 07777) != 0) throw io_error(path, "cannot set the file mode", errno);
    // Keep the owner when we may (as root); an ordinary user owns the file anyway.
    if (::fchown(fd_, st.st_uid, st.st_gid) != 0 && errno != EPERM)
      throw io_error(path, "cannot set the owner", errno);
  } catch (...) {
    discard();
    throw;
  }
  // The bulk of the bytes is written, and its write-back to the disk
  // started, while the caller computes its patches.
  writer_ = std::thread([this, contents] {
    try {
      pwrite_all(fd_, contents, 0, path_);  // errors name the user's file
      start_writeback(fd_, path_);
    } catch (...) {
      writer_error_ = std::current_exception();
    }
  });
}

FileReplacement::~FileReplacement() {
  if (!committed_) discard();
}

void FileReplacement::discard() noexcept {
  if (writer_.joinable()) writer_.join();
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  ::unlink(temporary_.c_str());
  disarm_interrupt_cleanup();
}

void FileReplacement::commit(const std::vector<Patch>& patches) {
  try {
    writer_.join();
    if (writer_error_) std::rethrow_exception(writer_error_);
    for (const Patch& patch : patches) pwrite_all(fd_, patch.bytes, patch.offset, path_);
    if (keep_timestamp_) set_times();
    if (::fsync(fd_) != 0) throw io_error(path_, "cannot flush", errno);
    if (::close(std::exchange(fd_, -1)) != 0) throw io_error(path_, "cannot close", errno);
    if (::rename(temporary_.c_str(), target_.c_str()) != 0) throw io_error(path_, "cannot replace", errno);
  } catch (...) {
    discard();
    throw;
  }
  committed_ = true;
  disarm_interrupt_cleanup();
  // Make the rename itself durable.
  FileDescriptor dir(::open(directory_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() >= 0) ::fsync(dir.get());
}

void FileReplacement::set_times() const {
  struct timespec times[2];
  times[0].tv_sec = 0;
  times[0].tv_nsec = UTIME_OMIT;  // access time: the new file's own
  times[1] = original_mtime_;
  if (times[1].tv_nsec == 0) {
    times[1].tv_nsec = 999999999;
    --times[1].tv_sec;
  } else {
    --times[1].tv_nsec;
  }
  if (::futimens(fd_, times) != 0) throw io_error(path_, "cannot set the modification time", errno);
  struct stat st {};
  if (::fstat(fd_, &st) != 0) throw io_error(path_, "cannot stat", errno);
  if (st.st_mtim.tv_sec != times[1].tv_sec || st.st_mtim.tv_nsec != times[1].tv_nsec) {
    times[1] = original_mtime_;  // the step was rounded away
    if (::futimens(fd_, times) != 0) throw io_error(path_, "cannot set the modification time", errno);
  }
}

void replace_file_atomically(const std::string& path, const std::vector<uint8_t>& bytes) {
  FileReplacement replacement(path, ByteView(bytes.data(), bytes.size()));
  replacement.commit({});
}

void replace_file_atomically_or_create(const std::string& path, const std::vector<uint8_t>& bytes) {
  // An empty placeholder gives the replacement a mode and a directory to
  // resolve; the content still arrives by rename.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd >= 0) ::close(fd);
  else if (errno != EEXIST) throw io_error(path, "cannot create", errno);
  replace_file_atomically(path, bytes);
}

}  // namespace buildinfo
