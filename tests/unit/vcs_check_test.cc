// buildinfo-vcs-check against the tool's own reading of a proof
// (vcs/state_proof.h): on a proof of real files and every damaged copy of
// it (each line dropped or ending in an encoded NUL, each character changed
// or dropped), the check, which reads proofs without the C library, may
// answer "current" only where the tool's holding_proof() and the state
// file say so too. It may be stricter (it then runs the program, which judges
// in full), but both must accept the undamaged proof and differ only where
// the check leaves the judgement to `vcs-state` by design. The stamp's
// proven_facts(), which tries the same one pass first, must give the facts
// of the full judgement on every copy.
#include <doctest/doctest.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "vcs/state_proof.h"

extern char** environ;

namespace {

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

// True when the check finds `state` current (exit 0 without running the
// program it is given, which exits 7).
bool check_finds_current(const std::string& state) {
  const char* argv[] = {BUILDINFO_TEST_VCS_CHECK, state.c_str(), "--", "/bin/sh", "-c", "exit 7", nullptr};
  pid_t pid = 0;
  REQUIRE(::posix_spawn(&pid, argv[0], nullptr, nullptr, const_cast<char**>(argv), environ) == 0);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  REQUIRE((WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 7));
  return WEXITSTATUS(status) == 0;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// What the check did before it was built without the C library: the proof
// holds, and the state file is its facts.
bool tool_finds_current(const std::string& state) {
  const std::optional<buildinfo::StateProof> proof = buildinfo::holding_proof(buildinfo::proof_path_for(state));
  return proof && read_text(state) == proof->facts;
}

// The facts of the proof in `proof_file` for `source_dir` as the full
// judgement gives them (what proven_facts() gives when the proof changed).
std::optional<std::string> facts_in_full(const std::string& proof_file, const std::string& source_dir) {
  const std::optional<buildinfo::StateProof> proof = buildinfo::holding_proof(proof_file);
  if (!proof || proof->untracked_dirty || !buildinfo::proof_covers(proof->source_dir, source_dir)) return std::nullopt;
  return proof->facts;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  for (size_t at = 0; at < text.size();) {
    const size_t end = text.find('\n', at);
    lines.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  return lines;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

}  // namespace

TEST_CASE("vcs-check: never current where the tool's proof does not hold") {
  char dir_template[] = "/tmp/buildinfo-vcs-check-XXXXXX";
  REQUIRE(::mkdtemp(dir_template) != nullptr);
  const std::string dir = dir_template;
  REQUIRE(::mkdir((dir + "/.git").c_str(), 0755) == 0);
  REQUIRE(::mkdir((dir + "/src 1").c_str(), 0755) == 0);
  write_text(dir + "/.git/HEAD", "ref: refs/heads/main\n");
  write_text(dir + "/src 1/main.c", "int main(void) { return 0; }\n");
  write_text(dir + "/README", "hello\n");
  ::sleep(1);  // the files are then older than the proof's clock

  buildinfo::StateProof proof;
  proof.source_dir = dir;
  proof.facts = "revision 0123abcd\nmodified false\nurl https://example.com/a%20b\n";
  buildinfo::record_environment(proof);
  const std::optional<buildinfo::FileTime> clock = buildinfo::file_system_now(dir);
  REQUIRE(clock);
  proof.clock = *clock;
  for (const char* name : {"/.git", "/.git/HEAD", "/src 1", "/src 1/main.c", "/README", "/.gitattributes"})
    proof.witnesses.push_back(buildinfo::observe(dir + name));
  proof.witnesses[4].blob = "ce013625030ba8dba906f756967f9e9ca394464a";
  const std::string state = dir + "/state";
  const std::string proof_file = buildinfo::proof_path_for(state);
  const std::string text = buildinfo::format_state_proof(proof);
  write_text(state, proof.facts);
  write_text(proof_file, text);
  REQUIRE(tool_finds_current(state));
  REQUIRE(check_finds_current(state));
  REQUIRE(buildinfo::proven_facts(proof_file, dir, false) == proof.facts);
  CHECK_FALSE(buildinfo::proven_facts(proof_file, dir, true));  // another untracked-files rule
  CHECK(buildinfo::proven_facts(proof_file, dir + "/src 1", false) == proof.facts);
  CHECK_FALSE(buildinfo::proven_facts(proof_file, "/", false));  // not below the proof's directory

  std::vector<std::string> damaged;
  const std::vector<std::string> lines = lines_of(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    std::vector<std::string> without = lines;
    without.erase(without.begin() + static_cast<long>(i));
    damaged.push_back(joined(without));
    std::vector<std::string> with_nul = lines;
    with_nul[i] += "%00";
    damaged.push_back(joined(with_nul));
    for (size_t at = 0; at < lines[i].size(); ++at) {
      std::vector<std::string> changed = lines;
      char& c = changed[i][at];
      c = c >= '0' && c <= '8' ? static_cast<char>(c + 1) : c == '%' ? 'Z' : c == ' ' ? '%' : '9';
      damaged.push_back(joined(changed));
      changed[i].erase(at, 1);
      damaged.push_back(joined(changed));
    }
  }
  // Where the tool alone finds a copy current, it must be by what the
  // check leaves to `vcs-state` by design: a file with a blob judged by its
  // contents (here its recorded lstat() data changed, so the tool renews
  // the proof), or the user line missing (the tool takes user 0 then).
  size_t both = 0, only_tool = 0;
  for (const std::string& copy : damaged) {
    // The stamp's facts: its one pass over an unchanged proof must give
    // what the full judgement gives, on every copy.
    write_text(proof_file, copy);
    const std::optional<std::string> stamped = buildinfo::proven_facts(proof_file, dir, false);
    write_text(proof_file, copy);
    if (stamped != facts_in_full(proof_file, dir))
      FAIL_CHECK("the stamp's facts differ from the full judgement:\n" << copy);
    write_text(proof_file, copy);
    const bool check = check_finds_current(state);
    const bool tool = tool_finds_current(state);
    if (check && !tool) FAIL_CHECK("the check accepts a proof the tool does not:\n" << copy);
    both += check && tool ? 1 : 0;
    if (!tool || check) continue;
    ++only_tool;
    const std::vector<std::string> changed = lines_of(copy);
    size_t first = 0;
    while (first < changed.size() && changed[first] == lines[first]) ++first;
    const bool by_design = lines[first].find(" blob ") != std::string::npos || lines[first].rfind("user ", 0) == 0;
    if (!by_design) FAIL_CHECK("the check refuses a proof the tool accepts:\n" << copy);
  }
  MESSAGE(damaged.size() << " damaged proofs: " << both << " current for both, " << only_tool << " for the tool alone");
  CHECK(both > 0);  // harmless changes (the clock's digits, say) pass both

  // The state file must hold the facts, whole.
  write_text(proof_file, text);
  write_text(state, proof.facts + "x");
  CHECK_FALSE(check_finds_current(state));
  write_text(state, proof.facts.substr(1));
  CHECK_FALSE(check_finds_current(state));
  write_text(state, proof.facts);
  CHECK(check_finds_current(state));
  // A witness that changes.
  write_text(dir + "/README", "hello, again\n");
  CHECK_FALSE(check_finds_current(state));
  std::system(("rm -rf '" + dir + "'").c_str());
}
