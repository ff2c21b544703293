// Work on many files at once: `count` items, on `jobs` threads (0: one per
// core), each item's result stored at its index, so that the output keeps
// the command line's order whatever the threads' timing.
#pragma once

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace buildinfo {

// At most this many threads: each may map a file of up to 4 GiB.
constexpr unsigned kMaxJobs = 256;

template <typename Work>
void for_each_index(size_t count, unsigned jobs, const Work& work) {
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < count; i = next++) work(i);
  };
  if (jobs == 0) jobs = std::min(kMaxJobs, std::max(1u, std::thread::hardware_concurrency()));
  jobs = static_cast<unsigned>(std::min<size_t>(jobs, count));
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < jobs; ++t) threads.emplace_back(worker);
  worker();
  for (std::thread& t : threads) t.join();
}

}  // namespace buildinfo
