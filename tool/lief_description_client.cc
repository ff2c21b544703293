// describe_with_lief for the `buildinfo` executable: through
// buildinfo-lief.so, so that runs which need no description never load LIEF.
#include <cstdlib>
#include <memory>

#include "lief_description.h"
#include "module_loader.h"
#include "tool_modules.h"

namespace buildinfo {

nlohmann::json describe_with_lief(const std::string& path) {
  try {
    const auto describe =
        reinterpret_cast<buildinfo_describe_fn>(module_symbol(BUILDINFO_LIEF_MODULE, BUILDINFO_DESCRIBE_SYMBOL));
    const std::unique_ptr<char, decltype(&std::free)> text(describe(path.c_str()), &std::free);
    if (!text) return {{"error", "out of memory"}};
    return nlohmann::json::parse(text.get());
  } catch (const nlohmann::json::exception& e) {
    return {{"error", std::string("the description from " BUILDINFO_LIEF_MODULE " is not JSON (") + e.what() + ")"}};
  } catch (const std::exception& e) {  // the module is missing
    return {{"error", e.what()}};
  }
}

}  // namespace buildinfo
