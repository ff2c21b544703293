# The opentelemetry-cpp adapter (buildinfo/opentelemetry_sdk.hpp) built
# against the real SDK and unit-tested there (tests/programs/otel/
# sdk_adapter_test.cc): make_resource() carries the stamped record's
# attributes and the schema URL, and the user's OTEL_RESOURCE_ATTRIBUTES keys
# win under exactly the key the SDK reads.
source "$SOURCE_ROOT/tests/otel/common.sh"

otel_build sdk_adapter_test
"$OTEL_BUILD/sdk_adapter_test" > "$WORK/sdk_adapter_test.txt" 2>&1 \
  || { cat "$WORK/sdk_adapter_test.txt" >&2; fail "sdk_adapter_test failed"; }
tail -3 "$WORK/sdk_adapter_test.txt"
echo ok
