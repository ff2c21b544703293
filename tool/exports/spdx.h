// An SPDX 2.3 JSON document of stamped files
// (https://spdx.github.io/spdx-spec/v2.3/): the document DESCRIBES each
// file, a package with its SHA-256 as on disk and its purl, which
// DEPENDS_ON its dependencies, packages with purls.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "exports/export_subject.h"

namespace buildinfo {

// `name` names the document (the file, or the directory of several).
nlohmann::json spdx_document(const std::vector<ExportSubject>& subjects, const std::string& name);

}  // namespace buildinfo
