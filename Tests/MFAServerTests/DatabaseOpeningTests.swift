import Foundation
import MFAServer
import Testing

/// Round-3 report, item 12: opening PostgreSQL where nothing answers is given up after the
/// connect timeout with a sentence and exit 69 (`mfa-server` used to wait forever).
struct DatabaseOpeningTests {
    @Test func anUnreachablePostgresIsGivenUpInTime() async throws {
        let started = ContinuousClock.now
        do {
            _ = try await MFAServerApp.openStore("postgres://u:p@127.0.0.1:1/db", connectTimeout: .seconds(1))
            Issue.record("a store opened on port 1")
        } catch let error as MFAServerApp.StartupError {
            #expect(error.exitCode == 69)
            #expect(error.description.contains("127.0.0.1:1"), "\(error.description)")
        }
        // Bounded (the client alone retries forever). Loose: with the whole suite running, the
        // 1 s timer has fired after 62 s (the task pool busy with blocking tests).
        #expect(ContinuousClock.now - started < .seconds(300))
    }

    @Test(arguments: [
        "sqlite:", "mysql://x", "postgres://127.0.0.1/db", "postgres://u@/db", "postgres://u@h",
        // Round 4: a pool size out of range is a usage error before any connection is tried.
        "postgresql://u@h/db?max_connections=0", "postgres://u@h/db?max_connections=x",
    ])
    func malformedDatabaseValuesAreUsageErrors(_ database: String) {
        #expect {
            try MFAServerApp.checkDatabase(database)
        } throws: { error in
            (error as? MFAServerApp.StartupError)?.exitCode == 64
        }
    }
}
