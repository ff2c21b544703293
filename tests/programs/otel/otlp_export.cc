// Exports one span, and one log record written inside it, through
// opentelemetry-cpp's OTLP/HTTP exporters, both with the resource
// buildinfo::otel::make_resource() builds from this program's stamp. The
// exporters take their endpoints and protocol from the environment
// (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_EXPORTER_OTLP_LOGS_ENDPOINT,
// OTEL_EXPORTER_OTLP_PROTOCOL); simple processors export each record when
// it ends, before this returns. Prints the span's trace and span ids.
#include <cstdio>
#include <memory>
#include <utility>

#include "buildinfo/opentelemetry_sdk.hpp"
#include "opentelemetry/exporters/otlp/otlp_http_exporter_factory.h"
#include "opentelemetry/exporters/otlp/otlp_http_exporter_options.h"
#include "opentelemetry/exporters/otlp/otlp_http_log_record_exporter_factory.h"
#include "opentelemetry/exporters/otlp/otlp_http_log_record_exporter_options.h"
#include "opentelemetry/sdk/logs/logger_provider.h"
#include "opentelemetry/sdk/logs/logger_provider_factory.h"
#include "opentelemetry/sdk/logs/simple_log_record_processor_factory.h"
#include "opentelemetry/sdk/trace/simple_processor_factory.h"
#include "opentelemetry/sdk/trace/tracer_provider.h"
#include "opentelemetry/sdk/trace/tracer_provider_factory.h"
#include "opentelemetry/trace/scope.h"

namespace otlp = opentelemetry::exporter::otlp;
namespace sdk_logs = opentelemetry::sdk::logs;
namespace sdk_trace = opentelemetry::sdk::trace;

int main() {
  const opentelemetry::sdk::resource::Resource resource = buildinfo::otel::make_resource();

  std::unique_ptr<sdk_trace::TracerProvider> tracer_provider = sdk_trace::TracerProviderFactory::Create(
      sdk_trace::SimpleSpanProcessorFactory::Create(
          otlp::OtlpHttpExporterFactory::Create(otlp::OtlpHttpExporterOptions())),
      resource);
  std::unique_ptr<sdk_logs::LoggerProvider> logger_provider = sdk_logs::LoggerProviderFactory::Create(
      sdk_logs::SimpleLogRecordProcessorFactory::Create(
          otlp::OtlpHttpLogRecordExporterFactory::Create(otlp::OtlpHttpLogRecordExporterOptions())),
      resource);

  auto tracer = tracer_provider->GetTracer("otlp_export");
  // Through the API's interface, whose GetLogger has defaults for all but the name.
  auto logger = static_cast<opentelemetry::logs::LoggerProvider&>(*logger_provider).GetLogger("otlp_export");
  auto span = tracer->StartSpan("stamped-work");
  {
    const opentelemetry::trace::Scope active(span);
    // The SDK's logger takes the trace and span ids from the active span.
    logger->Info("one log record inside the span");
  }
  span->End();

  char trace_id[32];
  char span_id[16];
  span->GetContext().trace_id().ToLowerBase16(trace_id);
  span->GetContext().span_id().ToLowerBase16(span_id);
  std::printf("trace_id=%.32s\nspan_id=%.16s\n", trace_id, span_id);

  const bool ok = logger_provider->Shutdown() && tracer_provider->Shutdown();
  return ok ? 0 : 1;
}
