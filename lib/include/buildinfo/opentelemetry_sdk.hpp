// The opentelemetry-cpp adapter: this module's build record as an SDK
// Resource. Header-only; include it only where opentelemetry-cpp is available
// (find_package(opentelemetry-cpp CONFIG); link opentelemetry-cpp::resources,
// which holds Resource::Create (opentelemetry-cpp::sdk is headers only and
// links nothing), and buildinfo::runtime). docs/OPENTELEMETRY.md has a
// complete TracerProvider and LoggerProvider setup:
//
//   const opentelemetry::sdk::resource::Resource resource = buildinfo::otel::make_resource();
//   ... TracerProviderFactory::Create(std::move(processor), resource) ...
#ifndef BUILDINFO_OPENTELEMETRY_SDK_HPP
#define BUILDINFO_OPENTELEMETRY_SDK_HPP

#include <cstddef>
#include <cstdlib>
#include <string>
#include <string_view>

#include "buildinfo/otel.hpp"
#include "opentelemetry/common/attribute_value.h"
#include "opentelemetry/nostd/string_view.h"
#include "opentelemetry/sdk/resource/resource.h"

namespace buildinfo {
namespace otel {
namespace sdk_detail {

inline void set(opentelemetry::sdk::resource::ResourceAttributes& out, std::string_view key, std::string_view value) {
  // nostd::string_view is the SDK's own type or std::string_view depending on
  // how the SDK was built; (pointer, size) constructs either.
  out.SetAttribute(
      opentelemetry::nostd::string_view(key.data(), key.size()),
      opentelemetry::common::AttributeValue(opentelemetry::nostd::string_view(value.data(), value.size())));
}

inline std::string decoded(std::string_view raw) {
  std::string out(percent_decode(raw, nullptr, 0) + 1, '\0');
  out.resize(percent_decode(raw, &out[0], out.size()));
  return out;
}

}  // namespace sdk_detail

// All of this module's attributes (buildinfo::resource_attributes()) as the
// SDK's attribute map. Passed to Resource::Create as they are, they override
// OTEL_RESOURCE_ATTRIBUTES; make_resource() does not.
inline opentelemetry::sdk::resource::ResourceAttributes resource_attributes_for_sdk() {
  opentelemetry::sdk::resource::ResourceAttributes out;
  for (const attribute& a : attributes()) sdk_detail::set(out, a.key, a.value);
  return out;
}

// Resource::Create(attributes) merges the SDK default, then the environment
// (OTEL_RESOURCE_ATTRIBUTES, OTEL_SERVICE_NAME), then `attributes`, which win:
// the specification gives what the program passes priority over the
// environment. Our attributes are detected, not chosen by the user, so the
// user's environment must keep winning: every key OTEL_RESOURCE_ATTRIBUTES
// already sets, as the SDK reads keys (otel::find: as written, neither trimmed
// nor decoded), is left out, unless
// it holds our own value (as after merge_into_environment()); then it is
// passed decoded, because opentelemetry-cpp up to v1.28.0 does not
// percent-decode the variable. The SDK reads the variable once, at the first
// Resource::Create of the process; this reads it at every call, so set it
// before either. `user` attributes are added last and win over both. The
// schema URL is that of the semantic conventions the names follow.
inline opentelemetry::sdk::resource::Resource make_resource(
    const opentelemetry::sdk::resource::ResourceAttributes& user = {},
    const std::string& schema_url = std::string(kSchemaUrl)) {
  const char* env = std::getenv(kEnvironmentVariable);
  const std::string_view env_list = env == nullptr ? std::string_view() : std::string_view(env);
  opentelemetry::sdk::resource::ResourceAttributes attrs;
  for (const attribute& a : attributes()) {
    std::string_view raw;
    if (find(env_list, a.key, &raw) && sdk_detail::decoded(raw) != a.value) continue;  // the user's setting wins
    sdk_detail::set(attrs, a.key, a.value);
  }
  for (const auto& kv : user) attrs[kv.first] = kv.second;
  return opentelemetry::sdk::resource::Resource::Create(attrs, schema_url);
}

}  // namespace otel
}  // namespace buildinfo

#endif  // BUILDINFO_OPENTELEMETRY_SDK_HPP
