import ArgumentParser
import Crypto
import Foundation
import MFAFactors
import MFAStore
import OTP
import WebAuthn

/// `fidoctl bench signins`: second-factor verifications per second through the store — a TOTP
/// code checked and its step recorded, a WebAuthn assertion verified and its counter advanced —
/// each one a read and a compare-and-swap in SQLite or PostgreSQL.
struct BenchSignIns: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signins",
        abstract: "TOTP and WebAuthn sign-in verifications per second through the store (SQLite or PostgreSQL).",
        discussion: """
            Also the writer the crash-consistency test kills at random points: it keeps writing to the \
            database it is given until the time is up, and the store must reopen intact.

            Examples:
              fidoctl bench signins
              fidoctl bench signins --database postgres://fidokit:fidokit@127.0.0.1:5432/fidokit_test
            """
    )

    @Option(help: "sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DATABASE (default: a temporary SQLite file).")
    var database: String?

    @Option(help: "Members, each with one OTP factor and one security key.")
    var members = 64

    @Option(help: "Seconds to measure each figure.")
    var seconds = 3.0

    @Option(help: "Concurrent sign-ins (default: the number of cores).")
    var tasks = ProcessInfo.processInfo.activeProcessorCount

    @Option(
        help: """
            What to measure: totp, webauthn or both (a read and a compare-and-swap each), or services \
            (whole sign-ins through the factor services, with failure limits: a TOTP code; a WebAuthn \
            ceremony — challenge stored, a software key's answer, challenge consumed, counter advanced).
            """
    )
    var kind = "both"

    @Flag(help: "Put the process-local cache in front of SQLite and keep challenges in memory, as mfa-server does.")
    var cache = false

    /// An OTP factor's stored state.
    struct OTPState: StorableRecord {
        static let recordKind = "bench-otp"
        var secret: [UInt8]
        var lastAcceptedStep: UInt64?
    }

    /// A security key's stored counter.
    struct KeyState: StorableRecord {
        static let recordKind = "bench-key"
        var publicKey: [UInt8]
        var signCount: UInt32
    }

    func validate() throws {
        guard self.database?.isEmpty != true else {
            throw ValidationError("--database is empty; name a file or a URL.")
        }
        guard (1...100_000).contains(self.members) else { throw ValidationError("--members must be from 1 to 100000.") }
        guard self.seconds > 0, self.seconds <= 86_400 else {
            throw ValidationError("--seconds must be more than 0 and at most 86400.")
        }
        guard (1...4_096).contains(self.tasks) else { throw ValidationError("--tasks must be from 1 to 4096.") }
    }

    func run() async throws {
        let (base, location) = try await Self.open(self.database)
        let cached = self.cache && base is SQLiteRecordStore
        let store: any RecordStore =
            cached
            ? KindRoutingRecordStore(routing: FactorDirectory.memoryOnlyKinds, base: CachingRecordStore(base: base))
            : base
        try Output.line(
            "store: \(location)\(cached ? " (cached)" : ""), \(self.members) members, "
                + "\(self.tasks) concurrent sign-ins"
        )
        if self.kind == "both" || self.kind == "totp" {
            let rate = try await self.totp(store)
            try Output.line(String(format: "TOTP verifications:     %8.0f /s", rate))
        }
        if self.kind == "both" || self.kind == "webauthn" {
            let rate = try await self.webAuthn(store)
            try Output.line(String(format: "WebAuthn assertions:    %8.0f /s", rate))
        }
        if self.kind == "services" {
            let totp = try await self.totpThroughService(store)
            try Output.line(String(format: "TOTP sign-ins (OTPFactorService + AttemptGuard):          %8.0f /s", totp))
            let ceremonies = try await self.webAuthnThroughService(store)
            try Output.line(
                String(format: "WebAuthn ceremonies (WebAuthnFactorService + AttemptGuard): %8.0f /s", ceremonies)
            )
        }
        (base as? PostgresRecordStore)?.shutdown()
        if self.database == nil, let path = (base as? SQLiteRecordStore)?.path {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
    }

    static func open(_ database: String?) async throws -> (any RecordStore, String) {
        guard let database else {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent(
                "fidokit-bench-\(UUID().uuidString).sqlite"
            ).path
            return (try SQLiteRecordStore(path: path), "sqlite:\(path)")
        }
        if database.hasPrefix("sqlite:") {
            let path = String(database.dropFirst("sqlite:".count))
            return (try SQLiteRecordStore(path: path), database)
        }
        if database.hasPrefix("postgres://") || database.hasPrefix("postgresql://") {
            return (try await PostgresRecordStore(url: database), "postgresql")
        }
        throw ValidationError("--database takes sqlite:PATH or postgres://…")
    }

    /// Runs `operation(worker, index)` on `tasks` workers until the time is up; returns ops/s.
    func measure(_ operation: @escaping @Sendable (Int, Int) async throws -> Void) async throws -> Double {
        let deadline = Date().addingTimeInterval(self.seconds)
        let start = Date()
        let workers = max(1, self.tasks)
        let count = try await withThrowingTaskGroup(of: Int.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var done = 0
                    while Date() < deadline {
                        try await operation(worker, done)
                        done += 1
                    }
                    return done
                }
            }
            var total = 0
            for try await done in group { total += done }
            return total
        }
        return Double(count) / Date().timeIntervalSince(start)
    }

    func totp(_ store: any RecordStore) async throws -> Double {
        let run = UUID().uuidString
        var generators: [TOTP] = []
        for member in 0..<self.members {
            let secret = OTPSecret.generate()
            try await store.insert(
                OTPState(secret: secret, lastAcceptedStep: nil),
                id: "\(run)-\(member)",
                owner: "member-\(member)"
            )
            generators.append(try TOTP(secret: secret))
        }
        let members = self.members
        let workers = max(1, self.tasks)
        let base = Date(timeIntervalSince1970: 1_700_000_000)
        let totps = generators
        return try await self.measure { worker, index in
            // Worker w handles members w, w+workers, …; each sign-in is one step later, so every
            // code is new and must be accepted.
            let slot = index % max(1, members / workers)
            let member = (slot * workers + worker) % members
            let round = index / max(1, members / workers)
            let time = base.addingTimeInterval(Double(round) * 30)
            let code = totps[member].code(at: time)
            let accepted = try await store.modify(OTPState.self, id: "\(run)-\(member)") { state -> Bool in
                guard let step = totps[member].matchingStep(for: code, at: time, after: state.lastAcceptedStep) else {
                    return false
                }
                state.lastAcceptedStep = step
                return true
            }
            guard accepted else {
                throw CommandFailure(.refused, "A fresh TOTP code was refused: the benchmark is wrong.")
            }
        }
    }

    func webAuthn(_ store: any RecordStore) async throws -> Double {
        let run = UUID().uuidString
        let perMember = 400
        var assertions: [[BenchmarkAssertion]] = []
        for member in 0..<self.members {
            let key = P256.Signing.PrivateKey()
            var made: [BenchmarkAssertion] = []
            for counter in 1...UInt32(perMember) {
                made.append(try BenchmarkAssertion.make(.es256, p256Key: key, counter: counter))
            }
            try await store.insert(
                KeyState(publicKey: made[0].publicKey.encoded, signCount: 0),
                id: "\(run)-\(member)",
                owner: "member-\(member)"
            )
            assertions.append(made)
        }
        let relyingParty = RelyingParty(id: BenchmarkAssertion.rpID, origins: [BenchmarkAssertion.origin])
        let verifier = AuthenticationVerifier(policy: AuthenticationPolicy(relyingParty: relyingParty))
        // Once a member's prepared assertions run out they are used again; counters then repeat.
        let wrapped = AuthenticationVerifier(
            policy: AuthenticationPolicy(relyingParty: relyingParty, allowSignCountRegression: true)
        )
        let members = self.members
        let workers = max(1, self.tasks)
        let assertionsByMember = assertions
        return try await self.measure { worker, index in
            let slot = index % max(1, members / workers)
            let member = (slot * workers + worker) % members
            let round = index / max(1, members / workers)
            let assertion = assertionsByMember[member][round % perMember]
            _ = try await store.modify(KeyState.self, id: "\(run)-\(member)") { state -> Bool in
                let key = try COSEKey(cbor: state.publicKey)
                let verified = try (round >= perMember ? wrapped : verifier).verify(
                    assertion.response,
                    expecting: AuthenticationExpectation(
                        challenge: assertion.challenge,
                        publicKey: key,
                        storedSignCount: state.signCount
                    )
                )
                state.signCount = max(state.signCount, verified.newSignCount)
                return true
            }
        }
    }
}
