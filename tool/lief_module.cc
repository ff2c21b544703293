// buildinfo-lief.so: describe_with_lief behind a C entry point (tool_modules.h).
#include <string>
#include <type_traits>

#include "lief_description.h"
#include "tool_modules.h"

extern "C" __attribute__((visibility("default"))) char* buildinfo_module_describe(const char* path) {
  // Section and library names are the file's bytes, which need not be
  // UTF-8: each sequence that is not becomes U+FFFD, so that dump() cannot
  // throw and the rest of the description is kept (README, inspect --json).
  constexpr auto replace = nlohmann::json::error_handler_t::replace;
  std::string text;
  try {
    text = buildinfo::describe_with_lief(path).dump(-1, ' ', false, replace);
  } catch (const std::exception& e) {  // e.g. out of memory; describe_with_lief itself reports LIEF errors
    text = nlohmann::json{{"error", e.what()}}.dump(-1, ' ', false, replace);
  }
  return malloc_copy(text);
}

static_assert(std::is_same<decltype(&buildinfo_module_describe), buildinfo_describe_fn>::value,
              "the entry point matches its declaration in tool_modules.h");
