// A binary's bytes mapped from its file instead of read into memory: reading
// a 100 MB binary then costs page-table entries rather than a copy, so that
// stamping and verifying cost about one hashing pass over the image.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "support/byte_view.h"

namespace buildinfo {

// The exit code of a process whose mapped input shrank under it: that of
// bad input (README.md, "Exit codes"; cli/main.cc checks they agree).
constexpr int kExitWhenTruncated = 2;

// Largest input accepted; larger files are refused rather than mapped.
constexpr uint64_t kMaxInputSize = uint64_t{4} << 30;

// Readers of a whole file read ranges of this size or more through its
// descriptor rather than its mapping (image_digest.h): the pages of a file
// just written are mapped 4 KB at a time, each a TLB miss when read in
// place. So a mapping is populated up front only for smaller files.
constexpr uint64_t kReadThroughDescriptorFrom = uint64_t{1} << 20;

// A regular file mapped read-only. If another process truncates the file
// while it is mapped, the process exits with code 2 and a message naming the
// file (the kernel's SIGBUS is caught) instead of crashing.
class MappedFile {
 public:
  // Throws Error(bad_input) naming the file: missing, a directory, not a
  // regular file, empty, larger than kMaxInputSize, or not mappable.
  // `whole`: the caller reads the whole file (a digest), so the pages of a
  // file under 1 MiB are mapped up front (larger ones are read through the
  // descriptor); else (inspect reads headers) each page on first use.
  explicit MappedFile(const std::string& path, bool whole = true);
  ~MappedFile();
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const std::string& path() const { return *path_; }
  ByteView view() const { return ByteView(data_, size_, path_.get()); }
  uint64_t size() const { return size_; }
  int descriptor() const { return fd_; }

 private:
  void release();

  std::unique_ptr<const std::string> path_;  // on the heap: views point to it across moves
  int fd_ = -1;
  uint8_t* data_ = nullptr;
  uint64_t size_ = 0;
};

// A private, copy-on-write mapping of a mapped file: the slot and the
// format's fix-ups are patched here, and only the pages they touch are
// copied. Nothing written here reaches the file.
class PrivateCopy {
 public:
  explicit PrivateCopy(const MappedFile& file);
  ~PrivateCopy();
  PrivateCopy(const PrivateCopy&) = delete;
  PrivateCopy& operator=(const PrivateCopy&) = delete;

  uint8_t* data() { return data_; }
  uint64_t size() const { return size_; }
  ByteView view() const { return ByteView(data_, size_, source_); }

 private:
  uint8_t* data_ = nullptr;
  uint64_t size_ = 0;
  const std::string* source_;  // the mapped file's path
};

}  // namespace buildinfo
