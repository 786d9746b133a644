"""Baseline for `fidoctl verify batch` on registrations: the same JSON Lines batch verified with
py_webauthn (duo-labs/py_webauthn, `pip install webauthn`), one line after another.

Each line's `response`, `challenge`, `rpId` and `origin` go to
webauthn.verify_registration_response(). A line's `currentTimeMs` pins the certificate clock
the way py_webauthn's own tests do (its X509Store factory, set_time). Prints the number of
verified registrations; exits 1 if any failed."""
import base64
import datetime
import json
import sys

from OpenSSL.crypto import X509Store
from webauthn import verify_registration_response
import webauthn.helpers.validate_certificate_chain as chain

pinned = None


def store():
    result = X509Store()
    if pinned is not None:
        result.set_time(pinned)
    return result


chain._generate_new_cert_store = store


def b64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


verified = failed = 0
with open(sys.argv[1]) as lines:
    for line in lines:
        if not line.strip():
            continue
        request = json.loads(line)
        milliseconds = request.get("currentTimeMs")
        pinned = None if milliseconds is None else datetime.datetime.fromtimestamp(milliseconds / 1000, datetime.timezone.utc)
        try:
            verify_registration_response(
                credential=request["response"],
                expected_challenge=b64url(request["challenge"]),
                expected_rp_id=request["rpId"],
                expected_origin=request["origin"],
                require_user_verification=request.get("requireUserVerification", False),
            )
            verified += 1
        except Exception as error:  # a failed verification, counted
            failed += 1
print(f"{verified} verified, {failed} failed")
sys.exit(0 if failed == 0 else 1)
