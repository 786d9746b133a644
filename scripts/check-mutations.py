"""Mutation check for the verifier: removes one WebAuthn check at a time from the sources and
confirms that the test suite then fails. Evidence for "every check of §7.1/§7.2 has a test that
fails when that check is removed". Slow (one incremental build and test run per mutant); run by
hand from the repository root:  python3 scripts/check-mutations.py [--scratch .build-mutants]
Restores every file it touches, also when interrupted."""
import argparse
import subprocess
import sys

W = "Sources/WebAuthn/"
R, A = W + "Ceremonies/RegistrationVerifier.swift", W + "Ceremonies/AuthenticationVerifier.swift"
C = W + "Ceremonies/CollectedClientData+Checks.swift"
MUTANTS = [
    ("reg: credential type", R, 'guard response.type == "public-key" else {', "guard true else {"),
    ("reg: id == rawId", R, "guard Base64URL.decode(response.id) == response.rawID.bytes else {", "guard true else {"),
    ("client data type", C, "guard types.contains(self.type) else {", "guard true else {"),
    ("challenge", C, "guard let challenge = Base64URL.decode(self.challenge), challenge == expected else {", "guard true else {"),
    ("origin", C, "guard relyingParty.origins.contains(self.origin) else {", "guard true else {"),
    ("cross origin", C, "guard relyingParty.allowCrossOrigin else {", "guard true else {"),
    ("top origin", C, "guard let top = self.topOrigin, relyingParty.topOrigins.contains(top) else {", "guard true else {"),
    ("token binding", C, 'guard ["present", "supported"].contains(binding.status) else {', "guard true else {"),
    ("reg: rpIdHash", R, "guard authData.rpIDHash == expectedRPIDHash else {", "guard true else {"),
    ("reg: UP", R, "guard authData.userPresent else {", "guard true else {"),
    ("reg: UV", R, "if self.policy.requireUserVerification && !authData.userVerified {", "if false {"),
    ("reg: BS without BE", R, "if authData.backupState && !authData.backupEligible {", "if false {"),
    ("reg: credential id length", R, "guard credential.credentialID.count <= 1023 else {", "guard true else {"),
    ("reg: algorithm allowed", R, "guard self.policy.allowedAlgorithms.contains(key.algorithm) else {", "guard true else {"),
    ("reg: trusted attestation required", R, "if self.policy.requireTrustedAttestation && !attestation.trusted {", "if false {"),
    ("auth: credential type", A, 'guard response.type == "public-key" else {', "guard true else {"),
    ("auth: id == rawId", A, "guard Base64URL.decode(response.id) == credentialID else {", "guard true else {"),
    ("auth: allowCredentials", A, "if let allowed = expected.allowCredentials, !allowed.contains(credentialID) {", "if false {"),
    ("auth: stored credential id", A, "if let storedID = expected.credentialID, storedID != credentialID {", "if false {"),
    ("auth: user handle owner", A, "if let owner = expected.userHandle, owner != returned {", "if false {"),
    ("auth: user handle required", A, "} else if expected.requireUserHandle {", "} else if false {"),
    ("auth: rpIdHash", A, "if authData.rpIDHash != self.rpIDHash {", "if false {"),
    ("auth: appid needs the client's flag", A, "if response.clientExtensionResults?.appid == true, let appIDHash", "if let appIDHash"),
    ("auth: UP", A, "guard authData.userPresent else {", "guard true else {"),
    ("auth: UV", A, "if self.policy.requireUserVerification && !authData.userVerified {", "if false {"),
    ("auth: BS without BE", A, "if authData.backupState && !authData.backupEligible {", "if false {"),
    ("auth: BE unchanged", A, "if let storedEligible = expected.backupEligible, storedEligible != authData.backupEligible {", "if false {"),
    ("auth: signature", A, "guard expected.publicKey.isValidSignature(response.response.signature.bytes, for: signedData) else {", "guard true else {"),
    ("auth: sign count", A, "guard self.policy.allowSignCountRegression else {", "guard true else {"),
    ("none: empty statement", W + "Attestation/NoneAttestation.swift", "guard statement.isEmpty else {", "guard true else {"),
    ("packed: self alg", W + "Attestation/PackedAttestation.swift", "guard algorithm == context.credentialKey.algorithm else {", "guard true else {"),
    ("packed: self signature", W + "Attestation/PackedAttestation.swift", "guard context.credentialKey.isValidSignature(signature, for: signedData) else {", "guard true else {"),
    ("packed: x5c signature", W + "Attestation/PackedAttestation.swift", "guard key.isValidSignature(signature, for: signedData, algorithm: algorithm) else {", "guard true else {"),
    ("packed: certificate requirements", W + "Attestation/PackedAttestation.swift", "try Self.checkCertificateRequirements(leaf, aaguid: context.credential.aaguid)", ""),
    ("packed: OU", W + "Attestation/PackedAttestation.swift", 'guard unit == ["Authenticator Attestation"] else {', "guard true else {"),
    ("packed: CA false", W + "Attestation/PackedAttestation.swift", "guard !certificate.isCertificateAuthority else {", "guard true else {"),
    ("aaguid extension", W + "Trust/Certificate+Attestation.swift", "guard value == aaguid.bytes else {", "guard true else {"),
    ("x5c signature octet-aligned", W + "Attestation/AttestationStatementVerifier.swift", "guard try ASN1BitString(derEncoded: signature).paddingBits == 0 else {", "guard true else {"),
    ("certificate validity", W + "Trust/CertificatePathValidator.swift", "guard certificate.notValidBefore <= self.verificationTime,\n                self.verificationTime <= certificate.notValidAfter", "guard true"),
    ("trust anchors", W + "Trust/CertificatePathValidator.swift", "guard !self.trustAnchors.isEmpty else {\n            return Outcome(path: chain, trusted: false)", "guard false else {\n            return Outcome(path: chain, trusted: true)"),
    ("fido-u2f: signature", W + "Attestation/FIDOU2FAttestation.swift", "guard\n            SignatureVerificationKey.p256(attestationKey).isValidSignature(\n                signature,\n                for: verificationData,\n                algorithm: .es256\n            )", "guard true"),
    ("fido-u2f: one certificate", W + "Attestation/FIDOU2FAttestation.swift", "guard let chain = try self.certificates(in: statement), chain.count == 1 else {", "guard let chain = try self.certificates(in: statement) else {"),
    ("fido-u2f: P-256 credential", W + "Attestation/FIDOU2FAttestation.swift", "guard case .p256(let credentialKey) = context.credentialKey.verificationKey else {", "guard case .p256(let credentialKey) = Optional(SignatureVerificationKey.p256(P256.Signing.PrivateKey().publicKey)) ?? context.credentialKey.verificationKey else {"),
]

parser = argparse.ArgumentParser()
parser.add_argument("--scratch", default=".build-mutants")
parser.add_argument("--only", default="")
parser.add_argument("--check-patterns", action="store_true", help="only confirm every pattern is found once")
args = parser.parse_args()

survivors = []
for name, path, old, new in MUTANTS:
    if args.only and args.only not in name:
        continue
    original = open(path).read()
    if original.count(old) != 1:
        print(f"?? {name}: pattern found {original.count(old)} times in {path}")
        survivors.append(name + " (pattern)")
        continue
    if args.check_patterns:
        continue
    try:
        open(path, "w").write(original.replace(old, new))
        result = subprocess.run(
            ["swift", "test", "--scratch-path", args.scratch, "--filter", "WebAuthnTests|fidoctlTests"],
            capture_output=True, text=True)
        output = result.stdout + result.stderr
        if "error: emit-module" in output or ".swift:" in output and "error:" in output and "Test run" not in output:
            print("NO-BUILD " + name, flush=True)
            survivors.append(name + " (does not compile)")
            continue
        killed = result.returncode != 0
        print(("killed   " if killed else "SURVIVED ") + name, flush=True)
        if not killed:
            survivors.append(name)
    finally:
        open(path, "w").write(original)
print(f"{len(survivors)} of {len(MUTANTS)} mutants survived: {survivors}")
sys.exit(1 if survivors else 0)
