"""Self-test of the `csrf_token_required` check (Tests/api-fuzz/hooks.py): schemathesis runs it
against a small stand-in server that has the CSRF bypass mfa-server once had (the token was
required when the raw path began with `/api/`, while the router also dispatched `//api/…`), and
must fail; against the same server deciding on the normalised path it must pass. Standard
library server, a few seconds. Run by scripts/api-fuzz.sh before the real fuzzing:
  .build/venv/bin/python Tests/api-fuzz/selftest_csrf.py"""

import http.server
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))

SPEC = """openapi: 3.1.0
info: { title: CSRF self-test, version: '1' }
components:
  securitySchemes:
    session: { type: apiKey, in: cookie, name: fidokit_session }
    csrf: { type: apiKey, in: header, name: X-CSRF-Token }
security:
  - session: []
    csrf: []
paths:
  /api/csrf:
    get:
      security: []
      responses:
        '200': { description: token, content: { application/json: { schema: { type: object } } } }
  /api/session:
    post:
      security: [{ csrf: [] }]
      requestBody:
        required: true
        content: { application/json: { schema: { type: object } } }
      responses:
        '200': { description: signed in, content: { application/json: { schema: { type: object } } } }
        default: { description: refused, content: { application/json: { schema: { type: object } } } }
  /api/tenant/members:
    post:
      requestBody:
        required: true
        content: { application/json: { schema: { type: object } } }
      responses:
        '201': { description: added, content: { application/json: { schema: { type: object } } } }
        default: { description: refused, content: { application/json: { schema: { type: object } } } }
"""

CONFIG = """[checks]
enabled = false
csrf_token_required.enabled = true
"""


def make_handler(normalise_before_csrf):
    sessions = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *arguments):
            pass

        def answer(self, status, body, cookie=None):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            if cookie:
                self.send_header("Set-Cookie", f"fidokit_session={cookie}; Path=/")
            self.end_headers()
            self.wfile.write(data)

        def session(self):
            match = re.search(r"fidokit_session=([^;]+)", self.headers.get("Cookie", ""))
            return (match.group(1), sessions[match.group(1)]) if match and match.group(1) in sessions else (None, None)

        def do_GET(self):
            token, session = self.session()
            if re.sub("/+", "/", self.path) != "/api/csrf":
                return self.answer(404, {"error": {"code": "not_found", "message": ""}})
            if session is None:
                token, session = secrets.token_hex(8), {"csrf": secrets.token_hex(8)}
                sessions[token] = session
                return self.answer(200, {"csrfToken": session["csrf"]}, cookie=token)
            return self.answer(200, {"csrfToken": session["csrf"]})

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            raw = self.requestline.split(" ")[1]  # self.path has a leading "//" collapsed already
            path = re.sub("/+", "/", raw.split("?")[0])
            checked = path if normalise_before_csrf else raw
            token, session = self.session()
            if checked.startswith("/api/") and (session is None or self.headers.get("X-CSRF-Token") != session["csrf"]):
                return self.answer(403, {"error": {"code": "csrf_token_invalid", "message": ""}})
            if path == "/api/session":
                new, fresh = secrets.token_hex(8), {"csrf": secrets.token_hex(8)}
                sessions[new] = fresh
                return self.answer(200, {"state": "signed_in", "factors": [], "csrfToken": fresh["csrf"]}, cookie=new)
            if path == "/api/tenant/members" and session is not None:
                return self.answer(201, {"id": secrets.token_hex(4)})
            return self.answer(401, {"error": {"code": "not_signed_in", "message": ""}})

    return Handler


def run(normalise_before_csrf, directory):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_handler(normalise_before_csrf))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    state = os.path.join(directory, f"state-{normalise_before_csrf}.json")
    account = {"email": "a@example.com", "password": "password 123"}
    with open(state, "w") as f:
        json.dump({"port": port, "role": "selftest", "account": account, "rescuer": account, "settings": None}, f)
    environment = dict(os.environ, SCHEMATHESIS_HOOKS=os.path.join(HERE, "hooks.py"), FIDOKIT_FUZZ_STATE=state,
                       FIDOKIT_FUZZ_SPEC=os.path.join(directory, "spec.yaml"))
    command = [os.path.join(os.path.dirname(sys.executable), "schemathesis"), "--config-file",
               os.path.join(directory, "schemathesis.toml"), "run", os.path.join(directory, "spec.yaml"),
               "--url", f"http://127.0.0.1:{port}", "--phases", "fuzzing", "--max-examples", "3", "--workers", "1",
               "--mode", "positive", "--generation-database", "none", "--no-color", "--seed", "1"]
    try:
        result = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=300, cwd=directory)
    finally:
        server.shutdown()
    return result.returncode, result.stdout + result.stderr


def main():
    with tempfile.TemporaryDirectory(prefix="fidokit-csrf-selftest-") as directory:
        with open(os.path.join(directory, "spec.yaml"), "w") as f:
            f.write(SPEC)
        with open(os.path.join(directory, "schemathesis.toml"), "w") as f:
            f.write(CONFIG)
        status, output = run(False, directory)
        caught = status != 0 and "csrf_token_required" in output and "//api/tenant/members" in output
        fixed_status, fixed_output = run(True, directory)
    if not caught:
        print(f"error: csrf_token_required missed the //api/ bypass (exit {status}):\n{output[-3000:]}", file=sys.stderr)
        return 1
    if fixed_status != 0:
        print(f"error: csrf_token_required failed a server without the bypass (exit {fixed_status}):\n"
              f"{fixed_output[-3000:]}", file=sys.stderr)
        return 1
    print("csrf_token_required self-test: catches the //api/ bypass, passes the fixed server")
    return 0


if __name__ == "__main__":
    sys.exit(main())
