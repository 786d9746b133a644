public import Foundation
public import HTTPInput
public import RecoveryCode
public import SMS

/// How `mfa-server` runs: where it listens, its store, its relying party, how SMS and push are
/// delivered, and where its secrets live. Secrets for third-party services come from the
/// environment (`TWILIO_AUTH_TOKEN`, `APNS_KEY_FILE`, `FCM_SERVICE_ACCOUNT_FILE`, …), never flags.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// `sqlite:PATH` or `postgres://USER:PASSWORD@HOST:PORT/DB`.
    public var database: String
    public var relyingPartyID: String
    public var relyingPartyName: String
    /// The origins pages are served from (WebAuthn checks clientDataJSON against them).
    public var origins: [String]
    /// `file:PATH` (default, one JSON line per message), `console`, or `twilio:ACCOUNT_SID`.
    public var smsProvider: String
    /// `local` (default: the device simulator polls the server), `apns:TEAM:KEY_ID:TOPIC`, or `fcm:PROJECT`.
    public var pushProvider: String
    /// The AES-GCM key ring sealing OTP seeds (created 0600 when missing).
    public var serverKeyFile: String
    /// The folder for the default database, key file and SMS outbox.
    public var dataDirectory: String
    public var adminEmail: String
    /// The first admin's password; `nil` makes a random one that is printed once.
    public var adminPassword: String?
    /// scrypt cost for passwords and recovery codes.
    public var hashParameters: SlowHash.Parameters
    /// SMS resend limits per number.
    public var smsThrottle = SMSThrottle()
    /// Failed second-factor attempts allowed per client address in five minutes.
    public var mfaAttemptsPerAddress = 50
    /// The reverse proxies whose `X-Forwarded-For`/`Forwarded` headers name the client
    /// (`--trusted-proxy`); none by default: the TCP peer is the client.
    public var trustedProxies: [IPAddressRange] = []
    /// The one forwarding header a trusted proxy's word is read from (`--forwarded-header`);
    /// the other is ignored, so a client cannot pick its address through the header the proxy
    /// does not write.
    public var forwardedHeader: ClientAddressResolver.Header = .xForwardedFor
    /// Seconds a connection may stay silent, idle between requests or partway through one,
    /// before it is closed (`--idle-timeout`).
    public var idleTimeout: Double = 30
    /// Seconds a client has to send a whole request head, from connecting or from the last
    /// answer (`--header-timeout`).
    public var headerTimeout: Double = 10
    /// Seconds a client has to send a whole request body, from its head (`--body-timeout`).
    public var bodyTimeout: Double = 30

    /// The defaults of `swift run mfa-server`: 127.0.0.1:8080, SQLite under `./data`, RP
    /// `localhost` with origin `http://localhost:8080`. Without `origins`, the origin is
    /// ``defaultOrigin(relyingPartyID:port:)``.
    public init(
        host: String = "127.0.0.1",
        port: Int = 8_080,
        database: String? = nil,
        relyingPartyID: String = "localhost",
        relyingPartyName: String = "FIDOKit Dashboard",
        origins: [String] = [],
        smsProvider: String? = nil,
        pushProvider: String = "local",
        serverKeyFile: String? = nil,
        dataDirectory: String = "data",
        adminEmail: String = "admin@example.com",
        adminPassword: String? = nil,
        hashParameters: SlowHash.Parameters = .interactive
    ) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.database = database ?? "sqlite:\(dataDirectory)/mfa.sqlite"
        self.relyingPartyID = relyingPartyID
        self.relyingPartyName = relyingPartyName
        self.origins = origins.isEmpty ? [Self.defaultOrigin(relyingPartyID: relyingPartyID, port: port)] : origins
        self.smsProvider = smsProvider ?? "file:\(dataDirectory)/sms-outbox.jsonl"
        self.pushProvider = pushProvider
        self.serverKeyFile = serverKeyFile ?? "\(dataDirectory)/server.key"
        self.adminEmail = adminEmail
        self.adminPassword = adminPassword
        self.hashParameters = hashParameters
    }

    /// The origin pages are served from when none is given: `http://localhost:PORT` for a
    /// loopback RP id (`localhost`, `*.localhost`), else `https://RP-ID` (behind a TLS proxy on
    /// 443; a plain-HTTP origin would get Secure cookies the browser never sends back).
    public static func defaultOrigin(relyingPartyID: String, port: Int) -> String {
        relyingPartyID == "localhost" || relyingPartyID.hasSuffix(".localhost")
            ? "http://\(relyingPartyID):\(port)" : "https://\(relyingPartyID)"
    }

    /// Cookies are Secure unless every origin is plain-HTTP localhost (browsers treat
    /// `http://localhost` as a secure context, but would drop a Secure cookie over it).
    public var secureCookies: Bool {
        !self.origins.allSatisfy { origin in
            guard let url = URL(string: origin) else { return false }
            return url.scheme == "http" && ["localhost", "127.0.0.1", "[::1]"].contains(url.host ?? "")
        }
    }

    /// The first origin: where the phone's device API is reached.
    public var publicURL: URL {
        URL(string: self.origins.first ?? "") ?? URL(fileURLWithPath: "/")
    }
}
