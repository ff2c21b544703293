// Runs the setup of docs/OPENTELEMETRY.md (doc_snippet.cc, taken from the
// document as it is): init_telemetry(), then one span, and one log record
// written inside it, through the global providers. Prints which providers
// are installed (OTEL_SDK_DISABLED=true leaves the no-op ones) and the span's
// trace and span ids.
#include <cstdio>

#include "opentelemetry/logs/provider.h"
#include "opentelemetry/sdk/logs/logger_provider.h"
#include "opentelemetry/sdk/trace/tracer_provider.h"
#include "opentelemetry/trace/provider.h"
#include "opentelemetry/trace/scope.h"

void init_telemetry();

int main() {
  init_telemetry();

  auto tracer_provider = opentelemetry::trace::Provider::GetTracerProvider();
  auto logger_provider = opentelemetry::logs::Provider::GetLoggerProvider();
  auto* sdk_tracer_provider = dynamic_cast<opentelemetry::sdk::trace::TracerProvider*>(tracer_provider.get());
  auto* sdk_logger_provider = dynamic_cast<opentelemetry::sdk::logs::LoggerProvider*>(logger_provider.get());
  std::printf("tracer provider: %s\nlogger provider: %s\n", sdk_tracer_provider ? "sdk" : "noop",
              sdk_logger_provider ? "sdk" : "noop");

  auto span = tracer_provider->GetTracer("doc_snippet")->StartSpan("doc-snippet");
  {
    const opentelemetry::trace::Scope active(span);
    logger_provider->GetLogger("doc_snippet")->Info("one log record inside the span");
  }
  span->End();

  char trace_id[32];
  char span_id[16];
  span->GetContext().trace_id().ToLowerBase16(trace_id);
  span->GetContext().span_id().ToLowerBase16(span_id);
  std::printf("trace_id=%.32s\nspan_id=%.16s\n", trace_id, span_id);

  const bool ok = (sdk_logger_provider == nullptr || sdk_logger_provider->Shutdown()) &&
                  (sdk_tracer_provider == nullptr || sdk_tracer_provider->Shutdown());
  return ok ? 0 : 1;
}
