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
        if "currentTimeMs" in sample:
            line["currentTimeMs"] = sample["currentTimeMs"]
        out.write(json.dumps(line) + "\n")
