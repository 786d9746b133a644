"""Baseline for `fidoctl verify batch`: the same JSON Lines batch verified with py_webauthn
(duo-labs/py_webauthn, `pip install webauthn`), one line after another, as a Python program.

Each line's `response`, `challenge`, `rpId`, `origin`, `credentialPublicKey` and
`storedSignCount` go to webauthn.verify_authentication_response(). Prints the number of verified
assertions; exits 1 if any failed."""
import base64
import json
import sys

from webauthn import verify_authentication_response


def b64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


verified = failed = 0
with open(sys.argv[1]) as lines:
    for line in lines:
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            verify_authentication_response(
                credential=request["response"],
                expected_challenge=b64url(request["challenge"]),
                expected_rp_id=request["rpId"],
                expected_origin=request["origin"],
                credential_public_key=b64url(request["credentialPublicKey"]),
                credential_current_sign_count=request.get("storedSignCount", 0),
            )
            verified += 1
        except Exception as error:  # a failed verification, counted
            failed += 1
print(f"{verified} verified, {failed} failed")
sys.exit(0 if failed == 0 else 1)
