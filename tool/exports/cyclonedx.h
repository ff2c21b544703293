// A CycloneDX 1.6 JSON BOM of stamped files
// (https://cyclonedx.org/docs/1.6/json/): each file a component with its
// SHA-256 as on disk, its purl, its repository and revision, the rest of its
// record as properties; its dependencies as components with purls; the
// graph between them.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "exports/export_subject.h"

namespace buildinfo {

// One file: metadata.component is the file. Several: metadata.component is
// `collection` (the directory they came from) and each file is one of its
// components. A fresh random serialNumber every time, as the specification
// asks of every BOM generated.
nlohmann::json cyclonedx_bom(const std::vector<ExportSubject>& subjects, const std::string& collection);

}  // namespace buildinfo
