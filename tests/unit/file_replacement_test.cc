// FileReplacement writes exactly the contents and the patches, whichever
// way the bulk goes: straight to the disk (16 MiB or more, from a mapping),
// through the page cache from a buffer the disk cannot take directly, or a
// small file copied in the kernel.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "support/file_io.h"

namespace {

using buildinfo::ByteView;
using buildinfo::FileReplacement;
using buildinfo::Patch;

// A directory beside the test's working directory (the build tree, on the
// disk), removed with its files.
class ScratchDirectory {
 public:
  ScratchDirectory() {
    char pattern[] = "file-replacement-test-XXXXXX";
    REQUIRE(::mkdtemp(pattern) != nullptr);
    path_ = pattern;
  }
  ~ScratchDirectory() { std::system(("rm -rf '" + path_ + "'").c_str()); }
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::vector<uint8_t> pattern_bytes(uint64_t size) {
  std::vector<uint8_t> bytes(size);
  uint32_t x = 2463534242u;
  for (uint8_t& b : bytes) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    b = static_cast<uint8_t>(x);
  }
  return bytes;
}

void write_bytes(const std::string& path, const std::vector<uint8_t>& bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
  REQUIRE(fd >= 0);
  REQUIRE(::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
  ::close(fd);
}

std::vector<uint8_t> read_bytes(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  struct stat st {};
  REQUIRE(::fstat(fd, &st) == 0);
  std::vector<uint8_t> bytes(static_cast<size_t>(st.st_size));
  REQUIRE(::pread(fd, bytes.data(), bytes.size(), 0) == static_cast<ssize_t>(bytes.size()));
  ::close(fd);
  return bytes;
}

// The share of the file's pages in the page cache (mincore).
double resident_share(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  struct stat st {};
  REQUIRE(::fstat(fd, &st) == 0);
  const size_t size = static_cast<size_t>(st.st_size);
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  REQUIRE(map != MAP_FAILED);
  const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  std::vector<unsigned char> resident((size + page - 1) / page);
  REQUIRE(::mincore(map, size, resident.data()) == 0);
  size_t count = 0;
  for (unsigned char r : resident) count += r & 1;
  ::munmap(map, size);
  ::close(fd);
  return static_cast<double>(count) / static_cast<double>(resident.size());
}

bool directory_takes_direct_writes(const std::string& probe) {
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_DIRECT | O_CLOEXEC, 0600);
  if (fd >= 0) ::close(fd);
  ::unlink(probe.c_str());
  return fd >= 0;
}

// Replaces `path` by `contents` with `patches` written over them, and
// returns the bytes the file must then hold.
std::vector<uint8_t> replace(const std::string& path, ByteView contents, int clone_from,
                             const std::vector<Patch>& patches) {
  std::vector<uint8_t> expected(contents.data(), contents.data() + contents.size());
  for (const Patch& p : patches) {
    REQUIRE(p.offset + p.bytes.size() <= expected.size());
    std::copy(p.bytes.data(), p.bytes.data() + p.bytes.size(), expected.begin() + p.offset);
  }
  FileReplacement replacement(path, contents, clone_from);
  replacement.commit(patches);
  return expected;
}

}  // namespace

TEST_CASE("file replacement: 16 MiB or more from a mapping goes to the disk, with its partial last page and patches") {
  ScratchDirectory dir;
  // Whole pages, then a partial one; patches inside the direct part, across
  // its end into the partial page, and at the very end.
  const uint64_t size = (16u << 20) + 3 * 4096 + 123;
  const std::string path = dir / "big";
  write_bytes(path, pattern_bytes(size));
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  REQUIRE(map != MAP_FAILED);
  const ByteView contents(static_cast<const uint8_t*>(map), size);
  const std::vector<uint8_t> patch(300, 0xAB);
  const uint64_t whole_pages = size / 4096 * 4096;
  const std::vector<Patch> patches = {Patch{4096 * 7 + 5, ByteView(patch.data(), 100)},
                                      Patch{whole_pages - 150, ByteView(patch.data(), 200)},
                                      Patch{size - 3, ByteView(patch.data(), 3)}};
  const std::vector<uint8_t> expected = replace(path, contents, fd, patches);
  ::munmap(map, size);
  ::close(fd);
  // The pages written directly were never in the page cache: the check
  // that the direct path was taken, where the directory allows it (before
  // the file is read back, which brings it in).
  if (directory_takes_direct_writes(dir / "probe")) {
    INFO("share of the replacement in the page cache after a direct write");
    CHECK(resident_share(path) < 0.05);
  } else {
    MESSAGE("this file system refuses O_DIRECT: the replacement went through the page cache");
  }
  CHECK(read_bytes(path) == expected);
}

TEST_CASE("file replacement: a large buffer the disk cannot take directly goes through the page cache") {
  ScratchDirectory dir;
  const uint64_t size = (16u << 20) + 777;
  const std::string path = dir / "unaligned";
  write_bytes(path, std::vector<uint8_t>(10, 1));
  // One byte into a page-aligned buffer: O_DIRECT needs aligned memory.
  // aligned_alloc takes a size that is a multiple of the alignment.
  const uint64_t buffer_size = (size + 1 + 4095) / 4096 * 4096;
  void* buffer = std::aligned_alloc(4096, buffer_size);
  REQUIRE(buffer != nullptr);
  const std::vector<uint8_t> bytes = pattern_bytes(size);
  std::copy(bytes.begin(), bytes.end(), static_cast<uint8_t*>(buffer) + 1);
  const std::vector<uint8_t> patch(64, 0x5A);
  const std::vector<uint8_t> expected = replace(path, ByteView(static_cast<const uint8_t*>(buffer) + 1, size), -1,
                                                {Patch{size / 2, ByteView(patch.data(), patch.size())}});
  std::free(buffer);
  CHECK(read_bytes(path) == expected);
}

TEST_CASE("file replacement: a small file is copied in the kernel and patched") {
  ScratchDirectory dir;
  const uint64_t size = (1u << 20) + 5;
  const std::string path = dir / "small";
  const std::vector<uint8_t> bytes = pattern_bytes(size);
  write_bytes(path, bytes);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  const std::vector<uint8_t> patch(16, 0x11);
  const std::vector<uint8_t> expected =
      replace(path, ByteView(bytes.data(), bytes.size()), fd, {Patch{0, ByteView(patch.data(), patch.size())}});
  ::close(fd);
  CHECK(read_bytes(path) == expected);
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0755);
}
