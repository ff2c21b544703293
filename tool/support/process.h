// Running a helper program (a compiler, later a signing command) without a shell.
#pragma once

#include <string>
#include <vector>

namespace buildinfo {

struct ProcessResult {
  int exit_status = -1;  // exit code, or -1 when killed by a signal
  std::string output;    // standard output (and standard error when merged)
};

// What becomes of the child's standard error.
enum class ChildStderr { inherit, merge, discard };

// Runs argv[0] (searched on PATH) with `input` on its standard input.
// Throws Error(bad_input) when it cannot be started.
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input = "",
                          ChildStderr stderr_mode = ChildStderr::inherit);

}  // namespace buildinfo
