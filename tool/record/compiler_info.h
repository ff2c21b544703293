// The compiler that built a binary: given by the build system or asked of it.
#pragma once

#include <string>

namespace buildinfo {

struct CompilerFacts {
  std::string id;       // CMake's compiler ids: GNU, Clang, AppleClang, MSVC, Intel...
  std::string version;  // e.g. 12.2.0
};

// Parses the first lines of `COMPILER --version`. Unknown compilers keep
// their first word as id and the first dotted number as version.
CompilerFacts parse_compiler_version_output(const std::string& text);

// Runs `path --version` and parses it. Throws Error(bad_input) when it cannot run.
CompilerFacts detect_compiler(const std::string& path);

}  // namespace buildinfo
