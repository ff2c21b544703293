// Timestamps for the payload: ISO 8601 UTC, and SOURCE_DATE_EPOCH.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace buildinfo {

// "2026-11-23T13:33:00Z" for seconds since the epoch.
std::string iso8601_utc(int64_t epoch_seconds);

// Seconds since the epoch of an ISO 8601 date and time with seconds and a
// zone, "2026-11-23T14:33:00+01:00" or "...Z" (what `git log --format=%cI`
// prints); nullopt for anything else.
std::optional<int64_t> parse_iso8601(const std::string& text);

// SOURCE_DATE_EPOCH (reproducible-builds.org/specs/source-date-epoch/) when
// set; Error(bad_input) when set but not a non-negative integer.
std::optional<int64_t> source_date_epoch();

// Seconds since the epoch now.
int64_t now_epoch();

}  // namespace buildinfo
