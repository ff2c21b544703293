// Path arithmetic on strings, without touching the file system.
#pragma once

#include <string>

namespace buildinfo {

// The directory part of `path`: "." when it has none, "/" for a path in
// the root directory.
inline std::string parent_directory(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// `name` in directory `dir`.
inline std::string join_path(const std::string& dir, const std::string& name) {
  return dir == "/" ? "/" + name : dir + "/" + name;
}

}  // namespace buildinfo
