// Compiler id and version from `--version` output.
#include "record/compiler_info.h"

#include <cctype>

#include "support/error.h"
#include "support/process.h"

namespace buildinfo {
namespace {

bool contains(const std::string& text, const char* word) { return text.find(word) != std::string::npos; }

// The first token like 12.2.0 or 14.0.6 at or after `from`.
std::string first_dotted_number(const std::string& line, size_t from = 0) {
  for (size_t i = from; i < line.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(line[i])) ||
        (i > 0 && std::isalnum(static_cast<unsigned char>(line[i - 1]))))
      continue;
    size_t end = i;
    bool dotted = false;
    while (end < line.size() && (std::isdigit(static_cast<unsigned char>(line[end])) || line[end] == '.')) {
      dotted |= line[end] == '.';
      ++end;
    }
    if (dotted) return line.substr(i, end - i);
  }
  return {};
}

}  // namespace

CompilerFacts parse_compiler_version_output(const std::string& text) {
  const std::string line = text.substr(0, text.find('\n'));
  CompilerFacts facts;
  if (contains(line, "Apple clang")) {
    facts.id = "AppleClang";
  } else if (contains(line, "clang")) {
    facts.id = "Clang";
  } else if (contains(line, "(GCC)") || contains(line, "gcc") || contains(line, "g++") ||
             contains(text, "Free Software Foundation")) {
    // Installed as c++ or cc, GCC names itself only in its copyright line.
    facts.id = "GNU";
  } else if (contains(line, "Intel")) {
    facts.id = "IntelLLVM";
  } else {
    facts.id = line.substr(0, line.find(' '));
  }
  // "clang version 14.0.6" names its version after the word; GCC puts it last.
  const size_t version_word = line.find("version ");
  facts.version = first_dotted_number(line, version_word == std::string::npos ? 0 : version_word);
  if (facts.id == "GNU") {
    const size_t close = line.rfind(')');
    const std::string after = first_dotted_number(line, close == std::string::npos ? 0 : close);
    if (!after.empty()) facts.version = after;
  }
  return facts;
}

CompilerFacts detect_compiler(const std::string& path) {
  const ProcessResult result = run_process({path, "--version"}, "", ChildStderr::merge);
  if (result.exit_status != 0)
    throw Error(ErrorKind::bad_input, "compiler '" + path + "' failed to report its version (--version exited with " +
                                          std::to_string(result.exit_status) + ")");
  CompilerFacts facts = parse_compiler_version_output(result.output);
  if (facts.id == "GNU" && facts.version.find('.') == std::string::npos) {
    // Some GCC builds (mingw's "12-win32") print no dotted number.
    const ProcessResult full = run_process({path, "-dumpfullversion"});
    if (full.exit_status == 0) facts.version = full.output.substr(0, full.output.find('\n'));
  }
  if (facts.version.empty())
    throw Error(ErrorKind::bad_input,
                "cannot tell the version of compiler '" + path + "'; pass --compiler-id and --compiler-version");
  return facts;
}

}  // namespace buildinfo
