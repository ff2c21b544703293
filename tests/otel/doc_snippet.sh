# The setup code of docs/OPENTELEMETRY.md, taken from the document byte for
# byte (the ```cpp block after the line `<!-- doc_snippet.cc -->`), compiled
# and linked against opentelemetry-cpp and the runtime, stamped, and run by
# tests/programs/otel/doc_snippet_main.cc: its span and log record reach
# one-request receivers on 127.0.0.1 with the stamp's attributes as their
# resource; with OTEL_SDK_DISABLED=true the no-op providers stay.
source "$SOURCE_ROOT/tests/otel/common.sh"

otel_build doc_snippet
doc="$SOURCE_ROOT/docs/OPENTELEMETRY.md"
python3 - "$doc" "$OTEL_BUILD/doc_snippet.cc" <<'PY' || fail "the compiled doc_snippet.cc is not the block of $doc"
import sys
doc, code = open(sys.argv[1]).read(), open(sys.argv[2]).read()
sys.exit(0 if code and ("<!-- doc_snippet.cc -->\n```cpp\n" + code + "```\n") in doc else 1)
PY
bin="$OTEL_BUILD/doc_snippet"
revision=$(git -C "$OTEL_REPO" rev-parse HEAD)
"$BUILDINFO" inspect "$bin" --otel-env > "$WORK/expected.env" || fail "inspect --otel-env failed"

start_receiver traces /v1/traces
start_receiver logs /v1/logs
env -u OTEL_RESOURCE_ATTRIBUTES -u OTEL_SERVICE_NAME -u OTEL_SDK_DISABLED -u OTEL_EXPORTER_OTLP_ENDPOINT \
  OTEL_EXPORTER_OTLP_PROTOCOL=http/json OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="$traces_url" \
  OTEL_EXPORTER_OTLP_LOGS_ENDPOINT="$logs_url" "$bin" > "$WORK/run.txt" 2>&1 \
  || fail "doc_snippet failed: $(cat "$WORK/run.txt")"
grep -qx 'tracer provider: sdk' "$WORK/run.txt" && grep -qx 'logger provider: sdk' "$WORK/run.txt" \
  || fail "init_telemetry() did not install the SDK's providers: $(cat "$WORK/run.txt")"
wait_receivers
python3 "$SOURCE_ROOT/tests/otel/check_otlp.py" --traces "$WORK/traces.json" --logs "$WORK/logs.json" \
  --expected-env "$WORK/expected.env" --schema-url "$OTEL_SCHEMA_URL" --expect "vcs.ref.head.revision=$revision" \
  --ids "$WORK/run.txt" > "$WORK/check.txt" || fail "$(cat "$WORK/check.txt")"
cat "$WORK/check.txt"

# OTEL_SDK_DISABLED=true: the sdk Provider setters leave the no-op providers.
env -u OTEL_RESOURCE_ATTRIBUTES OTEL_SDK_DISABLED=true OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:9 \
  "$bin" > "$WORK/disabled.txt" 2>&1 \
  || fail "doc_snippet with OTEL_SDK_DISABLED=true failed: $(cat "$WORK/disabled.txt")"
grep -qx 'tracer provider: noop' "$WORK/disabled.txt" && grep -qx 'logger provider: noop' "$WORK/disabled.txt" \
  || fail "OTEL_SDK_DISABLED=true did not keep the no-op providers: $(cat "$WORK/disabled.txt")"
echo ok
