// The doctest runner for all unit tests. Git facts and LIEF descriptions
// come from the tool's plug-ins, loaded from the build tree.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "plugins/plugin_loader.h"

int main(int argc, char** argv) {
  buildinfo::set_plugin_directory(BUILDINFO_TEST_PLUGIN_DIR);
  return doctest::Context(argc, argv).run();
}
