"""Mutation check for the verifier and the factor services: removes one check at a time from the sources and
confirms that the test suite then fails. Evidence for "every check of §7.1/§7.2 has a test that
fails when that check is removed". Slow (one incremental build and test run per mutant); run by
hand from the repository root:  .build/venv/bin/python scripts/check-mutations.py [--scratch .build-mutants]
Restores every file it touches, also when interrupted."""
import argparse
import subprocess
import sys

W = "Sources/WebAuthn/"
R, A = W + "Ceremonies/RegistrationVerifier.swift", W + "Ceremonies/AuthenticationVerifier.swift"
C = W + "Ceremonies/CollectedClientData+Checks.swift"
FL = W + "Ceremonies/AuthenticatorFlagRules.swift"
F, FT = "Sources/MFAFactors/", "MFAFactorsTests"
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
    # The flag rules both ceremonies share (AuthenticatorFlagRules), and each ceremony's policy passed to them.
    ("flags: UP", FL, "guard authData.userPresent else {", "guard true else {"),
    ("flags: UV", FL, "if requireUserVerification && !authData.userVerified {", "if false {"),
    ("flags: BS without BE", FL, "if authData.backupState && !authData.backupEligible {", "if false {"),
    ("reg: UV policy", R, "requireUserVerification: self.policy.requireUserVerification,", "requireUserVerification: false,"),
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
    ("auth: UV policy", A, "requireUserVerification: self.policy.requireUserVerification,", "requireUserVerification: false,"),
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
    ("certificate validity", W + "Trust/CertificatePathValidator.swift", "if self.enforceValidityPeriod, let certificate", "if false, let certificate"),
    ("caller's anchors required", W + "Trust/CertificatePathValidator.swift", "guard self.requireAnchor else { return Outcome(path: chain, trusted: false) }", "return Outcome(path: chain, trusted: false)"),
    ("trust anchors", W + "Trust/CertificatePathValidator.swift", "guard !self.trustAnchors.isEmpty else {\n            try Self.checkLinks(chain)\n            return Outcome(path: chain, trusted: false)", "guard false else {\n            return Outcome(path: chain, trusted: true)"),
    ("x5c links without anchors", W + "Trust/CertificatePathValidator.swift", "            try Self.checkLinks(chain)\n            return Outcome(path: chain, trusted: false)", "            return Outcome(path: chain, trusted: false)"),
    ("fido-u2f: signature", W + "Attestation/FIDOU2FAttestation.swift", "guard\n            SignatureVerificationKey.p256(attestationKey).isValidSignature(\n                signature,\n                for: verificationData,\n                algorithm: .es256\n            )", "guard true"),
    ("fido-u2f: one certificate", W + "Attestation/FIDOU2FAttestation.swift", "guard let chain = try self.certificates(in: statement), chain.count == 1 else {", "guard let chain = try self.certificates(in: statement) else {"),
    ("fido-u2f: P-256 credential", W + "Attestation/FIDOU2FAttestation.swift", "guard case .p256(let credentialKey) = context.credentialKey.verificationKey else {", "guard case .p256(let credentialKey) = Optional(SignatureVerificationKey.p256(P256.Signing.PrivateKey().publicKey)) ?? context.credentialKey.verificationKey else {"),
    ("tpm: ver 2.0", W + "Attestation/TPMAttestation.swift", 'guard statement["ver"]?.text == "2.0" else {', "guard true else {"),
    ("tpm: pubArea is the credential key", W + "Attestation/TPMAttestation.swift", "guard Self.publicArea(publicArea, matches: context.credentialKey.verificationKey) else {", "guard true else {"),
    ("tpm: magic", W + "Attestation/TPMAttestation.swift", "guard certifyInfo.magic == TPMCertifyInfo.generatedValue else {", "guard true else {"),
    ("tpm: type", W + "Attestation/TPMAttestation.swift", "guard certifyInfo.type == TPMCertifyInfo.attestCertify else {", "guard true else {"),
    ("tpm: extraData", W + "Attestation/TPMAttestation.swift", "guard certifyInfo.extraData == digest(attToBeSigned) else {", "guard true else {"),
    ("tpm: attested name", W + "Attestation/TPMAttestation.swift", "certifyInfo.attestedName\n                == [", "certifyInfo.attestedName\n                != ["),
    ("tpm: signature", W + "Attestation/TPMAttestation.swift", "guard key.isValidSignature(signature, for: certInfoBytes, algorithm: algorithm) else {", "guard true else {"),
    ("tpm: AIK version 3", W + "Attestation/TPMAttestation.swift", "guard certificate.version == .v3 else {", "guard true else {"),
    ("tpm: AIK subject empty", W + "Attestation/TPMAttestation.swift", "guard certificate.subject.isEmpty else {", "guard true else {"),
    ("tpm: AIK SAN attributes", W + "Attestation/TPMAttestation.swift", "guard let manufacturer = names[.tcgTPMManufacturer], names[.tcgTPMModel] != nil, names[.tcgTPMVersion] != nil", "guard let manufacturer = names[.tcgTPMManufacturer] ?? Optional(\"id:FFFFF1D0\")"),
    ("tpm: AIK manufacturer", W + "Attestation/TPMAttestation.swift", "guard manufacturers.contains(where: { $0.caseInsensitiveCompare(manufacturer) == .orderedSame }) else {", "guard true else {"),
    ("tpm: AIK extended key usage", W + "Attestation/TPMAttestation.swift", "guard let usages, usages.contains(ExtendedKeyUsage.Usage(oid: .tcgKPAIKCertificate)) else {", "guard true else {"),
    ("tpm: AIK CA false", W + "Attestation/TPMAttestation.swift", "guard !certificate.isCertificateAuthority else {", "guard true else {"),
    ("android-key: signature", W + "Attestation/AndroidKeyAttestation.swift", "            key.isValidSignature(\n                signature,", "            !key.isValidSignature(\n                signature,"),
    ("android-key: credential key", W + "Attestation/AndroidKeyAttestation.swift", "guard key.isSameKey(as: context.credentialKey.verificationKey) else {", "guard true else {"),
    ("android-key: challenge", W + "Attestation/AndroidKeyAttestation.swift", "guard description.attestationChallenge == context.clientDataHash else {", "guard true else {"),
    ("android-key: allApplications", W + "Attestation/AndroidKeyAttestation.swift", "guard !description.softwareEnforced.allApplications && !description.teeEnforced.allApplications else {", "guard true else {"),
    ("android-key: origin generated", W + "Attestation/AndroidKeyAttestation.swift", "guard lists.contains(where: { $0.origin == AndroidKeyDescription.originGenerated }) else {", "guard true else {"),
    ("android-key: purpose sign", W + "Attestation/AndroidKeyAttestation.swift", "guard lists.contains(where: { $0.purposes.contains(AndroidKeyDescription.purposeSign) }) else {", "guard true else {"),
    ("android-key: TEE-only policy", W + "Attestation/AndroidKeyAttestation.swift", "case .trustedExecutionEnvironmentOnly: lists = [description.teeEnforced]", "case .trustedExecutionEnvironmentOnly: lists = [description.teeEnforced, description.softwareEnforced]"),
    ("safetynet: ver", W + "Attestation/AndroidSafetyNetAttestation.swift", 'guard let version = statement["ver"]?.text, !version.isEmpty else {', 'guard statement["ver"] != nil || true else {'),
    ("safetynet: JWS signature", W + "Attestation/AndroidSafetyNetAttestation.swift", "guard let key = leaf.signatureVerificationKey, jws.verify(with: key) else {", "guard leaf.signatureVerificationKey != nil else {"),
    ("safetynet: attest.android.com", W + "Attestation/AndroidSafetyNetAttestation.swift", "guard Self.isIssued(leaf, to: Self.hostname) else {", "guard true else {"),
    ("safetynet: nonce", W + "Attestation/AndroidSafetyNetAttestation.swift", 'guard try payload.string("nonce") == expectedNonce else {', 'guard try payload.string("nonce") != "" else {'),
    ("safetynet: ctsProfileMatch", W + "Attestation/AndroidSafetyNetAttestation.swift", 'guard try payload.optionalBool("ctsProfileMatch") == true else {', 'guard true else {'),
    ("safetynet: timestamp window", W + "Attestation/AndroidSafetyNetAttestation.swift", "guard issued <= now.addingTimeInterval(context.formatPolicy.safetyNetClockSkew),", "guard issued <= now.addingTimeInterval(1e9),"),
    ("apple: nonce present", W + "Attestation/AppleAttestation.swift", "guard let nonce = try Self.nonce(in: credentialCertificate) else {", "guard let nonce = try Self.nonce(in: credentialCertificate) ?? Optional(expected) else {"),
    ("apple: nonce value", W + "Attestation/AppleAttestation.swift", "guard nonce == expected else {", "guard true else {"),
    ("apple: credential key", W + "Attestation/AppleAttestation.swift", "            certificateKey.isSameKey(as: context.credentialKey.verificationKey)", "            true || certificateKey.isSameKey(as: context.credentialKey.verificationKey)"),
    ("compound: at least two", W + "Attestation/CompoundAttestation.swift", "guard let statements = statementValue.arrayValue, statements.count >= 2 else {", "guard let statements = statementValue.arrayValue else {"),
    ("compound: no nesting", W + "Attestation/CompoundAttestation.swift", "guard format != .compound else {", "guard true else {"),
    ("metadata: refusing status",R, "if let report = metadata.refusingReport {", "if false, let report = metadata.refusingReport {"),
    ("metadata: roots required",R, "anchors = (anchors.anchors + metadata.attestationRootCertificates, true)", "anchors = (anchors.anchors, anchors.callerChosen)"),
    ("conveyance requirement",R, "if !self.policy.attestation.accepts(type: attestation.type, trusted: attestation.trusted) {", "if false {"),
    # The factor services (run against MFAFactorsTests, which need FIDOKIT_POSTGRES_URL).
    ("factor: webauthn ceremony owner", F + "WebAuthnFactorService.swift", "guard pending.memberID == memberID else { throw FactorError.ceremonyNotFound }", "guard true else { throw FactorError.ceremonyNotFound }", FT),
    ("factor: webauthn ceremony purpose", F + "WebAuthnFactorService.swift", "guard pending.purpose == purpose else {", "guard true else {", FT),
    ("factor: webauthn ceremony once", F + "WebAuthnFactorService.swift", "guard !pending.consumed else {", "guard true else {", FT),
    ("factor: webauthn ceremony expiry", F + "WebAuthnFactorService.swift", "guard now < pending.expiresAt else {", "guard true else {", FT),
    ("factor: webauthn credential owner", F + "WebAuthnFactorService.swift", "                guard credential.memberID == memberID else { throw FactorError.factorNotFound }\n                // allowCredentials", "                // allowCredentials", FT),
    ("factor: webauthn platform UV", F + "WebAuthnFactorService.swift", "if kind == .platformAuthenticator { policy.requireUserVerification = true }", "", FT),
    ("factor: webauthn counter stored", F + "WebAuthnFactorService.swift", "credential.record.signCount = max(credential.record.signCount, verified.newSignCount)", "", FT),
    ("factor: webauthn removal owner", F + "WebAuthnFactorService.swift", "            $0.memberID == memberID\n", "            $0.memberID == $0.memberID\n", FT),
    ("factor: sms code owner", F + "SMSFactorService.swift", "guard pending.memberID == memberID else {", "guard true else {", FT),
    ("factor: sms confirmed for sign-in", F + "SMSFactorService.swift", "guard factor.confirmed else { throw FactorError.factorNotConfirmed }", "", FT),
    ("factor: sms resend limits", F + "SMSFactorService.swift", "{ try throttle.check(previousSends: $0, at: now) }", "{ _ in }", FT),
    ("factor: sms member cap", F + "SMSFactorService.swift", "try throttle.checkMember(previousSends: $0, at: now)", "_ = $0", FT),
    ("factor: sms tenant cap", F + "SMSFactorService.swift", "try throttle.checkTenant(previousSends: $0, at: now)", "_ = $0", FT),
    ("factor: sms failed delivery unusable", F + "SMSFactorService.swift", "_ = try? await self.store.delete(PendingCode.self, id: challenge.id) { _ in true }", "", FT),
    ("factor: sms removal owner", F + "SMSFactorService.swift", "delete(Factor.self, id: factorID, if: { $0.memberID == memberID })", "delete(Factor.self, id: factorID, if: { _ in true })", FT),
    ("factor: push status owner", F + "PushFactorService.swift", "            transaction.memberID == memberID\n", "            true\n", FT),
    ("factor: push redeemed once", F + "PushFactorService.swift", ", !stored.redeemed", "", FT),
    ("factor: push notify failure cancels", F + "PushFactorService.swift", "_ = try? await self.store.modify(Transaction.self, id: transaction.id) { $0.transaction.state = .denied }", "", FT),
    ("factor: webauthn ceremony binding", F + "WebAuthnFactorService.swift", "guard pending.binding == nil || pending.binding == binding else {", "guard true else {", "MFAServerTests"),
    # (Removing `checkAllowed` alone is an equivalent mutant: a counter locks only at its limit, so
    # the reservation check below refuses a locked factor too.)
    ("factor: attempt reservations", F + "AttemptGuard.swift", "guard state.counter.consecutiveFailures + state.reservations.count < state.counter.limit else {", "guard true else {", FT),
    ("factor: attempt reservations in memory", F + "AttemptGuard.swift", "allowed: { counter.consecutiveFailures + $0 < counter.limit }", "allowed: { _ in true }", "AttemptGuardTests"),
    ("store: sweep only what expired", "Sources/MFAStore/SQLiteRecordStore.swift", "WHERE expires_at < ? AND", "WHERE expires_at >= ? OR", "ExpiryTests"),
    ("store: memory-only records swap once", "Sources/MFAStore/MemoryRecordStore.swift", "guard var item = state.items[key], item.record.version == expectedVersion else", "guard var item = state.items[key] else", "OneTimeConsumptionTests"),
    ("store: memory stays bounded", "Sources/MFAStore/MemoryRecordStore.swift", "guard self.items.count > capacity || expired else { break }", "guard expired else { break }", "MemoryRecordStoreTests"),
    ("store: a thrown change is not run again", "Sources/MFAStore/RecordStore+Typed.swift", "                else { throw error }\n", "                else { continue }\n", "KnownVersionTests"),
    ("store: a refusal of a stale start is decided again", "Sources/MFAStore/RecordStore+Typed.swift", "current.version != snapshot.version", "false", "KnownVersionTests"),
    ("webauthn: a returned user handle is the member's", "Sources/MFAFactors/WebAuthnFactorService.swift", "let handle = returned ? try await self.userHandle(for: memberID) : nil", "let handle: [UInt8]? = nil", "WebAuthnFactorServiceTests"),
    ("store: cached lists see inserts", "Sources/MFAStore/CachingRecordStore.swift", "        defer { self.listChanged(kind: kind, owner: owner) }\n        do {", "        do {", "CachingRecordStore"),
    ("store: routed kinds stay out of the base", "Sources/MFAStore/KindRoutingRecordStore.swift", "self.kinds.contains(kind) ? self.routed : self.base", "self.base", "KindRoutingRecordStoreTests"),
    ("store: any store is offered what was written", "Sources/MFAStore/RecordStore+Typed.swift", "                self.keepDecoded(record, id: id, version: version + 1, data: data)\n", "", "TypedRecordStoreTests"),
]

parser = argparse.ArgumentParser()
parser.add_argument("--scratch", default=".build-mutants")
parser.add_argument("--only", default="")
parser.add_argument("--check-patterns", action="store_true", help="only confirm every pattern is found once")
args = parser.parse_args()

survivors = []
if not args.check_patterns and any(len(m) > 4 and (not args.only or any(p and p in m[0] for p in args.only.split(","))) for m in MUTANTS):
    import os
    if not os.environ.get("FIDOKIT_POSTGRES_URL"):
        sys.exit("the factor mutants run the store tests: export FIDOKIT_POSTGRES_URL=$(scripts/start-test-postgres.sh)")
for name, path, old, new, *rest in MUTANTS:
    tests = rest[0] if rest else "WebAuthnTests|fidoctlTests"
    if args.only and not any(part and part in name for part in args.only.split(",")):
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
            ["swift", "test", "--scratch-path", args.scratch, "--filter", tests],
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
