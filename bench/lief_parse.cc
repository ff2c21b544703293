// Reference for the stamp benchmark: a full LIEF parse of a binary, what a
// tool built on LIEF pays before it can look at anything.
#include <LIEF/LIEF.hpp>

#include <cstdio>
#include <memory>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: lief_parse BINARY\n");
    return 2;
  }
  std::unique_ptr<LIEF::Binary> binary = LIEF::Parser::parse(argv[1]);
  if (!binary) return 1;
  // Use the result, so the parse cannot be skipped.
  std::printf("%zu sections\n", static_cast<size_t>(binary->sections().size()));
  return 0;
}
