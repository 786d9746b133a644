import ArgumentParser
import Foundation
import HTTPInput
import Hummingbird
import Logging
import MFAServer
import SMS
import ServiceLifecycle

/// `mfa-server`: the dashboard's sign-in and MFA service.
@main
struct MFAServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mfa-server",
        abstract: "The FIDOKit dashboard: sign-in with a second factor, factor management, tenant administration."
    )

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port = 8_080

    @Option(help: "sqlite:PATH (default sqlite:./data/mfa.sqlite) or postgres://USER:PASSWORD@HOST:PORT/DB.")
    var database: String?

    @Option(help: "The WebAuthn relying party id (a registrable domain; localhost for local use).")
    var rpID = "localhost"

    @Option(help: "An origin the pages are served from (repeatable; default http://RP-ID:PORT).")
    var origin: [String] = []

    @Option(
        help:
            "file:PATH (default ./data/sms-outbox.jsonl), console, or twilio:ACCOUNT_SID (TWILIO_AUTH_TOKEN, TWILIO_FROM)."
    )
    var smsProvider: String?

    @Option(help: "local (default), apns:TEAM:KEY_ID:TOPIC (APNS_KEY_FILE) or fcm:PROJECT (FCM_SERVICE_ACCOUNT_FILE).")
    var pushProvider = "local"

    @Option(help: "Seconds between SMS codes to one number (resend limit; ten per day regardless).")
    var smsResendInterval = 30.0

    @Option(help: "SMS codes one member may be sent per hour across all their numbers (twice that per day).")
    var smsPerMemberHour = 5

    @Option(help: "SMS codes one tenant's members may be sent per hour, all together (ten times that per day).")
    var smsPerTenantHour = 100

    @Option(help: "Minutes after a second factor during which a session may make sensitive changes (step-up).")
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

    @Option(help: "Seconds a connection may stay silent (idle, or partway through a request) before it is closed.")
    var idleTimeout = 30.0

    @Option(help: "Seconds a client has to send a whole request head, from connecting or from the last answer.")
    var headerTimeout = 10.0

    @Option(
        help: """
            Seconds between rounds deleting expired records; 0 sweeps never (when servers share \
            PostgreSQL, one of them sweeping is enough).
            """
    )
    var sweepInterval = 60

    func validate() throws {
        for range in self.trustedProxy {
            do {
                _ = try IPAddressRange(range)
            } catch {
                throw ValidationError("--trusted-proxy \(range): \(error.reason)")
            }
        }
        guard (0...86_400).contains(self.sweepInterval) else {
            throw ValidationError("--sweep-interval takes 0 (never) to 86400 seconds")
        }
        guard self.idleTimeout > 0 else { throw ValidationError("--idle-timeout takes a number of seconds above 0") }
        guard self.headerTimeout > 0 else {
            throw ValidationError("--header-timeout takes a number of seconds above 0")
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
        var password: String?
        if let file = self.adminPasswordFile {
            password = try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        }
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
        settings.idleTimeout = self.idleTimeout
        settings.headerTimeout = self.headerTimeout
        let configuration = settings
        var logger = Logger(label: "mfa-server")
        logger.logLevel = .info
        var dashboard: Dashboard
        do {
            dashboard = try MFAServerApp.dashboard(
                configuration,
                store: try await MFAServerApp.openStore(configuration.database)
            )
            dashboard.stepUpWindow = self.stepUpMinutes * 60
        } catch let error as MFAServerApp.StartupError {
            FileHandle.standardError.write(Data("mfa-server: \(error.description)\n".utf8))
            throw ExitCode(78)  // EX_CONFIG
        }
        let store = dashboard.sessions.store
        if let message = try await MFAServerApp.bootstrap(dashboard, configuration: configuration) {
            Self.say(message)
        }
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
