// The runtime's costs: buildinfo::read() (first and repeated calls), the
// OpenTelemetry attributes and their OTEL_RESOURCE_ATTRIBUTES encoding.
//   read_benchmark                 Google Benchmark runs (its flags apply)
//   read_benchmark --first-call    prints the nanoseconds of this process's
//                                  first read() (one sample per process)
//   read_benchmark --syscall-check writes "buildinfo-begin", then calls
//                                  everything measured here, then writes
//                                  "buildinfo-end", for strace to look between
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "buildinfo/buildinfo.hpp"
#include "buildinfo/otel.hpp"
#include "buildinfo/slot_layout.h"

// Defined by the slot source buildinfo_stamp() generated for this program.
extern "C" const unsigned char* buildinfo_slot_bytes(uint32_t* slot_capacity);

namespace {

// What the first read() does: parse this program's slot into fresh storage.
void BM_parse_own_slot(benchmark::State& state) {
  uint32_t capacity = 0;
  const unsigned char* slot = buildinfo_slot_bytes(&capacity);
  std::vector<unsigned char> storage(buildinfo::parse_storage_size(capacity));
  for (auto _ : state) {
    buildinfo::record record;
    benchmark::DoNotOptimize(buildinfo::parse_slot(slot, capacity, storage.data(), storage.size(), record));
    benchmark::DoNotOptimize(record);
  }
}
BENCHMARK(BM_parse_own_slot);

void BM_read_repeated(benchmark::State& state) {
  benchmark::DoNotOptimize(buildinfo_read());  // the first call is not measured here
  for (auto _ : state) benchmark::DoNotOptimize(buildinfo_read());
}
BENCHMARK(BM_read_repeated);

void BM_read_get_revision(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(buildinfo::read().revision());
}
BENCHMARK(BM_read_get_revision);

void BM_resource_attributes_repeated(benchmark::State& state) {
  size_t count = 0;
  benchmark::DoNotOptimize(buildinfo_otel_attributes(&count));
  for (auto _ : state) benchmark::DoNotOptimize(buildinfo_otel_attributes(&count));
}
BENCHMARK(BM_resource_attributes_repeated);

// Encoding the attributes as an OTEL_RESOURCE_ATTRIBUTES value.
void BM_otel_encode(benchmark::State& state) {
  size_t count = 0;
  const buildinfo_otel_attribute* attributes = buildinfo_otel_attributes(&count);
  std::string out(buildinfo_otel_encode(attributes, count, nullptr, 0) + 1, '\0');
  for (auto _ : state) benchmark::DoNotOptimize(buildinfo_otel_encode(attributes, count, out.data(), out.size()));
  state.SetLabel(std::to_string(count) + " attributes, " + std::to_string(out.size() - 1) + " bytes");
}
BENCHMARK(BM_otel_encode);

// Merging them into an existing variable value (what merge_into_environment does).
void BM_otel_merge(benchmark::State& state) {
  size_t count = 0;
  const buildinfo_otel_attribute* attributes = buildinfo_otel_attributes(&count);
  const std::string existing = "service.name=checkout,deployment.environment.name=production";
  std::string out(buildinfo_otel_merge(existing.data(), existing.size(), attributes, count, nullptr, 0) + 1, '\0');
  for (auto _ : state)
    benchmark::DoNotOptimize(
        buildinfo_otel_merge(existing.data(), existing.size(), attributes, count, out.data(), out.size()));
}
BENCHMARK(BM_otel_merge);

void write_marker(const char* text) {
  ssize_t ignored = ::write(STDOUT_FILENO, text, std::strlen(text));
  (void)ignored;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::strcmp(argv[1], "--first-call") == 0) {
    const auto start = std::chrono::steady_clock::now();
    const buildinfo::record record = buildinfo::read();
    const auto stop = std::chrono::steady_clock::now();
    if (!record.stamped()) {
      std::fprintf(stderr, "read_benchmark: not stamped (%s)\n", buildinfo::to_string(record.state()).data());
      return 1;
    }
    std::printf("%lld\n",
                static_cast<long long>(std::chrono::duration_cast<std::chrono::nanoseconds>(stop - start).count()));
    return 0;
  }
  if (argc == 2 && std::strcmp(argv[1], "--syscall-check") == 0) {
    write_marker("buildinfo-begin\n");
    const bool stamped = buildinfo::read().stamped();
    benchmark::DoNotOptimize(buildinfo::resource_attributes().size());
    benchmark::DoNotOptimize(buildinfo::otel::encoded().size());
    write_marker("buildinfo-end\n");
    return stamped ? 0 : 1;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  if (!buildinfo::read().stamped()) {
    std::fprintf(stderr, "read_benchmark: not stamped: the benchmark would measure an empty record\n");
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
