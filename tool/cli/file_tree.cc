// The command line's files and the walk of its directories (see file_tree.h).
#include "cli/file_tree.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "formats/binary_image.h"
#include "support/error.h"
#include "support/terminal_text.h"

namespace buildinfo {
namespace {

namespace fs = std::filesystem;

// Whether `path` starts with a binary's magic bytes, read without
// following a link; false with `error` set when it cannot be read.
bool starts_like_binary(const std::string& path, std::string& error) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    error = path + ": cannot open: " + std::strerror(errno);
    return false;
  }
  uint8_t head[8];
  const ssize_t n = ::read(fd, head, sizeof head);
  const int saved = errno;
  ::close(fd);
  if (n < 0) {
    error = path + ": cannot read: " + std::strerror(saved);
    return false;
  }
  return has_binary_magic(head, static_cast<size_t>(n));
}

void walk(const std::string& root, FileList& out) {
  std::vector<std::string> found;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec);
  if (ec) {
    out.errors.push_back(root + ": cannot read the directory: " + ec.message());
    return;
  }
  for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) {
      out.errors.push_back(it->path().string() + ": cannot read: " + ec.message());
      ec.clear();
      continue;
    }
    const fs::file_status status = it->symlink_status(ec);
    if (ec) {
      out.errors.push_back(it->path().string() + ": cannot stat: " + ec.message());
      ec.clear();
      continue;
    }
    if (fs::is_symlink(status)) {
      ++out.symlinks;
      continue;
    }
    if (!fs::is_regular_file(status)) continue;  // directories are walked; devices, FIFOs, sockets are no binaries
    std::string error;
    if (starts_like_binary(it->path().string(), error))
      found.push_back(it->path().string());
    else if (!error.empty())
      out.errors.push_back(error);
    else
      ++out.skipped;
  }
  if (ec) out.errors.push_back(root + ": the walk stopped: " + ec.message());
  std::sort(found.begin(), found.end());
  out.files.insert(out.files.end(), found.begin(), found.end());
}

}  // namespace

FileList expand_paths(const std::vector<std::string>& paths, bool recursive) {
  FileList out;
  for (const std::string& path : paths) {
    std::error_code ec;
    // A directory the command line names is walked even through a link.
    if (!fs::is_directory(fs::status(path, ec))) {
      out.files.push_back(path);
      continue;
    }
    if (!recursive)
      throw Error(ErrorKind::bad_input, path, "is a directory; pass --recursive to read the binaries under it");
    walk(path, out);
  }
  return out;
}

void report_walk_errors(const FileList& list, ExitCode& result) {
  if (list.errors.empty()) return;
  std::cout.flush();
  for (const std::string& error : list.errors) std::cerr << "buildinfo: " << printable(error) << "\n";
  if (result == ExitCode::ok) result = ExitCode::bad_input;
}

}  // namespace buildinfo
