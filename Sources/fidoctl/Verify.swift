import ArgumentParser

/// `fidoctl verify`: relying-party verification of WebAuthn responses.
struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify WebAuthn registration and authentication responses as a relying party.",
        discussion: """
            Each command prints one JSON verdict per response. Exit status: 0 verified, 1 rejected, \
            64 usage error, 65 input over its cap or not UTF-8 (or an anchor or metadata file that is no PEM or \
            BLOB), 66 an input or anchor file cannot be read, 69 a metadata URL cannot be fetched, 74 the \
            verdicts cannot be written, 130/143 interrupted.
            """,
        subcommands: [VerifyRegistration.self, VerifyAuthentication.self, VerifyBatch.self]
    )
}
