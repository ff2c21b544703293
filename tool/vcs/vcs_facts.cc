// Choosing the source of the git facts (see vcs_facts.h).
#include "vcs/vcs_facts.h"

#include "vcs/state_proof.h"
#include "vcs/vcs_archive.h"
#include "vcs/vcs_override.h"

namespace buildinfo {
namespace {

GitReading read(const GitOptions& options, bool witnesses) {
  GitReading reading;
  if (std::optional<GitFacts> given = override_facts()) {
    reading.facts = std::move(given);  // proven by the environment alone, which a proof records
    return reading;
  }
  reading = read_git_state(options, witnesses);
  if (reading.facts) return reading;

  // No repository describes the source directory: a release archive may.
  const std::string source_dir = canonical_path(options.source_dir);
  if (source_dir.empty()) return reading;
  const std::vector<std::string> files = archive_fact_files(source_dir);
  std::string used;
  std::optional<GitFacts> archived = read_archive_facts(files, used);
  if (witnesses) reading.witnesses.insert(reading.witnesses.end(), files.begin(), files.end());
  if (archived) {
    reading.facts = std::move(archived);
    reading.warning.clear();
  }
  return reading;
}

}  // namespace

GitReading read_vcs_state(const GitOptions& options) { return read(options, true); }

std::optional<GitFacts> read_vcs_facts(const GitOptions& options, std::string& warning) {
  GitReading reading = read(options, false);
  warning = reading.warning;
  return reading.facts;
}

}  // namespace buildinfo
