// The tool's plug-ins, reached as the tool reaches them (tests/unit/main.cc
// names their build directory): both are of this build, the header check
// refuses any other, and the LIEF plug-in's typed description of a real
// binary. git_info_test.cc drives the git plug-in the same way.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "describe/lief_description.h"
#include "plugins/plugin_loader.h"

namespace {

// The message check_plugin_header throws for `header`, or "" when it accepts it.
std::string refusal(const buildinfo_plugin_header* header, uint32_t kind = BUILDINFO_PLUGIN_LIEF,
                    size_t size = sizeof(buildinfo_lief_plugin)) {
  try {
    buildinfo::check_plugin_header("/opt/lib/buildinfo/buildinfo-lief.so", header, kind, size);
    return "";
  } catch (const buildinfo::PluginRefused& e) {
    CHECK(e.kind() == buildinfo::ErrorKind::bad_input);
    return e.what();
  }
}

const std::string kThisTool =
    "this tool is " BUILDINFO_VERSION " (interface " + std::to_string(BUILDINFO_PLUGIN_ABI) + ")";

}  // namespace

TEST_CASE("plug-ins: both are of this build") {
  const buildinfo_git_plugin& git = buildinfo::git_plugin();
  CHECK(git.header.abi == BUILDINFO_PLUGIN_ABI);
  CHECK(git.header.kind == BUILDINFO_PLUGIN_GIT);
  CHECK(std::string(git.header.version) == BUILDINFO_VERSION);
  CHECK(git.header.size == sizeof(buildinfo_git_plugin));
  const buildinfo_lief_plugin& lief = buildinfo::lief_plugin();
  CHECK(lief.header.abi == BUILDINFO_PLUGIN_ABI);
  CHECK(lief.header.kind == BUILDINFO_PLUGIN_LIEF);
  CHECK(std::string(lief.header.version) == BUILDINFO_VERSION);
  CHECK(lief.header.size == sizeof(buildinfo_lief_plugin));
  // Loaded once: the same table on every call.
  CHECK(&buildinfo::git_plugin() == &git);
  CHECK(&buildinfo::lief_plugin() == &lief);
}

TEST_CASE("plug-ins: a header of another build is refused, naming the file and both versions") {
  buildinfo_plugin_header header{BUILDINFO_PLUGIN_ABI, BUILDINFO_PLUGIN_LIEF, BUILDINFO_VERSION,
                                 sizeof(buildinfo_lief_plugin)};
  CHECK(refusal(&header).empty());

  header.version = "0.0.1-elsewhere";
  CHECK(refusal(&header) ==
        "/opt/lib/buildinfo/buildinfo-lief.so is from another build of buildinfo: the plug-in is "
        "0.0.1-elsewhere (interface " +
            std::to_string(BUILDINFO_PLUGIN_ABI) + "), " + kThisTool + "; reinstall buildinfo");
  header.version = nullptr;
  CHECK(refusal(&header).find("the plug-in is (none) (interface") != std::string::npos);
  const std::string long_version(500, '7');
  header.version = long_version.c_str();
  CHECK(refusal(&header).find("the plug-in is " + std::string(64, '7') + "... (interface") != std::string::npos);

  header.version = BUILDINFO_VERSION;
  header.abi = BUILDINFO_PLUGIN_ABI + 1;
  CHECK(refusal(&header) ==
        "/opt/lib/buildinfo/buildinfo-lief.so is from another build of buildinfo: the plug-in is " BUILDINFO_VERSION
        " (interface " +
            std::to_string(BUILDINFO_PLUGIN_ABI + 1) + "), " + kThisTool + "; reinstall buildinfo");

  header.abi = BUILDINFO_PLUGIN_ABI;
  CHECK(refusal(&header, BUILDINFO_PLUGIN_GIT, sizeof(buildinfo_git_plugin)) ==
        "/opt/lib/buildinfo/buildinfo-lief.so is the LIEF plug-in, not the git one; reinstall buildinfo");
  header.size = sizeof(buildinfo_lief_plugin) - 8;
  CHECK(refusal(&header).find("has a table of " + std::to_string(sizeof(buildinfo_lief_plugin) - 8) + " bytes") !=
        std::string::npos);

  CHECK(refusal(nullptr) ==
        "/opt/lib/buildinfo/buildinfo-lief.so is not a plug-in of this build of buildinfo (it "
        "has no buildinfo_plugin table), " +
            kThisTool + "; reinstall buildinfo");
}

TEST_CASE("LIEF plug-in: the description of this test program") {
  const buildinfo::LiefDescription description = buildinfo::describe_with_lief("/proc/self/exe");
  REQUIRE_FALSE(description.error);
  CHECK(description.format == "ELF");
  CHECK(description.bits == (sizeof(void*) == 8 ? 64 : 32));
  CHECK_FALSE(description.architecture.empty());
  CHECK_FALSE(description.object_type.empty());
  CHECK_FALSE(description.endianness.empty());
  CHECK(description.os_abi);
  CHECK(description.interpreter);
  CHECK(description.entrypoint);
  CHECK_FALSE(description.code_signature);  // Mach-O only
  CHECK_FALSE(description.install_name);
  const auto text = std::find_if(description.sections.begin(), description.sections.end(),
                                 [](const buildinfo::LiefSection& s) { return s.name == ".text"; });
  REQUIRE(text != description.sections.end());
  CHECK(text->offset > 0);
  CHECK(text->size > 0);
  CHECK(text->virtual_size == 0);  // PE only
  CHECK(*description.entrypoint >= text->address);
  CHECK(*description.entrypoint < text->address + text->size);
  CHECK(std::any_of(description.libraries.begin(), description.libraries.end(),
                    [](const std::string& name) { return name.rfind("libc.so", 0) == 0; }));
}

TEST_CASE("LIEF plug-in: what it cannot describe is an error, with nothing else") {
  for (const char* path : {"/proc/self/cmdline", "/nonexistent/buildinfo-test"}) {
    INFO(path);
    const buildinfo::LiefDescription description = buildinfo::describe_with_lief(path);
    REQUIRE(description.error);
    CHECK_FALSE(description.error->empty());
    CHECK(description.format.empty());
    CHECK(description.sections.empty());
  }
}
