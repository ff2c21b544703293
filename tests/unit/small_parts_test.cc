// Time formatting, compiler version parsing and the bounds-checked reader.
#include <doctest/doctest.h>

#include <cerrno>
#include <cstdlib>

#include "cli/exit_code.h"
#include "record/compiler_info.h"
#include "support/byte_view.h"
#include "support/error.h"
#include "support/time_format.h"

TEST_CASE("iso8601_utc formats known instants") {
  CHECK(buildinfo::iso8601_utc(0) == "1970-01-01T00:00:00Z");
  CHECK(buildinfo::iso8601_utc(1700000000) == "2023-11-14T22:13:20Z");
  CHECK(buildinfo::iso8601_utc(951782400) == "2000-02-29T00:00:00Z");
  CHECK(buildinfo::iso8601_utc(4102444799) == "2099-12-31T23:59:59Z");
}

TEST_CASE("SOURCE_DATE_EPOCH is honoured and validated") {
  ::setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
  CHECK(buildinfo::source_date_epoch() == 1700000000);
  ::setenv("SOURCE_DATE_EPOCH", "soon", 1);
  CHECK_THROWS_AS(buildinfo::source_date_epoch(), buildinfo::Error);
  ::unsetenv("SOURCE_DATE_EPOCH");
  CHECK_FALSE(buildinfo::source_date_epoch().has_value());
}

TEST_CASE("compiler --version output is parsed") {
  struct Case {
    const char* text;
    const char* id;
    const char* version;
  };
  const Case cases[] = {
      {"gcc (Debian 12.2.0-14+deb12u1) 12.2.0\nCopyright", "GNU", "12.2.0"},
      {"g++ (GCC) 13.1.1 20230614 (Red Hat 13.1.1-4)\n", "GNU", "13.1.1"},
      {"c++ (Debian 12.2.0-14+deb12u1) 12.2.0\nCopyright (C) 2022 Free Software Foundation, Inc.\n", "GNU", "12.2.0"},
      {"x86_64-w64-mingw32-g++ (GCC) 12-win32\n", "GNU", ""},
      {"Debian clang version 14.0.6\nTarget: x86_64-pc-linux-gnu\n", "Clang", "14.0.6"},
      {"Apple clang version 15.0.0 (clang-1500.1.0.2.5)\n", "AppleClang", "15.0.0"},
      {"Ubuntu clang version 18.1.3 (1ubuntu1)\n", "Clang", "18.1.3"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    const buildinfo::CompilerFacts facts = buildinfo::parse_compiler_version_output(c.text);
    CHECK(facts.id == c.id);
    CHECK(facts.version == c.version);
  }
}

TEST_CASE("ByteView reads both byte orders and refuses to overrun") {
  const uint8_t bytes[] = {0x01, 0x02, 0x03, 0x04, 'a', 'b', 0, 'c'};
  const buildinfo::ByteView view(bytes, sizeof bytes);
  CHECK(view.le<uint32_t>(0, "x") == 0x04030201u);
  CHECK(view.be<uint32_t>(0, "x") == 0x01020304u);
  CHECK(view.cstring(4, 100, "s") == "ab");
  CHECK(view.fixed_string(4, 2, "s") == "ab");
  CHECK_THROWS_AS(view.le<uint32_t>(5, "x"), buildinfo::Error);
  CHECK_THROWS_AS(view.sub(4, 5, "x"), buildinfo::Error);
  CHECK_THROWS_AS(view.le<uint64_t>(UINT64_MAX - 2, "x"), buildinfo::Error);
  CHECK(buildinfo::saturating_mul(UINT64_MAX / 2, 3) == UINT64_MAX);
  CHECK(buildinfo::saturating_mul(6, 7) == 42);
  CHECK_THROWS_AS(view.sub(0, buildinfo::saturating_mul(UINT64_MAX / 2, 3), "x"), buildinfo::Error);
}

TEST_CASE("A view's errors name its file, and so do the views cut from it") {
  const uint8_t bytes[] = {1, 2, 3, 4};
  const std::string file = "dir/app";
  const buildinfo::ByteView view(bytes, sizeof bytes, &file);
  try {
    (void)view.sub(1, 2, "inner").le<uint32_t>(0, "word");
    FAIL("no error");
  } catch (const buildinfo::Error& e) {
    CHECK(e.kind() == buildinfo::ErrorKind::bad_input);
    CHECK(e.file() == "dir/app");
    CHECK(e.defect() == "word is truncated");
    CHECK(std::string(e.what()) == "dir/app: word is truncated");
  }
  const buildinfo::ByteView anonymous(bytes, sizeof bytes);
  CHECK(anonymous.malformed("bad").file().empty());
  CHECK(std::string(anonymous.malformed("bad").what()) == "bad");
}

TEST_CASE("Each kind of error has its documented exit code, and an internal failure is not bad input") {
  using buildinfo::ErrorKind;
  using buildinfo::ExitCode;
  CHECK(buildinfo::exit_code(ErrorKind::bad_input) == ExitCode::bad_input);
  CHECK(buildinfo::exit_code(ErrorKind::no_record) == ExitCode::no_record);
  CHECK(buildinfo::exit_code(ErrorKind::internal) == ExitCode::internal);
  CHECK(static_cast<int>(ExitCode::internal) == 4);
  CHECK(buildinfo::internal_error("OpenSSL could not hash").kind() == ErrorKind::internal);
  CHECK(buildinfo::io_error("out/app", "cannot write", ENOSPC).kind() == ErrorKind::bad_input);
  CHECK(
      std::string(buildinfo::io_error("out/app", "cannot write", ENOSPC).what()).rfind("out/app: cannot write: ", 0) ==
      0);
}
