#!/usr/bin/env python3
"""Checks OTLP/HTTP JSON requests that otlp_receiver.py saved.

--traces: one ExportTraceServiceRequest holding exactly one span; --logs
(optional): one ExportLogsServiceRequest holding exactly one log record,
which must carry the span's trace id and span id. The resource of each must
hold exactly the attributes of --expected-env (an OTEL_RESOURCE_ATTRIBUTES
value, as `buildinfo inspect --otel-env` prints it) plus --extra key=value
pairs, besides the SDK's own (telemetry.sdk.*, the default service.name),
and carry --schema-url. --expect key=value pins single attributes of the
stamp's mapping; --ids names the program's output, whose trace_id= and
span_id= lines must be the span's. Prints one line per defect and exits 1.
"""
import argparse
import json
import re
import sys
import urllib.parse

SDK_OWN = {"telemetry.sdk.language", "telemetry.sdk.name", "telemetry.sdk.version", "service.name"}
failures = []


def fail(text):
    failures.append(text)


def field(obj, snake):
    """The member `snake` of an OTLP JSON object, in either JSON naming (the
    protobuf field name, or its lowerCamelCase JSON name)."""
    camel = re.sub(r"_([a-z])", lambda m: m.group(1).upper(), snake)
    if snake in obj:
        return obj[snake]
    return obj.get(camel)


def decode_env(text):
    out = {}
    for entry in text.split(","):
        if "=" not in entry:
            continue
        key, value = entry.split("=", 1)
        out[urllib.parse.unquote_to_bytes(key).decode()] = urllib.parse.unquote_to_bytes(value).decode()
    return out


def resource_attributes(resource):
    out = {}
    for a in field(resource, "attributes") or []:
        value = field(a["value"], "string_value")
        if value is None:
            fail(f"resource attribute {a['key']} is not a string: {a['value']}")
        out[a["key"]] = value
    return out


def check_resource(signal, holder, expected, schema_url):
    got = resource_attributes(field(holder, "resource") or {})
    ours = {k: v for k, v in got.items() if k not in SDK_OWN or k in expected}
    for key in sorted(set(expected) | set(ours)):
        if key not in ours:
            fail(f"{signal}: the resource lacks {key}={expected[key]!r}")
        elif key not in expected:
            fail(f"{signal}: the resource has {key}={ours[key]!r}, which the stamp does not map to")
        elif ours[key] != expected[key]:
            fail(f"{signal}: the resource has {key}={ours[key]!r}, expected {expected[key]!r}")
    if field(holder, "schema_url") != schema_url:
        fail(f"{signal}: the resource's schema URL is {field(holder, 'schema_url')!r}, expected {schema_url!r}")
    return got


def load(path, signal):
    with open(path + ".content-type") as f:
        content_type = f.read()
    if content_type.split(";")[0].strip() != "application/json":
        fail(f"{signal}: Content-Type {content_type!r}, expected application/json")
    with open(path, "rb") as f:
        return json.load(f)


def only(items, what):
    items = items or []
    if len(items) != 1:
        fail(f"{len(items)} {what}, expected exactly one")
        return {}
    return items[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--traces", required=True)
    parser.add_argument("--logs")
    parser.add_argument("--expected-env", required=True, help="file holding the OTEL_RESOURCE_ATTRIBUTES form")
    parser.add_argument("--schema-url", required=True)
    parser.add_argument("--extra", action="append", default=[], help="key=value set by the user's environment")
    parser.add_argument("--expect", action="append", default=[], help="key=value the stamp must map to")
    parser.add_argument("--ids", help="file with the trace_id=... and span_id=... lines the program printed")
    args = parser.parse_args()

    with open(args.expected_env) as f:
        expected = decode_env(f.read().strip())
    for pair in args.expect:
        key, value = pair.split("=", 1)
        if expected.get(key) != value:
            fail(f"the stamp maps {key} to {expected.get(key)!r}, expected {value!r}")
    for pair in args.extra:
        key, value = pair.split("=", 1)
        expected[key] = value

    traces = load(args.traces, "traces")
    resource_spans = only(field(traces, "resource_spans"), "resource_spans in the trace request")
    span_resource = check_resource("traces", resource_spans, expected, args.schema_url)
    span = only(field(only(field(resource_spans, "scope_spans"), "scope_spans"), "spans"), "spans")
    trace_id, span_id = field(span, "trace_id") or "", field(span, "span_id") or ""
    if not re.fullmatch(r"[0-9a-f]{32}", trace_id) or set(trace_id) == {"0"}:
        fail(f"the span's trace id is {trace_id!r}")
    if not re.fullmatch(r"[0-9a-f]{16}", span_id) or set(span_id) == {"0"}:
        fail(f"the span's span id is {span_id!r}")
    if args.ids:
        with open(args.ids) as f:
            printed = dict(line.strip().split("=", 1) for line in f if line.startswith(("trace_id=", "span_id=")))
        if printed != {"trace_id": trace_id, "span_id": span_id}:
            fail(f"the program printed {printed}, the receiver got trace {trace_id!r}, span {span_id!r}")

    if args.logs:
        logs = load(args.logs, "logs")
        resource_logs = only(field(logs, "resource_logs"), "resource_logs in the log request")
        log_resource = check_resource("logs", resource_logs, expected, args.schema_url)
        if log_resource != span_resource:
            fail("the log record's resource differs from the span's")
        record = only(field(only(field(resource_logs, "scope_logs"), "scope_logs"), "log_records"), "log_records")
        if (field(record, "trace_id") or "") != trace_id:
            fail(f"the log record's trace id is {field(record, 'trace_id')!r}, the span's {trace_id!r}")
        if (field(record, "span_id") or "") != span_id:
            fail(f"the log record's span id is {field(record, 'span_id')!r}, the span's {span_id!r}")
        if not field(field(record, "body") or {}, "string_value"):
            fail("the log record has no body")

    for text in failures:
        print("check_otlp: " + text)
    if not failures:
        print(f"check_otlp: ok: {len(expected)} attributes, trace {trace_id}, span {span_id}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
