// for_each_module() and the buildinfo.modules value in this test process:
// the test program carries the runtime's default slot, unstamped.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "buildinfo/modules.hpp"
#include "buildinfo/otel.hpp"

TEST_CASE("modules: the test program lists itself, unstamped, as self") {
  std::vector<std::string> paths;
  int selves = 0;
  const std::size_t count = buildinfo::for_each_module([&](const buildinfo::loaded_module& m) {
    paths.emplace_back(m.path);
    if (m.self) {
      ++selves;
      CHECK(m.build.state() == buildinfo::status::not_stamped);
    }
  });
  CHECK(count == paths.size());
  REQUIRE(selves == 1);  // the loader's libraries carry no slot; this program does
  CHECK(buildinfo::for_each_module(nullptr, nullptr) == 0);
}

TEST_CASE("modules: the attribute value is written like snprintf") {
  const std::size_t length = buildinfo::otel::modules_value(nullptr, 0);
  REQUIRE(length > 0);
  std::string full(length + 1, 'x');
  CHECK(buildinfo::otel::modules_value(full.data(), full.size()) == length);
  CHECK(full[length] == '\0');
  full.resize(length);
  CHECK(full.find("unit_tests@not-stamped") != std::string::npos);
  char small[5] = {'x', 'x', 'x', 'x', 'x'};
  CHECK(buildinfo::otel::modules_value(small, sizeof small) == length);
  CHECK(std::string(small) == full.substr(0, 4));  // truncated, NUL-terminated
}
