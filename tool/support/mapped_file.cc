// Mapping binaries read-only (and privately writable for patching), with a
// SIGBUS handler that turns "the file shrank under us" into a clean error.
#include "support/mapped_file.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstring>
#include <utility>

#include "support/file_io.h"

namespace buildinfo {
namespace {

// The live mappings, for the SIGBUS handler to name the file whose page
// vanished. `verify -j 256` maps up to 256 files at once, from as many
// threads (verify_command.cc); stamp maps a file and its private copy. An
// entry is claimed with `used`, and the handler reads only entries whose
// `end` is set, which is stored after the path (atomics without locks, so
// the handler may read them).
struct MappingRecord {
  std::atomic<bool> used{false};
  std::atomic<uintptr_t> begin{0};
  std::atomic<uintptr_t> end{0};
  char path[PATH_MAX] = {};
};
MappingRecord g_mappings[256 + 8];

void write_stderr(const char* text) {
  ssize_t ignored = ::write(STDERR_FILENO, text, std::strlen(text));
  (void)ignored;
}

// Async-signal-safe: write(), unlink() and _exit() only.
extern "C" void exit_on_bus_error(int, siginfo_t* info, void*) {
  const auto address = reinterpret_cast<uintptr_t>(info->si_addr);
  const char* path = "input file";
  for (const MappingRecord& m : g_mappings) {
    const uintptr_t end = m.end.load(std::memory_order_acquire);
    if (end != 0 && m.begin.load(std::memory_order_relaxed) <= address && address < end) path = m.path;
  }
  remove_temporary_file_after_signal();
  write_stderr("buildinfo: ");
  write_stderr(path);
  write_stderr(": the file shrank or became unreadable while it was being read\n");
  ::_exit(kExitWhenTruncated);
}

void register_mapping(const uint8_t* data, uint64_t size, const std::string& path) {
  static const bool handler_installed = [] {  // once, also when threads race here
    struct sigaction action {};
    action.sa_sigaction = exit_on_bus_error;
    action.sa_flags = SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    return ::sigaction(SIGBUS, &action, nullptr) == 0;
  }();
  (void)handler_installed;
  for (MappingRecord& m : g_mappings) {
    bool free = false;
    if (!m.used.compare_exchange_strong(free, true, std::memory_order_acquire)) continue;
    std::strncpy(m.path, path.c_str(), sizeof m.path - 1);
    m.path[sizeof m.path - 1] = '\0';
    m.begin.store(reinterpret_cast<uintptr_t>(data), std::memory_order_relaxed);
    m.end.store(reinterpret_cast<uintptr_t>(data) + size, std::memory_order_release);
    return;
  }
}

void unregister_mapping(const uint8_t* data) {
  for (MappingRecord& m : g_mappings) {
    if (!m.used.load(std::memory_order_acquire) ||
        m.begin.load(std::memory_order_relaxed) != reinterpret_cast<uintptr_t>(data))
      continue;
    m.end.store(0, std::memory_order_release);
    m.begin.store(0, std::memory_order_relaxed);
    m.used.store(false, std::memory_order_release);
    return;
  }
}

}  // namespace

MappedFile::MappedFile(const std::string& path, bool whole) : path_(std::make_unique<const std::string>(path)) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw io_error(path, "cannot open", errno);
  try {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) throw io_error(path, "cannot stat", errno);
    if (S_ISDIR(st.st_mode)) throw Error(ErrorKind::bad_input, path, "is a directory, not a binary");
    if (!S_ISREG(st.st_mode)) throw Error(ErrorKind::bad_input, path, "not a regular file");
    if (st.st_size == 0) throw Error(ErrorKind::bad_input, path, "file is empty");
    if (static_cast<uint64_t>(st.st_size) > kMaxInputSize)
      throw Error(ErrorKind::bad_input, path,
                  "file is " + std::to_string(st.st_size) + " bytes, larger than the " + std::to_string(kMaxInputSize) +
                      "-byte limit");
    size_ = static_cast<uint64_t>(st.st_size);
    // MAP_POPULATE when the whole file is read from the mapping anyway: one
    // pass of page-table setup up front is cheaper than a fault per page
    // later. Reading headers only (inspect over a tree), it would cost most
    // of the time; and a larger file is hashed and copied through its
    // descriptor (kReadThroughDescriptorFrom, FileReplacement).
    const int populate = whole && size_ < kReadThroughDescriptorFrom ? MAP_POPULATE : 0;
    void* data = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE | populate, fd_, 0);
    if (data == MAP_FAILED) throw io_error(path, "cannot map", errno);
    data_ = static_cast<uint8_t*>(data);
    register_mapping(data_, size_, *path_);
  } catch (...) {
    release();
    throw;
  }
}

MappedFile::~MappedFile() { release(); }

MappedFile::MappedFile(MappedFile&& other) noexcept
    : path_(std::move(other.path_)),
      fd_(std::exchange(other.fd_, -1)),
      data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    release();
    path_ = std::move(other.path_);
    fd_ = std::exchange(other.fd_, -1);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

void MappedFile::release() {
  if (data_ != nullptr) {
    unregister_mapping(data_);
    ::munmap(data_, size_);
    data_ = nullptr;
  }
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

PrivateCopy::PrivateCopy(const MappedFile& file) : size_(file.size()), source_(&file.path()) {
  // Not populated: only the pages that get patched are ever copied.
  void* data = ::mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE, file.descriptor(), 0);
  if (data == MAP_FAILED) throw io_error(file.path(), "cannot map a private copy", errno);
  data_ = static_cast<uint8_t*>(data);
  register_mapping(data_, size_, file.path());
}

PrivateCopy::~PrivateCopy() {
  unregister_mapping(data_);
  ::munmap(data_, size_);
}

}  // namespace buildinfo
