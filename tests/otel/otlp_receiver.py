#!/usr/bin/env python3
"""A one-request OTLP/HTTP receiver for the tests in tests/otel.

Listens on 127.0.0.1 only, on an ephemeral port that it writes to
--port-file once it accepts connections; takes exactly one POST to --path,
writes its body to --output and its Content-Type to --output.content-type,
answers 200 with an empty export response (JSON), and exits 0. Any other
request is answered 404 and makes it exit 1 after that one request; no
request within --timeout seconds makes it exit 2.
"""
import argparse
import http.server
import os
import sys


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--path", required=True, help="URL path to accept, e.g. /v1/traces")
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()
    outcome = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        # HTTP/1.1 so that curl's "Expect: 100-continue" is answered at once
        # instead of after curl's one-second wait.
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.path != args.path:
                outcome["error"] = f"POST to {self.path}, expected {args.path}"
                self.reply(404, b"")
                return
            with open(args.output + ".tmp", "wb") as f:
                f.write(body)
            os.replace(args.output + ".tmp", args.output)
            with open(args.output + ".content-type", "w") as f:
                f.write(self.headers.get("Content-Type", ""))
            outcome["ok"] = True
            self.reply(200, b"{}")

        def do_GET(self):
            outcome["error"] = f"GET {self.path}"
            self.reply(404, b"")

        def reply(self, status, body):
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, fmt, *fmt_args):
            sys.stderr.write("otlp_receiver: " + (fmt % fmt_args) + "\n")

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    server.timeout = args.timeout
    server.handle_timeout = lambda: outcome.setdefault("error", f"no request within {args.timeout:g} s")
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(args.port_file + ".tmp", args.port_file)  # listening already: the port can be used
    server.handle_request()
    server.server_close()
    if "ok" in outcome:
        return 0
    sys.stderr.write("otlp_receiver: " + outcome.get("error", "no request") + "\n")
    return 2 if outcome.get("error", "").startswith("no request") else 1


if __name__ == "__main__":
    sys.exit(main())
