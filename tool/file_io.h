// Small text files: reading them, and replacing files crash-safely (a
// temporary file in the same directory, fsynced, then renamed over the
// original).
#pragma once

#include <time.h>

#include <cstdint>
#include <exception>
#include <string>
#include <thread>
#include <vector>

#include "byte_view.h"

namespace buildinfo {

// The whole of a small text file (at most 1 MiB). Throws Error(bad_input)
// naming the file when it cannot be read or is larger.
std::string read_text_file(const std::string& path);

// Bytes to write at a file offset.
struct Patch {
  uint64_t offset;
  ByteView bytes;
};

// One atomic replacement of `path` (symlinks are followed: their target is
// replaced). The constructor creates the temporary file beside the target,
// with the target's mode (and owner when allowed), and starts writing
// `contents` into it on a background thread, so that the caller can compute
// its patches meanwhile; `contents` must outlive the object. commit() waits
// for that, writes the patches over it, fsyncs, renames over the original
// and fsyncs the directory. Without a successful commit() (an error, an
// exception, SIGINT/SIGTERM/SIGHUP) the temporary file is removed and the
// original is untouched. Errors are Error(bad_input) naming `path`.
class FileReplacement {
 public:
  FileReplacement(const std::string& path, ByteView contents);
  ~FileReplacement();
  FileReplacement(const FileReplacement&) = delete;
  FileReplacement& operator=(const FileReplacement&) = delete;

  void commit(const std::vector<Patch>& patches);

  // Gives the replacement the original's modification time minus the
  // smallest step the file system keeps (1 ns on ext4, XFS, btrfs, tmpfs),
  // instead of the time of the commit: build tools then find it no newer
  // than what they recorded for it and for what links it (ninja's log
  // included), so nothing relinks, while a tool comparing exact times sees
  // a change. Where the file system rounds that step away (coarse
  // timestamps), the original time is kept exactly, since a time a whole
  // second older could predate the file's own inputs.
  void keep_timestamp() { keep_timestamp_ = true; }

 private:
  void discard() noexcept;
  void set_times() const;

  std::string path_;
  std::string target_;
  std::string directory_;
  std::string temporary_;
  int fd_ = -1;
  struct timespec original_mtime_ {};
  bool keep_timestamp_ = false;
  std::thread writer_;
  std::exception_ptr writer_error_;
  bool committed_ = false;
};

// Replaces `path` with `bytes` (a FileReplacement without patches).
void replace_file_atomically(const std::string& path, const std::vector<uint8_t>& bytes);

// Like replace_file_atomically, for a file that may not exist yet (new
// files get mode 0644).
void replace_file_atomically_or_create(const std::string& path, const std::vector<uint8_t>& bytes);

// For signal handlers (async-signal-safe): removes the temporary file of the
// replacement in progress, if any.
void remove_temporary_file_after_signal() noexcept;

}  // namespace buildinfo
