// buildinfo-lief.so: describe_with_lief behind a C entry point (tool_modules.h).
#include <string>
#include <type_traits>

#include "lief_description.h"
#include "tool_modules.h"

extern "C" __attribute__((visibility("default"))) char* buildinfo_module_describe(const char* path) {
  std::string text;
  try {
    text = buildinfo::describe_with_lief(path).dump();
  } catch (const std::exception& e) {  // e.g. out of memory; describe_with_lief itself reports LIEF errors
    text = nlohmann::json{{"error", e.what()}}.dump();
  }
  return malloc_copy(text);
}

static_assert(std::is_same<decltype(&buildinfo_module_describe), buildinfo_describe_fn>::value,
              "the entry point matches its declaration in tool_modules.h");
