// Reading binaries whole and replacing them crash-safely.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace buildinfo {

// Largest input accepted; larger files are refused rather than read.
constexpr uint64_t kMaxInputSize = uint64_t{4} << 30;

// Reads a regular file whole. Throws Error(bad_input) naming the file and the
// reason (missing, a directory, empty, unreadable, too large).
std::vector<uint8_t> read_binary_file(const std::string& path);

// Replaces `path` with `bytes`: writes a temporary file in the same
// directory, keeps the mode (and owner when allowed), fsyncs, renames it over
// the original and fsyncs the directory. On failure the original is untouched
// and the temporary file removed. Symlinks are followed (their target is replaced).
void replace_file_atomically(const std::string& path, const std::vector<uint8_t>& bytes);

// Like replace_file_atomically, for a file that may not exist yet (new
// files get mode 0644).
void replace_file_atomically_or_create(const std::string& path, const std::vector<uint8_t>& bytes);

}  // namespace buildinfo
