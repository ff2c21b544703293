// The C entry points of the tool's two loadable modules. libgit2 and LIEF,
// with their dependencies, cost milliseconds to load and initialise; most
// runs need neither (stamp --vcs-state, verify, inspect --no-describe), so
// the `buildinfo` executable loads them only when asked:
//   buildinfo-git.so   reads the git facts (git_module.cc, git_info.cc)
//   buildinfo-lief.so  describes a binary for inspect (lief_module.cc,
//                      lief_description.cc)
// Strings cross the boundary as malloc()ed UTF-8; the caller free()s them.
#pragma once

#include <cstdlib>
#include <cstring>
#include <string>

#define BUILDINFO_GIT_MODULE "buildinfo-git.so"
#define BUILDINFO_LIEF_MODULE "buildinfo-lief.so"

#define BUILDINFO_READ_GIT_SYMBOL "buildinfo_module_read_git"
#define BUILDINFO_DESCRIBE_SYMBOL "buildinfo_module_describe"

// Returns 0 and sets *text to the facts in vcs-state form (vcs_state.h), 1
// and sets *text to a warning when there is no repository, or 2 and sets
// *text to the error message.
typedef int (*buildinfo_read_git_fn)(const char* source_dir, int untracked_dirty, char** text);

// Returns the JSON text of describe_with_lief(path) (never fails).
typedef char* (*buildinfo_describe_fn)(const char* path);

// For the modules: `text` in a malloc()ed, NUL-terminated copy the caller
// free()s; nullptr when out of memory.
inline char* malloc_copy(const std::string& text) {
  char* out = static_cast<char*>(std::malloc(text.size() + 1));
  if (out != nullptr) std::memcpy(out, text.c_str(), text.size() + 1);
  return out;
}
