// `buildinfo vcs-state --output FILE`: the git facts a stamp depends on,
// written to FILE only when they change. The CMake step makes the stamp
// depend on FILE, so a commit, a checkout or a change of the dirty flag
// re-stamps the linked binary without recompiling or relinking anything.
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "support/error.h"
#include "support/file_io.h"
#include "vcs/git_info.h"
#include "vcs/vcs_state.h"

namespace buildinfo {
namespace {

struct VcsStateOptions {
  std::string source_dir = ".";
  std::string output;
  bool untracked_dirty = false;
};

std::string current_state(const VcsStateOptions& options) {
  std::string warning;
  return format_vcs_state(read_git_facts(GitOptions{options.source_dir, options.untracked_dirty}, warning));
}

int run_vcs_state(const VcsStateOptions& options) {
  const std::string state = current_state(options);
  write_file_if_changed(options.output, state);
  return static_cast<int>(ExitCode::ok);
}

}  // namespace

Command add_vcs_state_command(CLI::App& parent) {
  auto options = std::make_shared<VcsStateOptions>();
  CLI::App* app =
      parent.add_subcommand("vcs-state", "Write the git state a stamp depends on, if it changed (for build systems)");
  app->add_option("--source-dir", options->source_dir, "Directory inside the git repository")->capture_default_str();
  app->add_option("--output", options->output, "State file, rewritten only when the state changes")->required();
  app->add_flag("--untracked-dirty", options->untracked_dirty, "Count untracked files as modifications");
  return Command{app, [options] { return run_vcs_state(*options); }};
}

}  // namespace buildinfo
