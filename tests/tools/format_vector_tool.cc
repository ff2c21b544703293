// Test tool: the slot bytes of FORMAT.md's test vector, made by the code
// that `buildinfo stamp` runs (record/record_writer.cc): the payload in
// canonical form, its DSSE pre-authentication encoding signed by the Signer
// of --key, and the slot encoded at the given capacity. Writes the raw slot
// to standard output. tests/cli/format_vector.sh compares it with FORMAT.md.
//   format_vector_tool KEY.pem CAPACITY PAYLOAD.json
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/exit_code.h"
#include "formats/slot_codec.h"
#include "plugins/plugin_loader.h"
#include "record/payload.h"
#include "signing/signer.h"
#include "signing/signing.h"
#include "support/error.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: format_vector_tool KEY.pem CAPACITY PAYLOAD.json\n";
    return 2;
  }
  try {
    buildinfo::set_plugin_directory(BUILDINFO_TEST_PLUGIN_DIR);
    std::ifstream in(argv[3], std::ios::binary);
    if (!in) throw buildinfo::Error(buildinfo::ErrorKind::bad_input, argv[3], "cannot open");
    std::ostringstream json;
    json << in.rdbuf();

    buildinfo::SignerOptions options;
    options.key_file = argv[1];
    const buildinfo::Signer signer(options);
    buildinfo::SlotContents contents;
    contents.payload = buildinfo::canonical_json(buildinfo::parse_payload(json.str(), argv[3]));
    contents.signature_algorithm = static_cast<uint32_t>(signer.algorithm());
    contents.key_id = signer.key_id();
    contents.signature = signer.sign(buildinfo::dsse_pae(buildinfo::kPayloadType, contents.payload));
    const std::vector<uint8_t> slot = buildinfo::encode_slot(std::stoull(argv[2]), contents);
    std::fwrite(slot.data(), 1, slot.size(), stdout);
    return std::fflush(stdout) == 0 ? 0 : 2;
  } catch (const buildinfo::Error& e) {
    std::cerr << "format_vector_tool: " << e.what() << "\n";
    return static_cast<int>(buildinfo::exit_code(e.kind()));
  } catch (const std::exception& e) {
    std::cerr << "format_vector_tool: " << e.what() << "\n";
    return 2;
  }
}
