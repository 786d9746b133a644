import ArgumentParser
import Foundation
import OTP
import QRCode

/// `fidoctl otp`: authenticator-app codes (TOTP/HOTP) for people and scripts.
struct OTPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "otp",
        abstract: "Make an authenticator-app secret (with its QR code), compute codes, check codes.",
        subcommands: [Add.self, Code.self, Verify.self]
    )

    /// Options naming the generator.
    struct GeneratorOptions: ParsableArguments {
        @Option(help: "HMAC algorithm: sha1, sha256 or sha512.")
        var algorithm: String = "sha1"

        @Option(help: "Code length, 6 to 8.")
        var digits: Int = 6

        @Option(help: "TOTP period in seconds.")
        var period: Int = 30

        @Option(help: "Use HOTP with this counter instead of TOTP.")
        var counter: UInt64?

        func validate() throws {
            guard (6...8).contains(self.digits) else { throw ValidationError("--digits must be from 6 to 8.") }
            guard (1...86_400).contains(self.period) else {
                throw ValidationError("--period must be from 1 to 86400 seconds.")
            }
        }

        func algorithmValue() throws -> OTPAlgorithm {
            do {
                return try OTPAlgorithm(name: self.algorithm)
            } catch {
                throw ValidationError(error.description)
            }
        }

        func totp(_ secret: [UInt8]) throws -> TOTP {
            do {
                return try TOTP(
                    secret: secret,
                    digits: self.digits,
                    algorithm: try self.algorithmValue(),
                    period: self.period
                )
            } catch let error as OTPError {
                throw ValidationError(error.description)
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a new secret, print its otpauth:// URI and QR code, and confirm it with one code.",
            discussion: """
                Scan the QR code with an authenticator app, then type the code it shows; the secret is only \
                printed as enrolled once a code matches. Scripts pass --code, or --no-confirm to skip the check.

                Example:
                  fidoctl otp add --issuer "FIDOKit Dashboard" --account ada@example.com --svg qr.svg
                """
        )

        @Option(help: "Who issues the codes, shown in the app.")
        var issuer: String

        @Option(help: "The account, e.g. an e-mail address.")
        var account: String

        @OptionGroup var generator: GeneratorOptions

        @Option(help: "Also write the QR code as an SVG file.")
        var svg: String?

        @Option(help: "The first code, for scripts (otherwise it is asked for on the terminal).")
        var code: String?

        @Flag(help: "Print the secret without confirming a code.")
        var noConfirm = false

        func validate() throws {
            guard !self.account.isEmpty else {
                throw ValidationError("--account must not be empty: the app shows it to tell secrets apart.")
            }
            for (name, value) in [("--issuer", self.issuer), ("--account", self.account)]
            where value.unicodeScalars.contains(where: Terminal.isUnsafe) {
                throw ValidationError("\(name) must not hold control characters.")
            }
            if let path = self.svg { try OutputFile.check(path) }
        }

        func run() async throws {
            let secret = OTPSecret.generate()
            let totp = try self.generator.totp(secret)
            let kind: OTPAuthURI.Kind =
                self.generator.counter.map { .hotp(counter: $0) } ?? .totp(period: self.generator.period)
            let uri = OTPAuthURI(
                kind: kind,
                issuer: self.issuer,
                account: self.account,
                secret: secret,
                algorithm: try self.generator.algorithmValue(),
                digits: self.generator.digits
            )
            let symbol: QRCode
            do throws(QRCodeError) {
                symbol = try QRCode(encoding: uri.text)
            } catch  where error != .tooLong {
                throw CommandFailure(.software, "The QR code could not be made: libqrencode failed.")
            } catch {
                throw CommandFailure(
                    .usage,
                    "The otpauth URI is \(uri.text.utf8.count) bytes, more than a QR code holds: shorten --issuer or --account."
                )
            }
            try Output.line(symbol.terminalString(colors: isatty(STDOUT_FILENO) == 1))
            try Output.line(uri.text)
            try Output.line("secret: \(Base32.encode(secret))")
            if let path = self.svg {
                try OutputFile.write(symbol.svg(), to: path, privacy: .secret)
            }
            guard !self.noConfirm else { return }
            var typed = self.code
            if typed == nil {
                Output.error("Code shown by the app: ")
                typed = Terminal.readLine().map { String(decoding: $0, as: UTF8.self) }
                guard typed != nil else {
                    // As the PIN prompt: no input is bad input data, not a wrong code.
                    throw CommandFailure(
                        .dataError,
                        "No code given (end of input at the prompt). Nothing was enrolled."
                    )
                }
            }
            let now = Date()
            let matched: Bool
            if let counter = self.generator.counter {
                matched = (0...2).contains { offset in
                    totp.hotp.code(counter: counter &+ UInt64(offset)) == typed?.trimmingCharacters(in: .whitespaces)
                }
            } else {
                matched = totp.matchingStep(for: typed?.trimmingCharacters(in: .whitespaces) ?? "", at: now) != nil
            }
            guard matched else {
                throw CommandFailure(
                    .refused,
                    "That code does not match: the app was not set up with this secret. Nothing was enrolled."
                )
            }
            Terminal.say("Enrolled: the app's codes match.")
        }
    }

    struct Code: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the code for a secret at a time (now by default) or HOTP counter.",
            discussion: """
                Secrets of 80 bits and more are accepted (RFC 4226 asks for 128 and recommends 160, which \
                `fidoctl otp add` makes).

                Examples:
                  fidoctl otp code --secret JBSWY3DPEHPK3PXP
                  fidoctl otp code --secret JBSWY3DPEHPK3PXP --counter 7
                """
        )

        @Option(help: "The secret, Base32.")
        var secret: String

        @Option(help: "Unix time in seconds (default: now).")
        var time: Int64?

        @OptionGroup var generator: GeneratorOptions

        func validate() throws {
            try OTPCommand.validate(time: self.time)
        }

        func run() async throws {
            let totp = try self.generator.totp(try OTPCommand.decode(self.secret))
            if let counter = self.generator.counter {
                try Output.line(totp.hotp.code(counter: counter))
            } else {
                try Output.line(totp.code(at: self.time.map { Date(timeIntervalSince1970: Double($0)) } ?? Date()))
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Check a code; exit 0 and print the matching time step (or counter) when it is valid, 1 when not.",
            discussion: """
                Example:
                  fidoctl otp verify --secret JBSWY3DPEHPK3PXP --code 123456 --after 57890123
                """
        )

        @Option(help: "The secret, Base32.")
        var secret: String

        @Option(help: "The code to check.")
        var code: String

        @Option(help: "Unix time in seconds (default: now).")
        var time: Int64?

        @Option(help: "Steps accepted either side of the current one (TOTP) or ahead of the counter (HOTP), 0 to 100.")
        var window: Int = 1

        func validate() throws {
            guard (0...100).contains(self.window) else { throw ValidationError("--window must be from 0 to 100.") }
            try OTPCommand.validate(time: self.time)
        }

        @Option(help: "TOTP: the last accepted time step; it and earlier steps are refused (replay).")
        var after: UInt64?

        @OptionGroup var generator: GeneratorOptions

        func run() async throws {
            let totp = try self.generator.totp(try OTPCommand.decode(self.secret))
            if let counter = self.generator.counter {
                guard
                    let offset = (0...max(0, self.window)).first(where: {
                        totp.hotp.code(counter: counter &+ UInt64($0)) == self.code
                    })
                else {
                    throw CommandFailure(.refused, "invalid: the code does not match this secret within the window.")
                }
                try Output.line(String(counter &+ UInt64(offset)))
                return
            }
            let date = self.time.map { Date(timeIntervalSince1970: Double($0)) } ?? Date()
            guard let step = totp.matchingStep(for: self.code, at: date, window: max(0, self.window), after: self.after)
            else {
                throw CommandFailure(.refused, "invalid: the code does not match this secret within the window.")
            }
            try Output.line(String(step))
        }
    }

    static func decode(_ secret: String) throws -> [UInt8] {
        do {
            return try Base32.decode(secret)
        } catch {
            throw ValidationError(error.description)
        }
    }
}

extension OTPCommand {
    /// Refuses a `--time` before 1970 (a negative time step) or past the year 9999.
    static func validate(time: Int64?) throws {
        if let time, !(0...253_402_300_799).contains(time) {
            throw ValidationError("--time must be a Unix time in seconds from 0 to 253402300799 (year 9999).")
        }
    }
}
