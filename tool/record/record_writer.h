// Writes records into a binary's slots: signs each payload, encodes the
// slot, applies the format's fix-ups (PE CheckSum, Mach-O page hashes) and
// replaces the file atomically, only when anything changed. Shared by stamp
// and restamp.
#pragma once

#include <vector>

#include "formats/loaded_binary.h"
#include "record/payload.h"
#include "signing/signer.h"
#include "support/file_io.h"

namespace buildinfo {

struct WriteOptions {
  bool quiet = false;           // print nothing on success
  bool keep_timestamp = false;  // FileReplacement::keep_timestamp
  // Write even over a signature made by others (Authenticode, Mach-O CMS),
  // which the write invalidates; with a warning. Without it, such a file
  // is refused before anything is written.
  bool force = false;
};

// Bytes written in place before the slots (a package note): covered by the
// image digest, so the payloads' image.sha256 must have been computed with
// them.
struct PlainWrite {
  uint64_t offset;
  std::vector<uint8_t> bytes;
  std::string report;  // the line stamp prints for it
};

class RecordWriter {
 public:
  // Starts copying the binary to a temporary file beside it, so that the
  // copy overlaps the caller's hashing. Nothing replaces the binary until
  // write() commits.
  explicit RecordWriter(const LoadedBinary& binary);

  // Writes payloads[i] (complete, image.sha256 included) into slot i of the
  // binary, signed by `signer`. Returns true when the file was replaced,
  // false when the records were already there byte for byte (then a signed
  // file is no obstacle: it is left as it is). Errors name the file; on
  // error the binary is left as it was.
  bool write(const std::vector<Payload>& payloads, const Signer& signer, const WriteOptions& options,
             const std::vector<PlainWrite>& plain = {});

 private:
  const LoadedBinary& binary_;
  FileReplacement replacement_;
};

}  // namespace buildinfo
