// `buildinfo deps --input DESCRIPTION --output INVENTORY`: the dependency
// inventory of a target from the build description buildinfo_stamp()
// writes (record/dependency_resolution.h), for `stamp --deps-file`. The
// output is rewritten only when it changes, so that the stamp step that
// depends on it runs again only then.
#include <memory>

#include "cli/commands.h"
#include "record/dependency_resolution.h"
#include "support/error.h"
#include "support/file_io.h"
#include "vcs/vcs_state.h"

namespace buildinfo {
namespace {

struct DepsOptions {
  std::string input;
  std::string output;
};

int run_deps(const DepsOptions& options) {
  ResolutionSources sources = system_sources();
  sources.vcs_state = [](const std::string& file) -> std::optional<std::pair<std::string, bool>> {
    const std::optional<GitFacts> facts = parse_vcs_state(read_text_file(file), file);
    if (!facts) return std::nullopt;
    return std::make_pair(facts->revision, facts->modified);
  };
  const std::string inventory =
      inventory_json(resolve_dependencies(read_text_file(options.input), options.input, sources)) + "\n";
  write_file_if_changed(options.output, inventory);
  return static_cast<int>(ExitCode::ok);
}

}  // namespace

Command add_deps_command(CLI::App& parent) {
  auto options = std::make_shared<DepsOptions>();
  CLI::App* app = parent.add_subcommand(
      "deps", "Write a target's dependency inventory from the build description buildinfo_stamp() makes");
  app->add_option("--input", options->input, "The build description (JSON)")->required();
  app->add_option("--output", options->output, "The inventory for stamp --deps-file, rewritten only when it changes")
      ->required();
  return Command{app, [options] { return run_deps(*options); }};
}

}  // namespace buildinfo
