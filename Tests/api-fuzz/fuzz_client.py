"""The API fuzzing harness's own client: signs an account in through mfa-server's API the way a
browser script would (GET /api/csrf, POST /api/session, then the second factor when the session
is `mfa_required`), with the session cookie and X-CSRF-Token by hand. Standard library only.

Its requests come from their own loopback address (127.0.0.2 by default, FIDOKIT_FUZZ_CLIENT_ADDRESS):
the server limits failed sign-ins per client address, and the fuzzer's thousands of wrong
passwords and codes from 127.0.0.1 must not lock the harness out of its own accounts."""

import base64
import hashlib
import hmac
import http.client
import json
import os
import struct
import threading
import time

COOKIE = "fidokit_session"
CLIENT_ADDRESS = os.environ.get("FIDOKIT_FUZZ_CLIENT_ADDRESS", "127.0.0.2")


def totp(secret_base32, counter, digits=6):
    """RFC 6238 TOTP (SHA-1, 30 s) for time step `counter`."""
    key = base64.b32decode(secret_base32 + "=" * (-len(secret_base32) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10 ** digits).zfill(digits)


class SignInFailed(Exception):
    """The account could not be signed in (the message says at which step)."""


class Answer:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            return None

    def error_code(self):
        value = self.json()
        if isinstance(value, dict) and isinstance(value.get("error"), dict):
            return value["error"].get("code")
        return None

    def cookie(self):
        """The session cookie this answer sets, '' when it clears it, None when it sets none."""
        for name, value in self.headers:
            if name.lower() != "set-cookie":
                continue
            first = value.split(";", 1)[0]
            key, _, cookie_value = first.partition("=")
            if key.strip() == COOKIE:
                return cookie_value.strip()
        return None


def request(port, method, path, body=None, token=None, csrf=None, headers=None, source=CLIENT_ADDRESS):
    """One request to 127.0.0.1:`port` from `source`; `body` is sent as JSON unless it is bytes."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
    try:
        sent = dict(headers or {})
        data = None
        if body is not None:
            if isinstance(body, (bytes, bytearray)):
                data = bytes(body)
            else:
                data = json.dumps(body).encode()
                sent.setdefault("Content-Type", "application/json")
        if token:
            sent["Cookie"] = f"{COOKIE}={token}"
        if csrf:
            sent["X-CSRF-Token"] = csrf
        connection.request(method, path, body=data, headers=sent)
        response = connection.getresponse()
        return Answer(response.status, response.getheaders(), response.read())
    finally:
        connection.close()


class Account:
    """An account of the server and what the harness knows of its second factors. Thread-safe:
    schemathesis may sign in from several workers."""

    def __init__(self, port, email, password, totp_secret=None, recovery_code=None):
        self.port = port
        self.email = email
        self.password = password
        self.totp_secret = totp_secret
        self.recovery_code = recovery_code
        self.last_totp_step = 0
        self.sign_ins = 0
        self.lock = threading.RLock()

    def to_json(self):
        return {"email": self.email, "password": self.password, "totpSecret": self.totp_secret,
                "recoveryCode": self.recovery_code, "lastTotpStep": self.last_totp_step}

    @classmethod
    def from_json(cls, port, value):
        account = cls(port, value["email"], value["password"], value.get("totpSecret"), value.get("recoveryCode"))
        account.last_totp_step = value.get("lastTotpStep", 0)
        return account

    def next_totp_code(self, wait=True):
        """A code for a step not used before: the server takes one step either side of its own
        and each step once. This step's or the next one's, so that the code stays valid for 30 s
        at least (the step before would expire at the next boundary); past those, wait for the
        next step (or return None when `wait` is false)."""
        while True:
            now = int(time.time() // 30)
            step = max(now, self.last_totp_step + 1)
            if step <= now + 1:
                self.last_totp_step = step
                return totp(self.totp_secret, step)
            if not wait:
                return None
            time.sleep(1)

    def sign_in(self, accept=("signed_in",)):
        """A fresh session in one of the `accept` states: (cookie token, CSRF token, state).
        Password first, then TOTP (when the session asks for it and offers it), else the recovery
        code (whose replacement the answer carries)."""
        with self.lock:
            anonymous = request(self.port, "GET", "/api/csrf")
            if anonymous.status != 200:
                raise SignInFailed(f"GET /api/csrf answered {anonymous.status}")
            token = anonymous.cookie()
            csrf = anonymous.json()["csrfToken"]
            answer = request(self.port, "POST", "/api/session", {"email": self.email, "password": self.password},
                             token=token, csrf=csrf)
            if answer.status != 200:
                raise SignInFailed(f"POST /api/session answered {answer.status} {answer.body[:200]!r}")
            token = answer.cookie() or token
            state = answer.json()
            if state["state"] == "mfa_required":
                token, state = self.second_factor(token, state)
            if state["state"] not in accept:
                raise SignInFailed(f"the session is {state['state']} after the second factor")
            self.sign_ins += 1
            return token, state["csrfToken"], state["state"]

    def second_factor(self, token, state):
        """TOTP while a time step is free, else the recovery code (its replacement is kept),
        else TOTP after waiting for the next step."""
        offered = state.get("factors") or []
        csrf = state["csrfToken"]
        attempts = []
        if self.totp_secret and "otp" in offered:
            attempts.append(("totp", False))
        if self.recovery_code and "recovery-code" in offered:
            attempts.append(("recovery-code", None))
        if self.totp_secret and "otp" in offered:
            attempts.append(("totp", True))
        for kind, wait in attempts:
            if kind == "totp":
                code = self.next_totp_code(wait=wait)
                if code is None:
                    continue
                answer = request(self.port, "POST", "/api/mfa/totp/verify", {"code": code}, token=token, csrf=csrf)
            else:
                answer = request(self.port, "POST", "/api/mfa/recovery-code", {"code": self.recovery_code},
                                 token=token, csrf=csrf)
            if answer.status == 200:
                result = answer.json()
                self.recovery_code = result.get("newRecoveryCode") or self.recovery_code
                return answer.cookie() or token, result
        raise SignInFailed(f"no second factor the harness holds was accepted (offered: {offered})")
