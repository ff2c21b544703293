// buildinfo-vcs-check STATE -- PROGRAM [ARGUMENT...]
//
// The git-state step of a build, first half: exits 0 at once when the
// vcs-state file STATE is provably current (its proof, STATE.proof, still
// holds: vcs/state_proof.h), and otherwise runs PROGRAM, which is
// `buildinfo vcs-state ... --output STATE`. It runs at every build, so it
// is a program of its own, statically linked, that starts in the time of
// /bin/true; `buildinfo` itself, with OpenSSL and the C++ runtime to load,
// takes three times as long (docs/PERFORMANCE.md).
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "vcs/state_proof.h"

namespace {

bool state_is_current(const std::string& state_file) {
  const std::optional<buildinfo::StateProof> proof = buildinfo::holding_proof(buildinfo::proof_path_for(state_file));
  return proof && buildinfo::file_holds(state_file, proof->facts);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4 || std::strcmp(argv[2], "--") != 0) {
    std::fputs("usage: buildinfo-vcs-check STATE -- PROGRAM [ARGUMENT...]\n", stderr);
    return 2;
  }
  if (state_is_current(argv[1])) return 0;
  ::execvp(argv[3], argv + 3);
  std::fprintf(stderr, "buildinfo-vcs-check: cannot run %s: %s\n", argv[3], std::strerror(errno));
  return 2;
}
