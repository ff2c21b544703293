// A main() for plain builds: feeds every file of the given corpus directories
// to LLVMFuzzerTestOneInput, so ctest replays the seeds and regression inputs
// without libFuzzer (bloaty tests/fuzz_driver.cc). A missing directory is
// skipped; a crash or sanitizer report fails the test.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

std::vector<std::filesystem::path> corpus_files(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());  // a stable order makes failures reproducible
  return files;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t replayed = 0;
  for (int i = 1; i < argc; ++i) {
    for (const std::filesystem::path& file : corpus_files(argv[i])) {
      std::ifstream in(file, std::ios::binary);
      if (!in) {
        std::fprintf(stderr, "fuzz replay: cannot read '%s'\n", file.c_str());
        return 2;
      }
      std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      // Print the name first: if the input crashes, the log says which one.
      std::fprintf(stderr, "replaying %s (%zu bytes)\n", file.c_str(), bytes.size());
      // `bytes` is a heap block of exactly the input's size, so an overread is
      // caught by ASan in sanitizer builds as it would be under libFuzzer.
      LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
      ++replayed;
    }
  }
  std::printf("replayed %llu inputs\n", static_cast<unsigned long long>(replayed));
  return 0;
}
