import ArgumentParser
import Foundation
import HTTPInput
import Hummingbird
import Logging
import MFAServer
import SMS
import ServiceLifecycle
import WebAuthn

/// `mfa-server`: the dashboard's sign-in and MFA service.
@main
struct MFAServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mfa-server",
        abstract: "The FIDOKit dashboard: sign-in with a second factor, factor management, tenant administration."
    )

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    // Numbers are read `.unconditional`ly, so `--port -1` or `--step-up-minutes -1` reaches the
    // range check (64, saying the range) instead of being taken for a flag ("Missing value").
    @Option(parsing: .unconditional, help: "Port to listen on.")
    var port = 8_080

    @Option(help: "sqlite:PATH (default sqlite:./data/mfa.sqlite) or postgres://USER:PASSWORD@HOST:PORT/DB.")
    var database: String?

    @Option(help: "The WebAuthn relying party id (a registrable domain; localhost for local use).")
    var rpID = "localhost"

    @Option(
        help: "An origin the pages are served from (repeatable; default http://localhost:PORT, or https://RP-ID)."
    )
    var origin: [String] = []

    @Option(
        help:
            "file:PATH (default ./data/sms-outbox.jsonl), console, or twilio:ACCOUNT_SID (TWILIO_AUTH_TOKEN, TWILIO_FROM)."
    )
    var smsProvider: String?

    @Option(help: "local (default), apns:TEAM:KEY_ID:TOPIC (APNS_KEY_FILE) or fcm:PROJECT (FCM_SERVICE_ACCOUNT_FILE).")
    var pushProvider = "local"

    @Option(
        parsing: .unconditional,
        help: "Seconds between SMS codes to one number (resend limit; ten per day regardless)."
    )
    var smsResendInterval = 30.0

    @Option(
        parsing: .unconditional,
        help: "SMS codes one member may be sent per hour across all their numbers (twice that per day)."
    )
    var smsPerMemberHour = 5

    @Option(
        parsing: .unconditional,
        help: "SMS codes one tenant's members may be sent per hour, all together (ten times that per day)."
    )
    var smsPerTenantHour = 100

    @Option(
        parsing: .unconditional,
        help: "Minutes after a second factor during which a session may make sensitive changes (step-up)."
    )
    var stepUpMinutes = 5.0

    @Option(help: "The server key file sealing secrets at rest (created when missing; default ./data/server.key).")
    var serverKeyFile: String?

    @Option(help: "Folder for the default database, key file and SMS outbox.")
    var dataDirectory = "data"

    @Option(help: "The first admin's e-mail address (first start only).")
    var adminEmail = "admin@example.com"

    @Option(help: "A file holding the first admin's password (first start only; default: a random one, printed once).")
    var adminPasswordFile: String?

    @Option(
        help: ArgumentHelp(
            "A reverse proxy (CIDR, IPv4 or IPv6; repeatable) whose X-Forwarded-For/Forwarded headers name the client.",
            valueName: "cidr"
        )
    )
    var trustedProxy: [String] = []

    @Option(
        help: ArgumentHelp(
            "The one header naming the client behind --trusted-proxy: x-forwarded-for or forwarded; the other is ignored.",
            valueName: "header"
        )
    )
    var forwardedHeader = "x-forwarded-for"

    @Option(
        parsing: .unconditional,
        help: "Seconds a connection may stay silent (idle, or partway through a request) before it is closed."
    )
    var idleTimeout = 30.0

    @Option(
        parsing: .unconditional,
        help: "Seconds a client has to send a whole request head, from connecting or from the last answer."
    )
    var headerTimeout = 10.0

    @Option(
        parsing: .unconditional,
        help: "Seconds a client has to send a whole request body, from the end of its head."
    )
    var bodyTimeout = 30.0

    @Option(
        parsing: .unconditional,
        help: """
            Seconds between rounds deleting expired records; 0 sweeps never (when servers share \
            PostgreSQL, one of them sweeping is enough).
            """
    )
    var sweepInterval = 60

    func validate() throws {
        guard (1...65_535).contains(self.port) else { throw ValidationError("--port takes 1 to 65535") }
        guard ListenProbe.address(self.host) != nil else {
            throw ValidationError("--host takes an IP address or localhost (not \(self.host.debugDescription))")
        }
        do {
            try RelyingParty.validateID(self.rpID)
        } catch {
            throw ValidationError("--rp-id: \(error.message)")
        }
        // As fidoctl and browsers: a single label is a top-level domain (`com`), not an RP ID.
        guard self.rpID.contains(".") || self.rpID == "localhost" else {
            throw ValidationError(
                "--rp-id: \"\(self.rpID)\" is not a valid RP ID: a single label is a top-level domain "
                    + "(only localhost is allowed). An RP ID is a domain such as example.com."
            )
        }
        for origin in self.origin {
            do {
                try RelyingParty.validateOrigin(origin)
            } catch {
                throw ValidationError("--origin: \(error.message)")
            }
        }
        for range in self.trustedProxy {
            let parsed: IPAddressRange
            do {
                parsed = try IPAddressRange(range)
            } catch {
                throw ValidationError("--trusted-proxy \(range): \(error.reason)")
            }
            guard !parsed.hadHostBits else {
                throw ValidationError(
                    "--trusted-proxy \(range) sets bits past its prefix: write \(parsed) for the whole network "
                        + "or the address alone for one proxy"
                )
            }
        }
        guard ClientAddressResolver.Header(rawValue: self.forwardedHeader.lowercased()) != nil else {
            throw ValidationError("--forwarded-header takes x-forwarded-for or forwarded")
        }
        guard (0...86_400).contains(self.sweepInterval) else {
            throw ValidationError("--sweep-interval takes 0 (never) to 86400 seconds")
        }
        // Every number is finite and in range (`1e308`, `inf` and `nan` parse as Doubles).
        for (flag, value) in [
            ("--idle-timeout", self.idleTimeout), ("--header-timeout", self.headerTimeout),
            ("--body-timeout", self.bodyTimeout),
        ] where !(value > 0 && value <= 86_400) {
            throw ValidationError("\(flag) takes a number of seconds above 0, at most 86400 (a day)")
        }
        guard self.smsResendInterval >= 0, self.smsResendInterval <= 86_400 else {
            throw ValidationError("--sms-resend-interval takes 0 to 86400 seconds")
        }
        guard (1...10_000).contains(self.smsPerMemberHour), (1...1_000_000).contains(self.smsPerTenantHour) else {
            throw ValidationError("--sms-per-member-hour takes 1 to 10000, --sms-per-tenant-hour 1 to 1000000")
        }
        guard self.stepUpMinutes > 0, self.stepUpMinutes <= 24 * 60 else {
            throw ValidationError("--step-up-minutes takes a number of minutes above 0, at most a day")
        }
    }

    func run() async throws {
        // Everything this process creates (the data folder, the key file, the database and its
        // journals, the SMS outbox) is private to its user from the first byte.
        umask(0o077)
        for origin in self.origin {
            guard let web = try? RelyingParty.parseWebOrigin(origin), !RelyingParty.origin(web, mayUse: self.rpID)
            else { continue }
            FileHandle.standardError.write(
                Data(
                    ("mfa-server: warning: --origin \(origin) is not on --rp-id \(self.rpID) or a subdomain of it: "
                        + "browsers refuse security keys and passkeys there\n").utf8
                )
            )
        }
        for range in self.trustedProxy {
            guard let parsed = try? IPAddressRange(range), parsed.prefixLength == 0 else { continue }
            FileHandle.standardError.write(
                Data(
                    ("mfa-server: warning: --trusted-proxy \(range) trusts every address: any client can "
                        + "choose its own address (and so its rate-limit bucket) with \(self.forwardedHeader)\n").utf8
                )
            )
        }
        let dashboard: Dashboard
        let configuration: ServerConfiguration
        do {
            // Everything that can refuse the start is checked before anything is written.
            let password = try self.adminPasswordFile.map { try MFAServerApp.adminPassword(file: $0) }
            var settings = ServerConfiguration(
                host: self.host,
                port: self.port,
                database: self.database,
                relyingPartyID: self.rpID,
                origins: self.origin,
                smsProvider: self.smsProvider,
                pushProvider: self.pushProvider,
                serverKeyFile: self.serverKeyFile,
                dataDirectory: self.dataDirectory,
                adminEmail: self.adminEmail,
                adminPassword: password
            )
            settings.smsThrottle = SMSThrottle(
                minimumInterval: self.smsResendInterval,
                memberHourlyLimit: self.smsPerMemberHour,
                memberDailyLimit: 2 * self.smsPerMemberHour,
                tenantHourlyLimit: self.smsPerTenantHour,
                tenantDailyLimit: 10 * self.smsPerTenantHour
            )
            settings.trustedProxies = try self.trustedProxy.map { try IPAddressRange($0) }
            settings.forwardedHeader =
                ClientAddressResolver.Header(rawValue: self.forwardedHeader.lowercased()) ?? .xForwardedFor
            settings.idleTimeout = self.idleTimeout
            settings.headerTimeout = self.headerTimeout
            settings.bodyTimeout = self.bodyTimeout
            configuration = settings
            try MFAServerApp.checkFirstAdmin(configuration)
            try MFAServerApp.checkDatabase(configuration.database)
            try MFAServerApp.checkProviders(configuration)
            try MFAServerApp.checkKeyFile(configuration.serverKeyFile)
            do {
                try ListenProbe.check(host: self.host, port: self.port)
            } catch {
                FileHandle.standardError.write(Data("mfa-server: \(error.message)\n".utf8))
                throw ExitCode(error.exitCode)
            }
            var made = try MFAServerApp.dashboard(
                configuration,
                store: try await MFAServerApp.openStore(configuration.database)
            )
            made.stepUpWindow = self.stepUpMinutes * 60
            dashboard = made
            if let message = try await MFAServerApp.bootstrap(dashboard, configuration: configuration) {
                Self.say(message)
            }
        } catch let error as MFAServerApp.StartupError {
            FileHandle.standardError.write(Data("mfa-server: \(error.description)\n".utf8))
            throw ExitCode(error.exitCode)
        }
        var logger = Logger(label: "mfa-server")
        logger.logLevel = .info
        let store = dashboard.sessions.store
        let app = Application(
            router: MFAServerApp.router(dashboard: dashboard, configuration: configuration),
            server: MFAServerApp.server(configuration),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: "mfa-server"
            ),
            onServerRunning: { _ in
                Self.say(
                    "mfa-server listening on http://\(configuration.host):\(configuration.port) "
                        + "(origins: \(configuration.origins.joined(separator: ", ")))"
                )
            },
            logger: logger
        )
        let services = ServiceGroup(
            configuration: .init(
                services: [.init(service: app)]
                    + (self.sweepInterval == 0
                        ? []
                        : [
                            .init(
                                service: RecordSweeper(
                                    store: store,
                                    interval: .seconds(self.sweepInterval),
                                    logger: logger
                                )
                            )
                        ]),
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await services.run()
        await MFAServerApp.shutdown(store)
    }

    /// A line on standard output, right away (scripts wait for it).
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
