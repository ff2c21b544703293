// Reading small text files; atomic replacement of files (temporary file +
// fsync + rename; see file_io.h for what a killed replacement can leave).
#include "support/file_io.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <pthread.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <utility>

#include "support/error.h"
#include "support/path.h"

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

// Contents this large are flushed to the disk (its cache too) on the
// writer's thread, beside the caller's digest: on the machine of
// docs/PERFORMANCE.md that flush can take as long as the digest. Smaller
// ones only have their write-back started, as a flush of their own would
// cost more than it could overlap.
constexpr uint64_t kFlushBesideFrom = 1u << 20;

// The writer's part of putting `size` bytes of the file on the disk, so
// that the fsync in commit() finds little left to do: a flush, or for
// small contents on Linux the write-back started without waiting.
void put_on_disk_beside(int fd, uint64_t size, const std::string& path) {
#if defined(__linux__)
  if (size < kFlushBesideFrom && ::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE) == 0) return;
#endif
  if (::fdatasync(fd) != 0) throw io_error(path, "cannot flush", errno);
}

void pwrite_all(int fd, ByteView bytes, uint64_t offset, const std::string& path) {
  const uint8_t* data = bytes.data();
  uint64_t size = bytes.size();
  while (size > 0) {
    const ssize_t n =
        ::pwrite(fd, data, size > (uint64_t{1} << 30) ? (uint64_t{1} << 30) : size, static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw io_error(path, "cannot write", errno);
    }
    data += n;
    offset += static_cast<uint64_t>(n);
    size -= static_cast<uint64_t>(n);
  }
}

// Copies `size` bytes from the start of `from` to `to` inside the kernel,
// page cache to page cache (Linux copy_file_range). False when the kernel
// or the file systems cannot, before anything is written; then the caller
// writes the bytes itself.
bool copy_in_kernel(int from, int to, uint64_t size, const std::string& path) {
#if defined(__linux__)
  loff_t in = 0, out = 0;
  while (static_cast<uint64_t>(out) < size) {
    const ssize_t n = ::copy_file_range(from, &in, to, &out, size - static_cast<uint64_t>(out), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && out == 0 && (errno == ENOSYS || errno == EXDEV || errno == EINVAL || errno == EOPNOTSUPP))
      return false;
    if (n < 0) throw io_error(path, "cannot write", errno);
    if (n == 0) throw Error(ErrorKind::bad_input, path, "became shorter while it was copied");
  }
  return true;
#else
  (void)from, (void)to, (void)size, (void)path;
  return false;
#endif
}

// Contents this large are written past the page cache (write_direct).
constexpr uint64_t kDirectWriteFrom = 16u << 20;

// Writes `contents` into the empty file `fd` past the page cache (Linux
// O_DIRECT), from the caller's pages (the original's mapping, which holds
// them in its page cache already). The bytes go to the disk once, as the
// fsync in commit() needs them there anyway, without a second copy of them
// in memory: on the machine of docs/PERFORMANCE.md, filling 100 MB of new
// page-cache pages took 200 to 580 ms, this 37 to 50 ms. The cost is that
// the new file starts out of the page cache. Whole pages go direct, a last
// partial page through the page cache. False, with nothing written, where
// the file system (EINVAL) or the buffer's alignment does not allow it.
bool write_direct(int fd, ByteView contents, const std::string& path) {
#if defined(__linux__) && defined(O_DIRECT)
  constexpr uint64_t kPage = 4096;       // a multiple of the usual logical block sizes
  constexpr uint64_t kChunk = 8u << 20;  // measured: 37 ms for 100 MB, 1 MiB chunks 44 ms
  if (reinterpret_cast<uintptr_t>(contents.data()) % kPage != 0) return false;
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_DIRECT) != 0) return false;
  const uint64_t whole = contents.size() / kPage * kPage;
  uint64_t done = 0;
  while (done < whole && done % kPage == 0) {  // after a short write, the rest goes buffered
    const uint64_t chunk = whole - done < kChunk ? whole - done : kChunk;
    const ssize_t n = ::pwrite(fd, contents.data() + done, chunk, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EINVAL && done == 0) {  // a device whose blocks are larger than a page
      ::fcntl(fd, F_SETFL, flags);
      return false;
    }
    // The mapping reaches past the end of an original that was truncated.
    if (n < 0 && errno == EFAULT) throw Error(ErrorKind::bad_input, path, "became shorter while it was copied");
    if (n <= 0) throw io_error(path, "cannot write", n < 0 ? errno : ENOSPC);
    done += static_cast<uint64_t>(n);
  }
  if (::fcntl(fd, F_SETFL, flags) != 0) throw io_error(path, "cannot write", errno);
  pwrite_all(fd, ByteView(contents.data() + done, contents.size() - done), done, path);
  return true;
#else
  (void)fd, (void)contents, (void)path;
  return false;
#endif
}

// While a temporary file has a name, SIGINT, SIGTERM and SIGHUP remove it
// before the process dies of the signal: an interrupted stamp leaves the
// original and nothing else. (An unnamed O_TMPFILE file needs no handler:
// the kernel frees it with the process. SIGKILL cannot be caught; what it
// can leave is removed by the next replacement, see
// remove_abandoned_temporaries.)
char g_temporary_path[PATH_MAX];
volatile sig_atomic_t g_temporary_active = 0;
constexpr int kCleanupSignals[] = {SIGINT, SIGTERM, SIGHUP};
struct sigaction g_previous_actions[std::size(kCleanupSignals)];
bool g_handlers_installed = false;

extern "C" void remove_temporary_and_reraise(int signal_number) {
  remove_temporary_file_after_signal();
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

void arm_interrupt_cleanup(const std::string& temporary_path) {
  g_temporary_active = 0;
  std::strncpy(g_temporary_path, temporary_path.c_str(), sizeof g_temporary_path - 1);
  g_temporary_active = 1;
  if (g_handlers_installed) return;
  struct sigaction action {};
  action.sa_handler = remove_temporary_and_reraise;
  sigemptyset(&action.sa_mask);
  for (size_t i = 0; i < std::size(kCleanupSignals); ++i)
    ::sigaction(kCleanupSignals[i], &action, &g_previous_actions[i]);
  g_handlers_installed = true;
}

void disarm_interrupt_cleanup() {
  if (g_handlers_installed)
    for (size_t i = 0; i < std::size(kCleanupSignals); ++i)
      ::sigaction(kCleanupSignals[i], &g_previous_actions[i], nullptr);
  g_handlers_installed = false;
  g_temporary_active = 0;
}

// Holds SIGINT, SIGTERM and SIGHUP back from this thread while it exists
// (around the link and the rename: a signal then takes effect before the
// temporary file has a name or after the replacement is complete).
class CleanupSignalsBlocked {
 public:
  CleanupSignalsBlocked() {
    sigset_t blocked;
    sigemptyset(&blocked);
    for (int signal_number : kCleanupSignals) sigaddset(&blocked, signal_number);
    ::pthread_sigmask(SIG_BLOCK, &blocked, &previous_);
  }
  ~CleanupSignalsBlocked() { ::pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
  CleanupSignalsBlocked(const CleanupSignalsBlocked&) = delete;
  CleanupSignalsBlocked& operator=(const CleanupSignalsBlocked&) = delete;

 private:
  sigset_t previous_;
};

// The name of a temporary file is PREFIX followed by six letters or digits
// (as mkstemp makes them), PREFIX being ".NAME.buildinfo-" for a target
// NAME, shortened so that the whole name fits NAME_MAX.
constexpr size_t kSuffixLength = 6;
constexpr char kSuffixCharacters[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

std::string temporary_prefix(const std::string& name) {
  const std::string tail = ".buildinfo-";
  const size_t room = NAME_MAX - kSuffixLength - tail.size() - 1;
  return "." + name.substr(0, room) + tail;
}

bool is_temporary_name(const char* name, const std::string& prefix) {
  const size_t length = std::strlen(name);
  if (length != prefix.size() + kSuffixLength || std::strncmp(name, prefix.c_str(), prefix.size()) != 0) return false;
  for (size_t i = prefix.size(); i < length; ++i)
    if (std::strchr(kSuffixCharacters, name[i]) == nullptr) return false;
  return true;
}

// getrandom(2) in one call: std::random_device costs more to set up than a
// small stamp takes to write (bench/).
std::string random_suffix() {
  unsigned char bytes[kSuffixLength];
  if (::getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes)) {
    std::random_device random;
    for (unsigned char& byte : bytes) byte = static_cast<unsigned char>(random());
  }
  std::string suffix;
  for (const unsigned char byte : bytes) suffix += kSuffixCharacters[byte % (sizeof kSuffixCharacters - 1)];
  return suffix;
}

bool same_file(const struct stat& a, const struct stat& b) { return a.st_dev == b.st_dev && a.st_ino == b.st_ino; }

// Takes the stamper's lock on its temporary file: flock() an exclusive lock,
// which the kernel releases when the last descriptor of the open file is
// closed, that is when the stamper finishes or dies (SIGKILL included).
// Where locks are not supported, the file stays unlocked; then no cleaner
// can lock it either and none removes it.
void lock_temporary(int fd) {
  while (::flock(fd, LOCK_EX) != 0 && errno == EINTR) {
  }
}

// Removes the temporary files of `prefix` in `directory` that no live
// stamper holds: a regular file whose lock we get is one whose stamper
// died (a live one holds its lock until its rename is done). The name is
// removed only if it still names the file we locked. Best effort: what
// cannot be opened, locked or removed (another user's file, a file system
// without locks) is left.
void remove_abandoned_temporaries(const std::string& directory, const std::string& prefix) noexcept {
  DIR* dir = ::opendir(directory.c_str());
  if (dir == nullptr) return;
  const int dir_fd = ::dirfd(dir);
  while (const dirent* entry = ::readdir(dir)) {
    if (!is_temporary_name(entry->d_name, prefix)) continue;
    // O_RDWR where allowed: an exclusive lock over NFS needs a writable
    // descriptor. O_NONBLOCK: a FIFO of that name must not block the open.
    constexpr int kFlags = O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
    int fd = ::openat(dir_fd, entry->d_name, O_RDWR | kFlags);
    if (fd < 0) fd = ::openat(dir_fd, entry->d_name, O_RDONLY | kFlags);
    if (fd < 0) continue;
    struct stat opened {
    }, named{};
    if (::fstat(fd, &opened) == 0 && S_ISREG(opened.st_mode) && ::flock(fd, LOCK_EX | LOCK_NB) == 0 &&
        ::fstatat(dir_fd, entry->d_name, &named, AT_SYMLINK_NOFOLLOW) == 0 && same_file(opened, named))
      ::unlinkat(dir_fd, entry->d_name, 0);
    ::close(fd);
  }
  ::closedir(dir);
}

std::string octal_mode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
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
    if (text.size() > kMaxTextSize)
      throw Error(ErrorKind::bad_input, path, "larger than 1 MiB, too large for a state file");
  }
}

void remove_temporary_file_after_signal() noexcept {
  if (g_temporary_active) ::unlink(g_temporary_path);  // async-signal-safe
}

FileReplacement::FileReplacement(const std::string& path, ByteView contents, int clone_from) : path_(path) {
  char resolved[PATH_MAX];
  if (::realpath(path.c_str(), resolved) == nullptr) throw io_error(path, "cannot resolve path", errno);
  target_ = resolved;
  struct stat st {};
  if (::stat(target_.c_str(), &st) != 0) throw io_error(path, "cannot stat", errno);
  original_mtime_ = st.st_mtim;
  mode_ = st.st_mode & 07777;
  original_links_ = st.st_nlink;

  directory_ = parent_directory(target_);
  prefix_ = temporary_prefix(target_.substr(directory_.size() + (directory_ == "/" ? 0 : 1)));
  remove_abandoned_temporaries(directory_, prefix_);
  create_temporary();
  try {
    keep_owner(st.st_uid, st.st_gid);
  } catch (...) {
    discard();
    throw;
  }
  // On a file system with reflinks (XFS, btrfs) the copy shares the
  // original's blocks: nothing is copied, and only the patches are written.
  if (clone_from >= 0 && ::ioctl(fd_, FICLONE, clone_from) == 0) return;
  // Elsewhere the bulk of the bytes is written and put on the disk (from
  // 1 MiB on; below, its write-back only started) while the caller computes
  // its patches: large contents straight to the disk; smaller ones in the
  // kernel when it can (a pwrite() from the mapping of a file just written
  // reads its pages 4 KB at a time, docs/PERFORMANCE.md).
  writer_ = std::thread([this, contents, clone_from] {
    try {
      const bool direct = contents.size() >= kDirectWriteFrom && write_direct(fd_, contents, path_);
      if (!direct && (clone_from < 0 || !copy_in_kernel(clone_from, fd_, contents.size(), path_)))
        pwrite_all(fd_, contents, 0, path_);  // errors name the user's file
      put_on_disk_beside(fd_, contents.size(), path_);
    } catch (...) {
      writer_error_ = std::current_exception();
    }
  });
}

FileReplacement::~FileReplacement() {
  if (!committed_) discard();
}

void FileReplacement::create_temporary() {
  const std::string failure = "cannot create a temporary file in " + directory_;
#if defined(O_TMPFILE)
  // Linking an unnamed file needs CAP_DAC_READ_SEARCH (AT_EMPTY_PATH) or
  // /proc/self/fd; without either, the file gets its name at once.
  if (::access("/proc/self/fd", X_OK) == 0 || ::geteuid() == 0) {
    fd_ = ::open(directory_.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd_ >= 0) {
      anonymous_ = true;
      lock_temporary(fd_);
      return;
    }
    // Not supported by this file system (EOPNOTSUPP) or kernel (EISDIR,
    // EINVAL): fall back to a named file. Other errors are the directory's.
    if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL) throw io_error(path_, failure, errno);
  }
#endif
  // A cleaner may see the new name before it is locked, take it for
  // abandoned and remove it; the name is then checked once locked, and a
  // removed file is made again.
  for (int attempt = 0; attempt < 100; ++attempt) {
    temporary_ = directory_ + "/" + prefix_ + std::string(kSuffixLength, 'X');
    {
      const CleanupSignalsBlocked blocked;  // until the handler knows the name
      fd_ = ::mkostemp(temporary_.data(), O_CLOEXEC);
      if (fd_ < 0) {
        temporary_.clear();
        throw io_error(path_, failure, errno);
      }
      arm_interrupt_cleanup(temporary_);
    }
    lock_temporary(fd_);
    struct stat opened {
    }, named{};
    if (::fstat(fd_, &opened) == 0 && ::lstat(temporary_.c_str(), &named) == 0 && same_file(opened, named)) return;
    ::close(std::exchange(fd_, -1));
    temporary_.clear();
    disarm_interrupt_cleanup();
  }
  throw Error(ErrorKind::bad_input, path_, failure + ": it was removed as soon as it was created, 100 times");
}

// Keeps the owner and the group when we may (as root, or an owner who is in
// the file's group); otherwise the file would pass to whoever stamps it,
// so the stamp is refused.
void FileReplacement::keep_owner(uid_t uid, gid_t gid) {
  if (::fchown(fd_, uid, gid) != 0 && errno != EPERM) throw io_error(path_, "cannot set the owner", errno);
  struct stat st {};
  if (::fstat(fd_, &st) != 0) throw io_error(path_, "cannot stat", errno);
  if (st.st_uid != uid || st.st_gid != gid)
    throw Error(ErrorKind::bad_input, path_,
                "cannot keep its owner and group (" + std::to_string(uid) + ":" + std::to_string(gid) +
                    "); stamp it as its owner (a member of its group) or as root");
}

// The whole mode, after the last write: write() and fchown() clear the
// set-user-ID and set-group-ID bits. fchmod() silently drops set-group-ID
// for a caller outside the file's group, hence the check.
void FileReplacement::keep_mode() {
  if (::fchmod(fd_, mode_) != 0) throw io_error(path_, "cannot set the file mode", errno);
  struct stat st {};
  if (::fstat(fd_, &st) != 0) throw io_error(path_, "cannot stat", errno);
  if ((st.st_mode & 07777) != mode_)
    throw Error(ErrorKind::bad_input, path_,
                "cannot keep its mode " + octal_mode(mode_) + " (it would become " + octal_mode(st.st_mode) + ")");
}

void FileReplacement::discard() noexcept {
  if (writer_.joinable()) writer_.join();
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!temporary_.empty()) ::unlink(temporary_.c_str());
  temporary_.clear();
  disarm_interrupt_cleanup();
}

// Gives an unnamed temporary file its hidden name, then renames it over
// the target: the rename is the one atomic step that replaces the file. A
// SIGKILL between linkat() and rename() leaves the hidden name (a complete
// copy of the stamped file, still unlocked after the death), which the
// next replacement of the target removes.
void FileReplacement::replace() {
  const CleanupSignalsBlocked blocked;
#if defined(O_TMPFILE)
  if (anonymous_) {
    const std::string by_descriptor = "/proc/self/fd/" + std::to_string(fd_);
    for (int attempt = 0; temporary_.empty(); ++attempt) {
      const std::string name = directory_ + "/" + prefix_ + random_suffix();
      arm_interrupt_cleanup(name);
      int linked = ::linkat(fd_, "", AT_FDCWD, name.c_str(), AT_EMPTY_PATH);
      if (linked != 0 && errno != EEXIST)  // AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH
        linked = ::linkat(AT_FDCWD, by_descriptor.c_str(), AT_FDCWD, name.c_str(), AT_SYMLINK_FOLLOW);
      if (linked == 0) {
        temporary_ = name;
      } else if (errno != EEXIST || attempt == 100) {
        disarm_interrupt_cleanup();
        throw io_error(path_, "cannot link the temporary file in " + directory_, errno);
      }
    }
  }
#endif
  if (::rename(temporary_.c_str(), target_.c_str()) != 0) throw io_error(path_, "cannot replace", errno);
  temporary_.clear();
  disarm_interrupt_cleanup();
}

void FileReplacement::commit(const std::vector<Patch>& patches) {
  try {
    if (writer_.joinable()) writer_.join();
    if (writer_error_) std::rethrow_exception(writer_error_);
    for (const Patch& patch : patches) pwrite_all(fd_, patch.bytes, patch.offset, path_);
    keep_mode();
    if (keep_timestamp_) set_times();
    if (::fsync(fd_) != 0) throw io_error(path_, "cannot flush", errno);
    replace();
  } catch (...) {
    discard();
    throw;
  }
  committed_ = true;
  // The lock goes with the descriptor, now that the file is in place. Its
  // contents were flushed above, so close() has nothing left to report.
  ::close(std::exchange(fd_, -1));
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
  if (fd >= 0)
    ::close(fd);
  else if (errno != EEXIST)
    throw io_error(path, "cannot create", errno);
  replace_file_atomically(path, bytes);
}

void write_file_if_changed(const std::string& path, const std::string& text) {
  std::ifstream existing(path, std::ios::binary);
  const std::string previous((std::istreambuf_iterator<char>(existing)), std::istreambuf_iterator<char>());
  if (existing && previous == text) return;
  replace_file_atomically_or_create(path, std::vector<uint8_t>(text.begin(), text.end()));
}

}  // namespace buildinfo
