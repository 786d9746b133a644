import ArgumentParser

/// `fidoctl verify`: relying-party verification of WebAuthn responses.
struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify WebAuthn registration and authentication responses as a relying party.",
        discussion: """
            Each command prints one JSON verdict per response. Exit status: 0 verified, 1 rejected, 64 usage error.
            """,
        subcommands: [VerifyRegistration.self, VerifyAuthentication.self, VerifyBatch.self]
    )
}
