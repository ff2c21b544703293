// Git facts (placeholder until implemented).
#include "git_info.h"
namespace buildinfo {
std::optional<GitFacts> read_git_facts(const GitOptions&, std::string& warning) {
  warning = "git support is not built yet";
  return std::nullopt;
}
}  // namespace buildinfo
