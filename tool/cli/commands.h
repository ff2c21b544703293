// The subcommands: each registers itself on the CLI and returns how to run it.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

#include "cli/exit_code.h"

namespace buildinfo {

struct Command {
  CLI::App* app;
  std::function<int()> run;  // returns the exit code; throws Error
};

Command add_stamp_command(CLI::App& parent);
Command add_inspect_command(CLI::App& parent);
Command add_keygen_command(CLI::App& parent);
Command add_restamp_command(CLI::App& parent);
Command add_verify_command(CLI::App& parent);
Command add_vcs_state_command(CLI::App& parent);
Command add_deps_command(CLI::App& parent);

}  // namespace buildinfo
