"""Writes Fixtures/webauthn/peer-batch.jsonl: every peer sample in Fixtures/webauthn/peers as one
`fidoctl verify batch` line (the peer's expected verdict is not in the line). Run from the
repository root: python3 scripts/make-peer-batch.py"""
import glob
import json
import os

root = "Fixtures/webauthn/peers"
with open("Fixtures/webauthn/peer-batch.jsonl", "w") as out:
    for path in sorted(glob.glob(os.path.join(root, "*", "*.json"))):
        sample = json.load(open(path))
        rp_id = sample["rpId"] if isinstance(sample["rpId"], str) else sample["rpId"][0]
        options = sample.get("options") or {}
        line = {
            "id": os.path.relpath(path, root),
            "kind": sample["ceremony"],
            "rpId": rp_id,
            "origin": sample["origin"],
            "challenge": sample["challenge"],
            "requireUserVerification": bool(options.get("requireUserVerification") or options.get("require_user_verification")),
            "response": sample["response"],
        }
        if sample["ceremony"] == "authentication":
            line["credentialPublicKey"] = sample["credentialPublicKey"]
            line["storedSignCount"] = sample.get("storedSignCount", 0)
        # The peer's own policy where a batch field can say it.
        if sample["format"] == "tpm" and not line["id"].startswith("webauthn-rs/"):
            line["allowRS1"] = True  # py_webauthn and SimpleWebAuthn accept SHA-1 TPM signatures
            if line["id"].startswith("simplewebauthn/"):
                line["allowedAlgorithms"] = [-8, -7, -36, -37, -38, -39, -257, -258, -259, -35, -65535]
        names = {"ES256": -7, "ES384": -35, "ES512": -36, "RS256": -257, "RS384": -258, "RS512": -259,
                 "PS256": -37, "PS384": -38, "PS512": -39, "EDDSA": -8, "INSECURE_RS1": -65535}
        listed = [alg for name, alg in names.items()
                  if "COSEAlgorithm::" + name + "," in sample.get("peerPolicy", "")
                  or "COSEAlgorithm::" + name + " " in sample.get("peerPolicy", "")]
        if listed:
            line["allowedAlgorithms"] = listed  # webauthn-rs: the algorithms its test allowed
        if options.get("attestationSafetyNetEnforceCTSCheck") is False:
            line["safetyNetCTSProfileMatch"] = False
        if options.get("expectedType"):
            line["expectedType"] = options["expectedType"]
        if "currentTimeMs" in sample:
            line["currentTimeMs"] = sample["currentTimeMs"]
        elif "fidokitCurrentTimeMs" in sample:
            # Expired certificates, no time pinned by the peer: the time FIDOKit added (see README).
            line["currentTimeMs"] = sample["fidokitCurrentTimeMs"]
        out.write(json.dumps(line) + "\n")
