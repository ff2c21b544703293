// JSON lines for scripts: one object per line, and nothing a terminal would
// act on, even from a hostile file's strings.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace buildinfo {

// Non-ASCII characters become \u escapes (jq and every JSON parser read them
// back); bytes that are not UTF-8, which only damaged input carries, become
// U+FFFD instead of making dump() throw.
inline std::string json_line(const nlohmann::json& value) {
  return value.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace);
}

}  // namespace buildinfo
