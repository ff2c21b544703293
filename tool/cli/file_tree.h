// The files a command line names: files as given, and with --recursive the
// binaries under each directory (README.md, "Many files at once").
#pragma once

#include <string>
#include <vector>

#include "cli/exit_code.h"

namespace buildinfo {

struct FileList {
  std::vector<std::string> files;   // in order: each argument's files, a directory's sorted by path
  size_t skipped = 0;               // files under directories that are no binaries (by their magic bytes)
  size_t symlinks = 0;              // symbolic links under directories, never followed
  std::vector<std::string> errors;  // entries that could not be read, one line each
};

// Expands `paths`. A directory needs `recursive` (else Error(bad_input)
// naming it); under it the walk visits every entry once, follows no
// symbolic link (to a file or a directory, inside the tree or out of it),
// and keeps the regular files whose first bytes are a binary's
// (has_binary_magic). Files named on the command line are kept as they
// are, whatever they hold.
FileList expand_paths(const std::vector<std::string>& paths, bool recursive);

// Prints each entry the walk could not read on standard error, and makes
// `result` bad_input (exit 2) when no file had failed before.
void report_walk_errors(const FileList& list, ExitCode& result);

}  // namespace buildinfo
