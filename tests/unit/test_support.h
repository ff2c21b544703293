// Helpers shared by unit tests that drive command-line tools (git, openssl).
#pragma once

#include <doctest/doctest.h>

#include <cstdio>
#include <string>

namespace test_support {

// `text` single-quoted for sh.
inline std::string quote(const std::string& text) {
  std::string quoted = "'";
  for (const char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// Runs a shell command (stdin closed), requires it to succeed, and returns
// its standard output without trailing newlines.
inline std::string run(const std::string& command) {
  FILE* pipe = ::popen(("(" + command + ") </dev/null").c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string output;
  char chunk[4096];
  size_t n = 0;
  while ((n = std::fread(chunk, 1, sizeof chunk, pipe)) > 0) output.append(chunk, n);
  const int status = ::pclose(pipe);
  INFO("command: ", command);
  REQUIRE(status == 0);
  while (!output.empty() && (output.back() == '\n' || output.back() == '\r')) output.pop_back();
  return output;
}

}  // namespace test_support
