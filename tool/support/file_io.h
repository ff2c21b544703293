// Small text files: reading them, and replacing files crash-safely (a
// temporary file in the same directory, fsynced, then renamed over the
// original).
#pragma once

#include <sys/types.h>
#include <time.h>

#include <cstdint>
#include <exception>
#include <string>
#include <thread>
#include <vector>

#include "support/byte_view.h"

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
// replaced). The constructor first removes what stampers killed earlier
// left of their temporary files for this target (below), then creates the
// temporary file in the target's directory, with the target's owner and
// group (refusing, when they cannot be kept, to hand the file to another
// owner), and starts writing `contents` into it on a background thread, so
// that the caller can compute its patches meanwhile; `contents` must outlive
// the object. commit() waits for that, writes the patches over it, gives it
// the target's whole mode (set-user-ID, set-group-ID and sticky bits
// included, set last because writing and fchown() clear them), fsyncs,
// renames it over the original and fsyncs the directory. The replacement is
// a new inode: a running program keeps the old one, a reader sees the old
// file or the new one whole, and other hard links to the original keep the
// old contents (original_links() tells the caller). Without a successful
// commit() (an error, an exception, SIGINT/SIGTERM/SIGHUP) nothing is left
// and the original is untouched. Errors are Error(bad_input) naming `path`.
//
// The temporary file. Where the file system allows it (Linux O_TMPFILE:
// ext4, XFS, btrfs, tmpfs, ...), it has no name while it is written, so a
// SIGKILL or a crash leaves nothing: the kernel frees it. commit() links it
// to a hidden name, ".NAME.buildinfo-XXXXXX", and renames that over the
// target at once (Linux has no call that links an unnamed file over an
// existing name). Elsewhere (NFS, FAT, ...) it carries that hidden name from
// the start. Either way the stamper holds an exclusive flock() on it for as
// long as it lives, and the kernel releases that lock when the stamper dies,
// however it dies. So a name left by a killed stamper (between the link and
// the rename with O_TMPFILE, at any point without it) is a file nobody holds
// a lock on, and the next replacement of the same target removes it; a
// file still locked belongs to a live stamper and is left alone.
class FileReplacement {
 public:
  // `clone_from`, when not -1, is a descriptor of a file that holds
  // `contents` (the original): where the file system has reflinks (FICLONE)
  // the temporary file shares its blocks instead of copying them. Without
  // reflinks, contents of 16 MiB or more are written straight to the disk
  // (Linux O_DIRECT, where the file system has it) rather than through the
  // page cache: the replacement then starts out of the page cache, and its
  // first reader reads it from the disk. From 1 MiB on, the bulk is flushed
  // to the disk on a second thread while the caller computes its patches.
  FileReplacement(const std::string& path, ByteView contents, int clone_from = -1);
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

  // The original's link count: above 1, the other names of the original
  // keep its old contents after commit().
  uint64_t original_links() const { return original_links_; }

 private:
  void create_temporary();
  void keep_owner(uid_t uid, gid_t gid);
  void keep_mode();
  void replace();
  void discard() noexcept;
  void set_times() const;

  std::string path_;
  std::string target_;
  std::string directory_;
  std::string prefix_;     // ".NAME.buildinfo-"
  std::string temporary_;  // the temporary file's name; empty while it has none
  int fd_ = -1;
  bool anonymous_ = false;  // created with O_TMPFILE
  mode_t mode_ = 0;
  uint64_t original_links_ = 1;
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

// Writes `text` to `path` (replacing it atomically, or creating it) unless
// it already holds exactly that: a build step's output that did not change
// keeps its time, so nothing that depends on it runs again.
void write_file_if_changed(const std::string& path, const std::string& text);

// For signal handlers (async-signal-safe): removes the temporary file of the
// replacement in progress, if it has a name.
void remove_temporary_file_after_signal() noexcept;

}  // namespace buildinfo
