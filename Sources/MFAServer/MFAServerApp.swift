public import Foundation
import HTTPInput
import Hummingbird
public import HummingbirdCore
import Logging
import MFADelivery
import MFAFactors
import MFAPolicy
public import MFAStore
import NIOCore
import Push
import SMS
public import SecretVault
import WebAuthn

/// Assembles the server from its configuration: the store, the key ring, the delivery
/// providers, the factor services, the routes and middleware.
public enum MFAServerApp {
    /// Why the server cannot start.
    public struct StartupError: Error, CustomStringConvertible {
        public var description: String
        /// The sysexits code `mfa-server` exits with: 78 (`EX_CONFIG`) unless said otherwise,
        /// 64 (`EX_USAGE`) for a flag's bad value, 66 (`EX_NOINPUT`) for a missing input file,
        /// 69 (`EX_UNAVAILABLE`) for a database that cannot be reached.
        public var exitCode: Int32
        init(_ description: String, exitCode: Int32 = 78) {
            self.description = description
            self.exitCode = exitCode
        }
    }

    /// Reads the first admin's password from `path` (`--admin-password-file`), without its
    /// surrounding whitespace.
    ///
    /// - Throws: ``StartupError`` with exit 66 when the file is missing or unreadable, 78 when
    ///   its group or others may read it (like the key file, saying how to fix it).
    public static func adminPassword(file path: String) throws -> String {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw StartupError("--admin-password-file \(path): there is no readable file there", exitCode: 66)
        }
        try PrivateFiles.checkPrivate(path, what: "The admin password file")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StartupError("--admin-password-file \(path): the file cannot be read", exitCode: 66)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw StartupError("--admin-password-file \(path): the file is not UTF-8 text", exitCode: 64)
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Checks the first admin's e-mail address and password (when one is given) before anything
    /// is written, so a refused start leaves no tenant behind.
    ///
    /// - Throws: ``StartupError`` (exit 64) with a sentence.
    public static func checkFirstAdmin(_ configuration: ServerConfiguration) throws {
        do {
            _ = try EmailAddress(configuration.adminEmail)
        } catch {
            throw StartupError(
                "--admin-email \(configuration.adminEmail.debugDescription): \(error.description)",
                exitCode: 64
            )
        }
        if let password = configuration.adminPassword {
            do {
                try Accounts.checkPassword(password)
            } catch {
                throw StartupError("--admin-password-file: \(error.description)", exitCode: 64)
            }
        }
    }

    /// Checks the key file's mode and contents when it exists, so a refused key stops the server
    /// before the database is created.
    ///
    /// - Throws: ``StartupError`` saying how to fix it (78).
    public static func checkKeyFile(_ path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        _ = try self.readKeyRing(path)
    }

    /// Checks `--database`'s form before anything is written: `sqlite:PATH` with a path, or a
    /// `postgres://USER[:PASSWORD]@HOST[:PORT]/DB` URL.
    ///
    /// - Throws: ``StartupError`` (64) saying what is wrong.
    public static func checkDatabase(_ database: String) throws {
        if database.hasPrefix("sqlite:") {
            guard database.count > "sqlite:".count else {
                throw StartupError("--database sqlite: names no file: give sqlite:PATH", exitCode: 64)
            }
            return
        }
        guard database.hasPrefix("postgres://") || database.hasPrefix("postgresql://") else {
            throw StartupError(
                "--database takes sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DB, not \(database)",
                exitCode: 64
            )
        }
        guard let components = URLComponents(string: database), let host = components.host, !host.isEmpty,
            components.user?.isEmpty == false, components.path.split(separator: "/").first != nil
        else {
            throw StartupError(
                "--database: a PostgreSQL URL is postgres://USER:PASSWORD@HOST:PORT/DB (user, host and database "
                    + "required)",
                exitCode: 64
            )
        }
        if let text = components.queryItems?.first(where: { $0.name == "max_connections" })?.value {
            guard let count = Int(text), (1...1_000).contains(count) else {
                throw StartupError(
                    "--database: max_connections=\(text) is not a number of connections from 1 to 1000",
                    exitCode: 64
                )
            }
        }
    }

    /// How long opening PostgreSQL (connecting, signing in, migrating) may take before the start
    /// is given up (exit 69): the client retries an unreachable server forever otherwise.
    public static let databaseConnectTimeout: Duration = .seconds(10)

    /// Opens the store named by `database`.
    ///
    /// - Throws: ``StartupError``: 64 for a `--database` of no known form, 69 when PostgreSQL
    ///   cannot be opened within `connectTimeout`, or refuses.
    public static func openStore(_ database: String, connectTimeout: Duration = databaseConnectTimeout)
        async throws -> any RecordStore
    {
        try self.checkDatabase(database)
        if database.hasPrefix("sqlite:") {
            let path = String(database.dropFirst("sqlite:".count))
            // Created 0600 before SQLite opens it: its -wal and -shm files take the same mode.
            if path != ":memory:" {
                try PrivateFiles.create(path)
                for companion in [path + "-wal", path + "-shm", path + "-journal"] {
                    try PrivateFiles.narrow(companion)
                }
            }
            // The embedded store has one writer process, this one: reads by id come from memory,
            // and ceremonies' challenges live there only.
            return KindRoutingRecordStore(
                routing: FactorDirectory.memoryOnlyKinds,
                to: MemoryRecordStore(),
                base: CachingRecordStore(base: try SQLiteRecordStore(path: path))
            )
        }
        return try await self.openPostgres(database, within: connectTimeout)
    }

    /// `PostgresRecordStore(url:)`, given up after `timeout`: the opening is left to finish or
    /// fail on its own (the process is about to exit), so an unreachable server that never
    /// answers a connection attempt cannot hold the start.
    static func openPostgres(_ url: String, within timeout: Duration) async throws -> PostgresRecordStore {
        let place = URLComponents(string: url).map { "\($0.host ?? "?"):\($0.port ?? 5432)" } ?? "?"
        let outcome = AsyncThrowingStream<PostgresRecordStore, any Error>.makeStream()
        let opening = Task {
            do {
                outcome.continuation.yield(try await PostgresRecordStore(url: url))
                outcome.continuation.finish()
            } catch {
                outcome.continuation.finish(throwing: error)
            }
        }
        let timer = Task {
            try await Task.sleep(for: timeout)
            outcome.continuation.finish(
                throwing: StartupError(
                    "cannot open the PostgreSQL database at \(place) within \(timeout.components.seconds) seconds: "
                        + "is the server running and reachable?",
                    exitCode: 69
                )
            )
        }
        defer { timer.cancel() }
        do {
            for try await store in outcome.stream { return store }
        } catch let error as StartupError {
            opening.cancel()
            throw error
        } catch {
            throw StartupError("cannot open the PostgreSQL database at \(place): \(error)", exitCode: 69)
        }
        throw StartupError("cannot open the PostgreSQL database at \(place)", exitCode: 69)
    }

    /// Reads the key ring, creating a file with one fresh key (mode 0600 from its first byte,
    /// in a 0700 folder when the folder is new) when there is none.
    ///
    /// - Throws: ``StartupError`` when the file can be read by its group or others (saying how
    ///   to fix it), cannot be created, or is not a key ring.
    public static func keyRing(file path: String) throws -> SecretKeyRing {
        if !FileManager.default.fileExists(atPath: path) {
            let text =
                "# FIDOKit server keys: ID BASE64; the last line seals new secrets.\n"
                + SecretKeyRing.newKeyLine(id: "k1") + "\n"
            try PrivateFiles.create(path, contents: Array(text.utf8))
        }
        return try self.readKeyRing(path)
    }

    /// The key ring in the file at `path`, which must be private.
    ///
    /// - Throws: ``StartupError`` (78) when its group or others may read it, it cannot be read,
    ///   or it is not a key ring (saying which line).
    static func readKeyRing(_ path: String) throws -> SecretKeyRing {
        try PrivateFiles.checkPrivate(path, what: "The server key file")
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else { throw StartupError("The server key file \(path) cannot be read as UTF-8 text") }
        do {
            return try SecretKeyRing(keyFile: text)
        } catch {
            throw StartupError("\(path): \(error.description)")
        }
    }

    /// Checks `--sms-provider` and `--push-provider` before anything is written: their form
    /// (64 when neither spelling of the flag's help) and what they need from the environment
    /// (78), by building the push notifier (which writes nothing) and checking the SMS
    /// provider's spec without creating its outbox.
    ///
    /// - Throws: ``StartupError``.
    public static func checkProviders(
        _ configuration: ServerConfiguration,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        try self.checkSMSProvider(configuration.smsProvider, environment: environment)
        do {
            _ = try self.pushNotifier(configuration.pushProvider, environment: environment)
        } catch let error as StartupError {
            throw error
        } catch {
            throw StartupError("--push-provider \(configuration.pushProvider): \(error)")
        }
    }

    /// Checks a `--sms-provider` value as ``smsProvider(_:environment:)`` reads it.
    static func checkSMSProvider(_ spec: String, environment: [String: String]) throws {
        if spec == "console" { return }
        if spec.hasPrefix("file:") {
            guard spec.count > "file:".count else {
                throw StartupError("--sms-provider file: names no file: give file:PATH", exitCode: 64)
            }
            return
        }
        if spec.hasPrefix("twilio:") {
            guard spec.count > "twilio:".count else {
                throw StartupError("--sms-provider twilio: names no account: give twilio:ACCOUNT_SID", exitCode: 64)
            }
            guard environment["TWILIO_AUTH_TOKEN"] != nil, let from = environment["TWILIO_FROM"] else {
                throw StartupError("twilio needs TWILIO_AUTH_TOKEN and TWILIO_FROM in the environment")
            }
            if !from.hasPrefix("MG") {
                do {
                    _ = try PhoneNumber(from)
                } catch {
                    throw StartupError("TWILIO_FROM \(from) is not a phone number or MG… messaging service")
                }
            }
            return
        }
        throw StartupError(
            "--sms-provider takes file:PATH, console or twilio:ACCOUNT_SID, not \(spec)",
            exitCode: 64
        )
    }

    /// The SMS provider of a `--sms-provider` value.
    static func smsProvider(_ spec: String, environment: [String: String]) throws -> any SMSProvider {
        if spec == "console" { return FileSMSProvider(path: nil) }
        if spec.hasPrefix("file:") {
            let path = String(spec.dropFirst(5))
            try PrivateFiles.create(path)  // the outbox holds codes: 0600 before the first one
            return FileSMSProvider(path: URL(fileURLWithPath: path))
        }
        if spec.hasPrefix("twilio:") {
            guard let token = environment["TWILIO_AUTH_TOKEN"], let from = environment["TWILIO_FROM"] else {
                throw StartupError("twilio needs TWILIO_AUTH_TOKEN and TWILIO_FROM in the environment")
            }
            let sender: TwilioSMSProvider.Sender =
                from.hasPrefix("MG") ? .messagingService(from) : .number(try PhoneNumber(from))
            return TwilioSMSProvider(
                accountSID: String(spec.dropFirst(7)),
                authToken: token,
                sender: sender,
                baseURL: environment["TWILIO_BASE_URL"].flatMap(URL.init(string:)) ?? ServiceEndpoint.twilio
            )
        }
        throw StartupError(
            "--sms-provider takes file:PATH, console or twilio:ACCOUNT_SID, not \(spec)",
            exitCode: 64
        )
    }

    /// The push notifier of a `--push-provider` value, and the local inbox when it is one.
    static func pushNotifier(_ spec: String, environment: [String: String]) throws -> (
        any PushNotifier, LocalPushNotifier?
    ) {
        if spec == "local" {
            let local = LocalPushNotifier()
            return (local, local)
        }
        let parts = spec.split(separator: ":").map(String.init)
        if parts.first == "apns", parts.count == 4 {
            guard let keyFile = environment["APNS_KEY_FILE"] else {
                throw StartupError("apns needs APNS_KEY_FILE (the .p8 key) in the environment")
            }
            let notifier = try APNsPushNotifier(
                teamID: parts[1],
                keyID: parts[2],
                privateKeyPEM: try String(contentsOfFile: keyFile, encoding: .utf8),
                topic: parts[3],
                baseURL: environment["APNS_BASE_URL"].flatMap(URL.init(string:)) ?? ServiceEndpoint.apns
            )
            return (notifier, nil)
        }
        if parts.first == "fcm", parts.count == 2 {
            let tokens: any FCMAccessTokenProvider
            if let file = environment["FCM_SERVICE_ACCOUNT_FILE"] {
                tokens = try GoogleServiceAccountTokenProvider(
                    serviceAccountJSON: try Data(contentsOf: URL(fileURLWithPath: file))
                )
            } else if let token = environment["FCM_ACCESS_TOKEN"] {
                tokens = StaticFCMAccessToken(token)
            } else {
                throw StartupError("fcm needs FCM_SERVICE_ACCOUNT_FILE or FCM_ACCESS_TOKEN in the environment")
            }
            let notifier = FCMPushNotifier(
                projectID: parts[1],
                tokens: tokens,
                baseURL: environment["FCM_BASE_URL"].flatMap(URL.init(string:)) ?? ServiceEndpoint.fcm
            )
            return (notifier, nil)
        }
        throw StartupError(
            "--push-provider takes local, apns:TEAM:KEY_ID:TOPIC or fcm:PROJECT, not \(spec)",
            exitCode: 64
        )
    }

    /// The dashboard over `store` as `configuration` says.
    public static func dashboard(
        _ configuration: ServerConfiguration,
        store: any RecordStore,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> Dashboard {
        let relyingParty = RelyingParty(id: configuration.relyingPartyID, origins: configuration.origins)
        let (notifier, local) = try self.pushNotifier(configuration.pushProvider, environment: environment)
        let keys = try self.keyRing(file: configuration.serverKeyFile)
        let factors = FactorDirectory(
            otp: OTPFactorService(
                store: store,
                keys: keys,
                issuer: configuration.relyingPartyName
            ),
            webAuthn: WebAuthnFactorService(
                store: store,
                relyingParty: relyingParty,
                relyingPartyName: configuration.relyingPartyName
            ),
            sms: SMSFactorService(
                store: store,
                provider: try self.smsProvider(configuration.smsProvider, environment: environment),
                throttle: configuration.smsThrottle,
                issuer: configuration.relyingPartyName,
                host: configuration.relyingPartyID
            ),
            push: PushFactorService(store: store, notifier: notifier, server: configuration.publicURL),
            recoveryCodes: RecoveryCodeService(store: store, parameters: configuration.hashParameters)
        )
        return Dashboard(
            accounts: try Accounts(store: store, hashParameters: configuration.hashParameters),
            factors: factors,
            localPush: local,
            mfaLimit: RateLimiter(limit: configuration.mfaAttemptsPerAddress, window: 300),
            anonymousKey: keys.derivedKey(for: "fidokit anonymous session csrf")
        )
    }

    /// On first start (no tenant yet): a demo tenant and its admin; on a start whose store has
    /// tenants but no admin in any of them (a first start that failed after writing the
    /// tenant), the admin in the first tenant. Returns the admin's sign-in to print once, or
    /// `nil` when the store was set up before.
    ///
    /// - Throws: ``StartupError`` (exit 64) when the admin's address or password is refused;
    ///   nothing is written then.
    public static func bootstrap(_ dashboard: Dashboard, configuration: ServerConfiguration) async throws -> String? {
        try self.checkFirstAdmin(configuration)
        let email = try EmailAddress(configuration.adminEmail).value
        let tenants = try await dashboard.accounts.tenants()
        for tenant in tenants {
            let members = try await dashboard.accounts.members(of: tenant.id)
            if members.contains(where: { $0.role == .admin }) { return nil }
        }
        let tenant: Accounts.Tenant
        if let existing = tenants.first {
            tenant = existing
        } else {
            tenant = try await dashboard.accounts.createTenant(
                name: "Demo",
                settings: TenantSettings(
                    enabledFactors: [.securityKey, .platformAuthenticator, .otp, .sms, .push, .recoveryCode],
                    plan: .paid
                )
            )
        }
        let password = configuration.adminPassword ?? SessionStore.randomToken().prefix(20).description
        do {
            _ = try await dashboard.accounts.createMember(
                tenantID: tenant.id,
                email: email,
                displayName: "Admin",
                password: password,
                role: .admin
            )
        } catch let error as AccountError {
            throw StartupError("the first admin \(email) cannot be created: \(error.description)", exitCode: 64)
        }
        let what = tenants.isEmpty ? "Demo tenant created." : "Tenant \(tenant.name) had no admin; one was created."
        return configuration.adminPassword == nil
            ? "\(what) Admin sign-in (shown once): \(email) / \(password)"
            : "\(what) Admin: \(email) (password from --admin-password-file)"
    }

    /// The server's responder: a ``RequestGate`` (one client address, one path spelling, 405s,
    /// JSON only to the API), then the router: security headers, errors as JSON, sessions,
    /// CSRF, then the API and pages. HEAD is answered wherever GET is.
    public static func router(dashboard: Dashboard, configuration: ServerConfiguration) -> MFAServerRouter {
        let router = Router(context: MFARequestContext.self, options: [.autoGenerateHeadEndpoints])
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: SessionMiddleware(sessions: dashboard.sessions))
        router.add(middleware: SecurityEventMiddleware())
        router.add(middleware: CSRFMiddleware())
        APIRoutes(dashboard: dashboard, secureCookies: configuration.secureCookies).add(to: router)
        PageRoutes(dashboard: dashboard, secureCookies: configuration.secureCookies).add(to: router)
        return MFAServerRouter(
            router: router,
            resolver: ClientAddressResolver(
                trustedProxies: configuration.trustedProxies,
                header: configuration.forwardedHeader
            ),
            allowedHosts: Set(
                configuration.origins.compactMap { URL(string: $0)?.host?.lowercased() }.map {
                    $0.contains(":") && !$0.hasPrefix("[") ? "[\($0)]" : $0
                }
            )
        )
    }
}

extension MFAServerApp {
    /// The HTTP/1.1 server: connections silent for `--idle-timeout` seconds (between requests,
    /// or partway through sending one) are closed, and so are those whose request head has not
    /// fully arrived `--header-timeout` seconds after the connection opened or the last answer,
    /// so idle, stalled or slowly dribbling clients cannot hold connections open.
    public static func server(_ configuration: ServerConfiguration) -> HTTPServerBuilder {
        let headerTimeout = Self.timeAmount(configuration.headerTimeout)
        let bodyTimeout = Self.timeAmount(configuration.bodyTimeout)
        return .http1(
            configuration: .init(
                additionalChannelHandlers: [
                    AbsoluteFormTargetInstaller(),
                    RequestHeadTimeoutHandler(timeout: headerTimeout),
                    RequestBodyTimeoutHandler(timeout: bodyTimeout),
                ],
                idleTimeout: Self.timeAmount(configuration.idleTimeout)
            )
        )
    }

    /// `seconds` as a NIO time, clamped to 1 ms … 1 day (the flags are checked to that range;
    /// the clamp keeps a library caller's NaN or huge value from trapping the conversion).
    static func timeAmount(_ seconds: Double) -> TimeAmount {
        guard seconds.isFinite else { return .seconds(86_400) }
        return .milliseconds(Int64(min(86_400, max(0.001, seconds)) * 1_000))
    }

    /// Closes what the store holds open (PostgreSQL connections).
    public static func shutdown(_ store: any RecordStore) async {
        (store as? PostgresRecordStore)?.shutdown()
    }
}
