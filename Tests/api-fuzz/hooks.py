"""Schemathesis hooks for fuzzing mfa-server's API (loaded through SCHEMATHESIS_HOOKS by
Tests/api-fuzz/api_fuzz.py, which starts the server and writes the state file named by
FIDOKIT_FUZZ_STATE: the port and the account of this run's role).

- `SessionAuth` signs the role's account in through the API (password, then TOTP or the
  recovery code when the account has a second factor) and sends the session cookie and the
  session's CSRF token (`X-CSRF-Token`) with every generated request. A 401 or 403 (the fuzzer
  signed the session out, say: a state-changing request of a dead session is a CSRF refusal)
  signs in again and replays the request once; schemathesis stops doing so for an operation whose
  answer stays the same after a fresh sign-in.
- `after_call` keeps the newest recovery code the fuzzer made the server issue, so that the
  harness can still sign in when the fuzzer has regenerated it, and puts the tenant's settings
  back after the fuzzer changed them (else one PUT turns factors off for the rest of the run).
- `csrf_token_required`, a check: every state-changing operation whose security requires the
  CSRF token is sent again without it (as is; as a cross-site `text/plain` form would; with
  another session's token; with the path spelled `//api/…` and `/api//…`) and must be refused:
  4xx, and 403 with a CSRF error code where the request with the token succeeded.

Counts go to FIDOKIT_FUZZ_STATE + ".stats.json" at exit for the run's summary."""

import atexit
import json
import os
import sys
import threading
from urllib.parse import urlsplit, urlunsplit

import requests
import schemathesis
import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fuzz_client import COOKIE, Account, request  # noqa: E402

STATE_FILE = os.environ["FIDOKIT_FUZZ_STATE"]
with open(STATE_FILE) as state_file:
    STATE = json.load(state_file)
PORT = STATE["port"]
ACCOUNT = Account.from_json(PORT, STATE["account"])
SETTINGS = STATE.get("settings")
RESCUER = Account.from_json(PORT, STATE["rescuer"])
RESCUER_SESSION = []
SPEC = os.environ.get("FIDOKIT_FUZZ_SPEC", "openapi.yaml")
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}

STATS_LOCK = threading.Lock()
STATS = {"signIns": 0, "csrfReplays": 0, "csrfOperations": {}, "recoveryCodesSeen": 0, "settingsRestored": 0}


def csrf_operations(path):
    """(METHOD, path template) of every state-changing operation whose every security
    alternative includes the `csrf` scheme."""
    with open(path) as f:
        spec = yaml.safe_load(f)
    default = spec.get("security", [])
    protected = set()
    for template, item in spec.get("paths", {}).items():
        for method, operation in item.items():
            if method.upper() not in STATE_CHANGING or not isinstance(operation, dict):
                continue
            security = operation.get("security", default)
            if security and all("csrf" in alternative for alternative in security):
                protected.add((method.upper(), template))
    return protected


PROTECTED = csrf_operations(SPEC)


@atexit.register
def write_stats():
    STATS["signIns"] = ACCOUNT.sign_ins
    with open(STATE_FILE + ".stats.json", "w") as f:
        json.dump(STATS, f)


def restore_settings():
    """Puts the tenant's settings back as the harness's own admin (its session is kept while it
    works; a refusal, such as `step_up_required`, signs it in again once)."""
    with RESCUER.lock:
        for _ in range(2):
            if not RESCUER_SESSION:
                RESCUER_SESSION.append(RESCUER.sign_in()[:2])
            token, csrf = RESCUER_SESSION[0]
            answer = request(PORT, "PUT", "/api/tenant/settings", SETTINGS, token=token, csrf=csrf)
            if answer.status == 200:
                with STATS_LOCK:
                    STATS["settingsRestored"] += 1
                return
            RESCUER_SESSION.clear()
        raise RuntimeError(f"the harness could not put the settings back: {answer.status} {answer.body[:200]!r}")


@schemathesis.auth(refresh_interval=3600, retry_on=[401, 403])
class SessionAuth:
    """The role's signed-in session: its cookie and CSRF token. A session that must enroll a
    factor first (the fuzzer required MFA while the account had none) gets the settings put
    back and signs in again."""

    def get(self, case, context):
        token, csrf, state = ACCOUNT.sign_in(accept=("signed_in", "enrollment_required"))
        if state == "enrollment_required":
            restore_settings()
            token, csrf, state = ACCOUNT.sign_in()
        return token, csrf

    def set(self, case, data, context):
        token, csrf = data
        case.cookies = {**(case.cookies or {}), COOKIE: token}
        case.headers = case.headers if case.headers is not None else {}
        case.headers["X-CSRF-Token"] = csrf


@schemathesis.hook
def after_call(context, case, response):
    try:
        body = response.json()
    except Exception:
        return
    if not isinstance(body, dict) or not 200 <= response.status_code < 300:
        return
    if case.method.upper() == "PUT" and case.operation.path == "/api/tenant/settings":
        # Put the tenant's settings back at once (all factors, paid plan, MFA not required), so
        # that one lucky PUT does not turn factors off for the rest of the run.
        restore_settings()
    code = body.get("recoveryCode") or body.get("newRecoveryCode")
    if isinstance(code, str) and code:
        with ACCOUNT.lock:
            ACCOUNT.recovery_code = code
        with STATS_LOCK:
            STATS["recoveryCodesSeen"] += 1


def respelled(url, spelling):
    parts = urlsplit(url)
    path = parts.path
    if spelling == "double-leading-slash":
        path = "/" + path
    elif spelling == "double-inner-slash":
        path = path.replace("/api/", "/api//", 1)
    return urlunsplit(parts._replace(path=path))


def other_sessions_token():
    answer = request(PORT, "GET", "/api/csrf")
    return answer.json()["csrfToken"] if answer.status == 200 else "not-a-token"


def refusal_code(response):
    try:
        body = response.json()
        return body["error"]["code"]
    except Exception:
        return None


@schemathesis.check
def csrf_token_required(ctx, response, case):
    """A state-changing operation that needs the CSRF token refuses every request without it:
    4xx, and when the request with the token succeeded, 403 with a CSRF error code (the token was
    what made the difference). Every spelling is tried when the original succeeded; otherwise
    the plain replay alone (the request was refused anyway, and the replays cost time)."""
    key = (case.method.upper(), case.operation.path)
    if key not in PROTECTED:
        return None
    original = response.request
    succeeded = 200 <= response.status_code < 300
    variants = [("no token", None, None, None)]
    if succeeded:
        variants += [("no token, text/plain body", "text/plain", None, None),
                     ("another session's token", None, other_sessions_token(), None),
                     ("no token, path //api/…", None, None, "double-leading-slash"),
                     ("no token, path /api//…", None, None, "double-inner-slash")]
    with requests.Session() as session:
        for name, content_type, token, spelling in variants:
            replay = original.copy()
            replay.headers.pop("X-CSRF-Token", None)
            if token:
                replay.headers["X-CSRF-Token"] = token
            if content_type:
                replay.headers["Content-Type"] = content_type
            if spelling:
                replay.url = respelled(replay.url, spelling)
            answer = session.send(replay, timeout=30, allow_redirects=False)
            refused = 400 <= answer.status_code < 500
            if succeeded and name == "no token":
                refused = answer.status_code == 403 and "csrf" in (refusal_code(answer) or "")
            if not refused:
                raise AssertionError(
                    f"{case.operation.label} without a valid CSRF token ({name}: {replay.method} {replay.url}) "
                    f"was not refused as it should be: {answer.status_code} {answer.text[:200]!r}"
                    f" (with the token: {response.status_code})")
    with STATS_LOCK:
        STATS["csrfReplays"] += len(variants)
        counts = STATS["csrfOperations"].setdefault(case.operation.label, [0, 0])
        counts[0] += 1
        if succeeded:
            counts[1] += 1
    return None
