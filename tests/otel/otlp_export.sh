# A program stamped by buildinfo_stamp() (tests/programs/otel/otlp_export.cc)
# exports one span, and one log record written inside it, through
# opentelemetry-cpp's OTLP/HTTP exporters (JSON) to two one-request receivers
# on 127.0.0.1. The resource each receives holds exactly the stamped record's
# attributes (`buildinfo inspect --otel-env`) plus the user's
# OTEL_RESOURCE_ATTRIBUTES key, with the semantic conventions' schema URL;
# the log record carries the span's trace and span ids.
source "$SOURCE_ROOT/tests/otel/common.sh"

otel_build otlp_export
bin="$OTEL_BUILD/otlp_export"
revision=$(git -C "$OTEL_REPO" rev-parse HEAD)
"$BUILDINFO" verify "$bin" --key "$OTEL_ROOT/keys/ed25519.pub" --expect-revision "$revision" > "$WORK/verify.txt" 2>&1 \
  || fail "verify of the stamped program failed: $(cat "$WORK/verify.txt")"
"$BUILDINFO" inspect "$bin" --otel-env > "$WORK/expected.env" || fail "inspect --otel-env failed"

start_receiver traces /v1/traces
start_receiver logs /v1/logs
env -u OTEL_SERVICE_NAME -u OTEL_SDK_DISABLED -u OTEL_EXPORTER_OTLP_ENDPOINT \
  OTEL_RESOURCE_ATTRIBUTES=deployment.environment.name=ci OTEL_EXPORTER_OTLP_PROTOCOL=http/json \
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="$traces_url" OTEL_EXPORTER_OTLP_LOGS_ENDPOINT="$logs_url" \
  "$bin" > "$WORK/otlp_export.txt" 2>&1 || fail "otlp_export failed: $(cat "$WORK/otlp_export.txt")"
wait_receivers

python3 "$SOURCE_ROOT/tests/otel/check_otlp.py" --traces "$WORK/traces.json" --logs "$WORK/logs.json" \
  --expected-env "$WORK/expected.env" --schema-url "$OTEL_SCHEMA_URL" --extra deployment.environment.name=ci \
  --expect "vcs.ref.head.revision=$revision" --expect service.version=3.1.4 --expect vcs.ref.head.name=main \
  --expect vcs.repository.url.full=https://github.com/acme/otel-app --expect buildinfo.stamped=true \
  --expect "buildinfo.custom.note=a, b=c 100%" --ids "$WORK/otlp_export.txt" > "$WORK/check.txt" \
  || fail "$(cat "$WORK/check.txt")"
cat "$WORK/check.txt"
echo ok
