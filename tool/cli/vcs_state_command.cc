// `buildinfo vcs-state --output FILE`: the git facts a stamp depends on,
// written to FILE only when they change. The CMake step makes the stamp
// depend on FILE, so a commit, a checkout or a change of the dirty flag
// re-stamps the linked binary without recompiling or relinking anything.
//
// Beside FILE it keeps FILE.proof (vcs/state_proof.h): while the proof
// holds, the facts are current and libgit2 is not loaded at all.
#include <unistd.h>

#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "support/error.h"
#include "support/file_io.h"
#include "support/path.h"
#include "vcs/state_proof.h"
#include "vcs/vcs_facts.h"
#include "vcs/vcs_state.h"

namespace buildinfo {
namespace {

struct VcsStateOptions {
  std::string source_dir = ".";
  std::string output;
  bool untracked_dirty = false;
};

// Reads the repository with libgit2, and proves the answer when it can.
std::string read_and_prove(const VcsStateOptions& options) {
  const std::string proof_file = proof_path_for(options.output);
  const std::optional<FileTime> clock = file_system_now(parent_directory(options.output));
  const GitReading reading = read_vcs_state(GitOptions{options.source_dir, options.untracked_dirty});
  const std::string state = format_vcs_state(reading.facts, reading.warning);

  StateProof proof;
  proof.untracked_dirty = options.untracked_dirty;
  proof.facts = state;
  record_environment(proof);
  proof.source_dir = canonical_path(options.source_dir);
  bool provable = clock.has_value() && reading.no_witnesses.empty() && !proof.source_dir.empty();
  if (provable) {
    proof.clock = *clock;
    proof.modified = reading.facts && reading.facts->modified;
    proof.modified_otherwise = reading.modified_otherwise;
    for (const std::string& path : reading.witnesses) {
      FileWitness witness = observe(path);
      if (const auto content = reading.contents.find(path); content != reading.contents.end()) {
        if (!witness.present) provable = false;  // removed since libgit2 saw it
        witness.blob = content->second.blob;
        witness.differs = content->second.differs;
        witness.crlf = content->second.crlf;
      }
      if (is_racy(witness, proof.clock)) provable = false;  // read again next time
      proof.witnesses.push_back(std::move(witness));
    }
  }
  if (provable) {
    write_file_if_changed(proof_file, format_state_proof(proof));
  } else {
    ::unlink(proof_file.c_str());
  }
  return state;
}

int run_vcs_state(const VcsStateOptions& options) {
  const std::optional<std::string> proven =
      proven_facts(proof_path_for(options.output), options.source_dir, options.untracked_dirty);
  write_file_if_changed(options.output, proven ? *proven : read_and_prove(options));
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
