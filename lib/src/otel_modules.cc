// The buildinfo.modules attribute value: the loaded modules and their
// revisions in one string (see otel.hpp).
#include <cstring>
#include <string_view>

#include "buildinfo/modules.hpp"
#include "buildinfo/otel.hpp"

namespace buildinfo {
namespace otel {
namespace {

// Appends to a snprintf-like buffer: counts every byte, writes those that fit.
struct bounded_writer {
  char* out;
  std::size_t capacity;
  std::size_t length = 0;

  void append(std::string_view text) noexcept {
    for (const char c : text) {
      if (length + 1 < capacity) out[length] = c;
      ++length;
    }
  }
};

std::string_view file_name(std::string_view path) noexcept {
  const std::size_t slash = path.find_last_of("/\\");
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace

std::size_t modules_value(char* out, std::size_t capacity) noexcept {
  bounded_writer writer{out, capacity};
  for_each_module([&writer](const loaded_module& m) {
    if (writer.length > 0) writer.append(";");
    writer.append(file_name(m.path));
    if (!m.build.stamped()) {
      writer.append("@not-stamped");
      return;
    }
    writer.append("@");
    writer.append(m.build.revision());
    if (m.build.get("vcs.modified") == "true") writer.append("+modified");
  });
  if (capacity > 0) out[writer.length < capacity ? writer.length : capacity - 1] = '\0';
  return writer.length;
}

}  // namespace otel
}  // namespace buildinfo
