import ArgumentParser
import Foundation
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

    @Option(help: "The server key file sealing secrets at rest (created when missing; default ./data/server.key).")
    var serverKeyFile: String?

    @Option(help: "Folder for the default database, key file and SMS outbox.")
    var dataDirectory = "data"

    @Option(help: "The first admin's e-mail address (first start only).")
    var adminEmail = "admin@example.com"

    @Option(help: "A file holding the first admin's password (first start only; default: a random one, printed once).")
    var adminPasswordFile: String?

    func run() async throws {
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
        settings.smsThrottle = SMSThrottle(minimumInterval: self.smsResendInterval)
        let configuration = settings
        var logger = Logger(label: "mfa-server")
        logger.logLevel = .info
        let store = try await MFAServerApp.openStore(configuration.database)
        let dashboard = try MFAServerApp.dashboard(configuration, store: store)
        if let message = try await MFAServerApp.bootstrap(dashboard, configuration: configuration) {
            Self.say(message)
        }
        let app = Application(
            router: MFAServerApp.router(dashboard: dashboard, configuration: configuration),
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
                services: [.init(service: app), .init(service: RecordSweeper(store: store, logger: logger))],
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
