// read_git_facts for the `buildinfo` executable: through buildinfo-git.so,
// so that runs which need no git facts never load libgit2.
#include <cstdlib>
#include <memory>

#include "error.h"
#include "git_info.h"
#include "module_loader.h"
#include "tool_modules.h"
#include "vcs_state.h"

namespace buildinfo {

std::optional<GitFacts> read_git_facts(const GitOptions& options, std::string& warning) {
  const auto read_git = reinterpret_cast<buildinfo_read_git_fn>(module_symbol(BUILDINFO_GIT_MODULE, BUILDINFO_READ_GIT_SYMBOL));
  char* raw = nullptr;
  const int result = read_git(options.source_dir.c_str(), options.untracked_dirty ? 1 : 0, &raw);
  const std::unique_ptr<char, decltype(&std::free)> text(raw, &std::free);
  if (!text) throw Error(ExitCode::bad_input, "git: out of memory");
  if (result == 2) throw Error(ExitCode::bad_input, text.get());
  if (result == 1) {
    warning = text.get();
    return std::nullopt;
  }
  return parse_vcs_state(text.get(), BUILDINFO_GIT_MODULE);
}

}  // namespace buildinfo
