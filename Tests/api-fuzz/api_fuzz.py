"""API fuzzing of mfa-server with schemathesis against openapi.yaml: for each role (an admin whose
sign-in needs a TOTP code, a member without a second factor) a fresh mfa-server on a free
loopback port with its own data folder, the role's account set up through the API, then
`schemathesis run` with every phase (examples, coverage, fuzzing, stateful through the
document's links) and the checks: no 5xx, responses (status, content type, headers, body) as
documented, schema-invalid requests refused, authentication enforced, and this project's own
`csrf_token_required` (Tests/api-fuzz/hooks.py). Fails when any check fails or the server dies.

Run by scripts/api-fuzz.sh (part of scripts/test.sh):
  .build/venv/bin/python Tests/api-fuzz/api_fuzz.py [--max-examples N] [--roles admin,member] [--seed S]
Reports (JUnit XML) and server logs: .build/api-fuzz/ROLE/."""

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from fuzz_client import Account, request  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
BIN = os.environ.get("FIDOKIT_BIN", os.path.join(ROOT, ".build", "debug"))
OUT = os.path.join(ROOT, ".build", "api-fuzz")
ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "api-fuzz admin password"
MEMBER_EMAIL = "member@example.com"
MEMBER_PASSWORD = "api-fuzz member password"
RESCUER_EMAIL = "harness-admin@example.com"
RESCUER_PASSWORD = "api-fuzz harness admin password"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """mfa-server on a free port with a fresh data folder; its output goes to `log`."""

    def __init__(self, directory, log):
        self.port = free_port()
        password_file = os.path.join(directory, "admin-password")
        with open(password_file, "w") as f:
            f.write(ADMIN_PASSWORD)
        os.chmod(password_file, 0o600)  # mfa-server refuses a password file others can read
        self.log_path = log
        self.log = open(log, "w")
        self.process = subprocess.Popen(
            [os.path.join(BIN, "mfa-server"), "--host", "127.0.0.1", "--port", str(self.port),
             "--data-directory", os.path.join(directory, "data"), "--admin-email", ADMIN_EMAIL,
             "--admin-password-file", password_file, "--origin", f"http://127.0.0.1:{self.port}",
             "--sms-resend-interval", "0"],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            with open(log) as f:
                if "listening on" in f.read():
                    return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError(f"mfa-server did not start; see {log}")

    def alive(self):
        return self.process.poll() is None

    def stop(self):
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def expect(answer, status, what):
    if answer.status != status:
        raise RuntimeError(f"setup: {what} answered {answer.status} {answer.body[:300]!r}")
    return answer.json()


def enroll_totp(account, token, csrf):
    """Enrolls an authenticator app for the signed-in `account`; its sign-in then needs TOTP."""
    started = expect(request(account.port, "POST", "/api/me/factors/totp", token=token, csrf=csrf), 200,
                     "POST /api/me/factors/totp")
    account.totp_secret = started["secret"]
    enrolled = expect(request(account.port, "POST", "/api/me/factors/totp/confirm",
                              {"code": account.next_totp_code()}, token=token, csrf=csrf), 201,
                      "POST /api/me/factors/totp/confirm")
    account.recovery_code = enrolled.get("recoveryCode")
    # The second factor is now due at sign-in: prove the harness passes it.
    account.sign_in()


def set_up(port, role):
    """The role's account, created through the API as a user would: the member by the admin; the
    admin with an authenticator app (TOTP) confirmed, so its sign-in needs the second factor.
    Also a second admin with TOTP that only the harness uses (`rescuer`): it puts the tenant's
    settings back after the fuzzer changed them, even when the fuzzer's admin is left without a
    factor in a tenant that now requires one."""
    admin = Account(port, ADMIN_EMAIL, ADMIN_PASSWORD)
    token, csrf, _ = admin.sign_in()
    settings = expect(request(port, "GET", "/api/tenant/settings", token=token, csrf=csrf), 200,
                      "GET /api/tenant/settings")
    expect(request(port, "POST", "/api/tenant/members",
                   {"email": RESCUER_EMAIL, "displayName": "Harness", "password": RESCUER_PASSWORD, "role": "admin"},
                   token=token, csrf=csrf), 201, "POST /api/tenant/members (admin)")
    rescuer = Account(port, RESCUER_EMAIL, RESCUER_PASSWORD)
    enroll_totp(rescuer, *rescuer.sign_in()[:2])
    if role == "member":
        expect(request(port, "POST", "/api/tenant/members",
                       {"email": MEMBER_EMAIL, "displayName": "Member", "password": MEMBER_PASSWORD,
                        "role": "member"}, token=token, csrf=csrf), 201, "POST /api/tenant/members")
        return Account(port, MEMBER_EMAIL, MEMBER_PASSWORD), rescuer, settings
    enroll_totp(admin, token, csrf)
    return admin, rescuer, settings


def summary(report):
    """(test cases, failures, errors) from the JUnit report."""
    import xml.etree.ElementTree as ElementTree

    cases = failures = errors = 0
    if not os.path.exists(report):
        return cases, failures, errors
    root = ElementTree.parse(report).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    for suite in suites:
        cases += int(suite.get("tests", 0))
        failures += int(suite.get("failures", 0))
        errors += int(suite.get("errors", 0))
    return cases, failures, errors


def fuzz(role, arguments):
    out = os.path.join(OUT, role)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    directory = tempfile.mkdtemp(prefix=f"fidokit-api-fuzz-{role}-")
    server = Server(directory, os.path.join(out, "mfa-server.log"))
    try:
        account, rescuer, settings = set_up(server.port, role)
        state = os.path.join(out, "state.json")
        with open(state, "w") as f:
            json.dump({"port": server.port, "role": role, "account": account.to_json(),
                       "rescuer": rescuer.to_json(), "settings": settings}, f)
        environment = dict(os.environ, SCHEMATHESIS_HOOKS=os.path.join(HERE, "hooks.py"),
                           FIDOKIT_FUZZ_STATE=state, FIDOKIT_FUZZ_SPEC=arguments.spec)
        command = [os.path.join(os.path.dirname(sys.executable), "schemathesis"),
                   "--config-file", os.path.join(HERE, "schemathesis.toml"), "run", arguments.spec,
                   "--url", f"http://127.0.0.1:{server.port}",
                   "--phases", "examples,coverage,fuzzing,stateful", "--max-examples", str(arguments.max_examples),
                   "--workers", "1", "--request-timeout", "20", "--generation-database", "none",
                   "--report", "junit,ndjson", "--report-junit-path", os.path.join(out, "junit.xml"),
                   "--report-ndjson-path", os.path.join(out, "events.ndjson"), "--no-color", "--seed", str(arguments.seed),
                   *arguments.schemathesis]
        print(f"== {role}: schemathesis against mfa-server on 127.0.0.1:{server.port}", flush=True)
        started = time.time()
        # In its report folder: schemathesis keeps a cache (.schemathesis/) in the working directory.
        process = subprocess.Popen(command, env=environment, cwd=out, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
        generated = operations = "?"
        for line in process.stdout:
            print(line, end="", flush=True)
            found = re.search(r"(\d+) generated", line)
            generated = found.group(1) if found else generated
            found = re.search(r"Operations:\s+(\d+) selected", line)
            operations = found.group(1) if found else operations
        returncode = process.wait()
        elapsed = time.time() - started
        alive = server.alive()
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)
    stats = {}
    if os.path.exists(state + ".stats.json"):
        with open(state + ".stats.json") as f:
            stats = json.load(f)
    cases, failures, errors = summary(os.path.join(out, "junit.xml"))
    protected = stats.get("csrfOperations", {})
    print(f"== {role}: exit {returncode} in {elapsed:.0f} s; operations: {operations}; test cases generated: {generated} "
          f"(JUnit: {cases} tests, {failures} failures, {errors} errors); "
          f"CSRF replays: {stats.get('csrfReplays', 0)} over {len(protected)} state-changing operations "
          f"({sum(v[1] for v in protected.values())} of {sum(v[0] for v in protected.values())} originals succeeded); "
          f"sign-ins by the harness: {stats.get('signIns', 0)}; settings put back: {stats.get('settingsRestored', 0)}; "
          f"server {'alive' if alive else 'DIED'}", flush=True)
    if not alive:
        print(f"error: mfa-server died during the {role} run; its log: {server.log_path}", file=sys.stderr)
    logged = server_errors_logged(server.log_path)
    if logged:
        print(f"error: mfa-server logged {len(logged)} requests as server errors (no 5xx was answered, so the "
              f"log misreports them, or schemathesis failed above); the first: {logged[0]}", file=sys.stderr)
    return returncode == 0 and alive and not logged


def server_errors_logged(path):
    """The server's log lines that record an answer 5xx or an unexpected error: with no 5xx
    answered (`not_a_server_error`), the security-event log must not say otherwise either."""
    with open(path, errors="replace") as f:
        return [line.strip() for line in f
                if re.search(r"→ 5\d\d\b", line) or "unexpected error" in line or "Fatal error" in line]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--max-examples", type=int, default=25, help="test cases per operation and phase")
    parser.add_argument("--roles", default="admin,member")
    parser.add_argument("--seed", type=int, default=int(os.environ.get("FIDOKIT_FUZZ_SEED", "13")))
    parser.add_argument("--spec", default=os.path.join(ROOT, "openapi.yaml"))
    parser.add_argument("schemathesis", nargs="*", help="more `schemathesis run` options (after --)")
    arguments = parser.parse_args()
    results = [fuzz(role, arguments) for role in arguments.roles.split(",")]
    if not all(results):
        print("error: the API fuzzing found failures (see above; reports under .build/api-fuzz/)", file=sys.stderr)
        return 1
    print("api fuzzing: every check passed for every role")
    return 0


if __name__ == "__main__":
    sys.exit(main())
