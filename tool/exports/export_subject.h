// What every export describes: one stamped file, as on disk, with its
// record and its dependency inventory.
#pragma once

#include <string>
#include <vector>

#include "record/dependency_inventory.h"
#include "record/payload.h"

namespace buildinfo {

struct ExportSubject {
  std::string name;                      // the file's name, as the subject of the document
  std::string sha256;                    // of the whole file as on disk, lowercase hex
  Payload record;                        // the first stamped slot's record
  std::vector<Dependency> dependencies;  // the inventory the record binds; empty without one
};

// The record's value of `key`, or "".
inline std::string fact(const Payload& record, const char* key) {
  const auto it = record.find(key);
  return it == record.end() ? std::string() : it->second;
}

// The purl that names the stamped file itself: pkg:generic/<project.name
// or the file name>@<project.version>.
std::string subject_purl(const ExportSubject& subject);

// The purls of the dependencies no other dependency links: those the file
// links itself, as far as the inventory says.
std::vector<std::string> direct_dependencies(const ExportSubject& subject);

}  // namespace buildinfo
