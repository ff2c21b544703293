// buildinfo-git.so: read_git_facts behind a C entry point (tool_modules.h).
#include <string>
#include <type_traits>

#include "error.h"
#include "git_info.h"
#include "tool_modules.h"
#include "vcs_state.h"

extern "C" __attribute__((visibility("default"))) int buildinfo_module_read_git(const char* source_dir,
                                                                                int untracked_dirty, char** text) {
  try {
    std::string warning;
    const std::optional<buildinfo::GitFacts> facts =
        buildinfo::read_git_facts(buildinfo::GitOptions{source_dir, untracked_dirty != 0}, warning);
    *text = malloc_copy(facts ? buildinfo::format_vcs_state(facts) : warning);
    return facts ? 0 : 1;
  } catch (const std::exception& e) {
    *text = malloc_copy(e.what());
    return 2;
  }
}

static_assert(std::is_same<decltype(&buildinfo_module_read_git), buildinfo_read_git_fn>::value,
              "the entry point matches its declaration in tool_modules.h");
