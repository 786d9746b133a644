import AsyncHTTPClient
public import Foundation
import NIOCore

/// Where a metadata BLOB comes from: a file, or a URL the operator configures (FIDO's
/// `https://mds3.fidoalliance.org/`, or a mirror).
public enum MetadataSource: Sendable, Hashable {
    case file(URL)
    case url(URL)

    /// The most bytes a BLOB may have (FIDO's own is about 6 MiB): a larger file or answer is
    /// refused rather than read into memory.
    public static let defaultLimit = 64 << 20

    /// How long a download may take, in seconds, connection and whole body included.
    public static let downloadSeconds: Int64 = 120

    /// Reads `text` as a URL when it has an http(s) scheme, else as a file path.
    public init(_ text: String) {
        if let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" {
            self = .url(url)
        } else {
            self = .file(URL(fileURLWithPath: text))
        }
    }

    /// The BLOB's bytes, at most `limit` of them.
    ///
    /// - Throws: ``MetadataError`` `unavailable` when the file cannot be read, the server does
    ///   not answer 200 with a body within ``downloadSeconds``, or either holds more than
    ///   `limit` bytes.
    public func fetch(limit: Int = Self.defaultLimit) async throws(MetadataError) -> [UInt8] {
        switch self {
        case .file(let url):
            return try Self.read(url, limit: limit)
        case .url(let url):
            return try await Self.download(url, limit: limit)
        }
    }

    static func read(_ url: URL, limit: Int) throws(MetadataError) -> [UInt8] {
        let data: Data?
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            data = try handle.read(upToCount: limit + 1)
        } catch {
            throw MetadataError(.unavailable, "The metadata BLOB file \(url.path) cannot be read.")
        }
        let bytes = Array(data ?? Data())
        guard bytes.count <= limit else {
            throw MetadataError(.unavailable, "The metadata BLOB file \(url.path) is larger than \(limit) bytes.")
        }
        return bytes
    }

    static func download(_ url: URL, limit: Int, seconds: Int64 = Self.downloadSeconds) async throws(MetadataError)
        -> [UInt8]
    {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: .seconds(min(10, seconds)))
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let result: Result<[UInt8], MetadataError>
        do {
            result = .success(try await Self.exchange(url, limit: limit, seconds: seconds, client: client))
        } catch let error as MetadataError {
            result = .failure(error)
        } catch {
            result = .failure(
                MetadataError(
                    .unavailable,
                    "The metadata BLOB could not be fetched from \(url): \(Self.describe(error))."
                )
            )
        }
        try? await client.shutdown()
        return try result.get()
    }

    /// The GET, head and whole body, within `seconds` (a server that drips its answer is cut off).
    private static func exchange(_ url: URL, limit: Int, seconds: Int64, client: HTTPClient) async throws -> [UInt8] {
        let deadline = NIODeadline.now() + .seconds(seconds)
        return try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
            group.addTask {
                let response = try await client.execute(HTTPClientRequest(url: url.absoluteString), deadline: deadline)
                guard response.status == .ok else {
                    throw MetadataError(
                        .unavailable,
                        "The metadata server at \(url) answered HTTP \(response.status.code)."
                    )
                }
                if let declared = response.headers.first(name: "content-length").flatMap({ Int($0) }), declared > limit
                {
                    throw MetadataError(
                        .unavailable,
                        "The metadata BLOB at \(url) is larger than \(limit) bytes (\(declared))."
                    )
                }
                let body: ByteBuffer
                do {
                    body = try await response.body.collect(upTo: limit)
                } catch is NIOTooManyBytesError {
                    throw MetadataError(.unavailable, "The metadata BLOB at \(url) is larger than \(limit) bytes.")
                }
                guard body.readableBytes > 0 else {
                    throw MetadataError(.unavailable, "The metadata server at \(url) answered with an empty body.")
                }
                return Array(body.readableBytesView)
            }
            group.addTask {
                try await Task.sleep(nanoseconds: UInt64(seconds) * 1_000_000_000)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let bytes = first else {
                throw MetadataError(
                    .unavailable,
                    "The metadata server at \(url) did not send the whole BLOB within \(seconds) s."
                )
            }
            return bytes
        }
    }

    /// A sentence for a failed connection, not a Swift error's dump.
    static func describe(_ error: any Error) -> String {
        let text = String(describing: error).lowercased()
        if text.contains("refused") { return "the connection was refused" }
        if text.contains("timeout") || text.contains("timed out") || text.contains("deadline") {
            return "it did not answer in time"
        }
        if text.contains("reset") { return "the connection was reset" }
        if text.contains("handshake") || text.contains("certificate") || text.contains("ssl") {
            return "the TLS handshake failed (is the server's certificate trusted?)"
        }
        if text.contains("resolve") || text.contains("lookup") || text.contains("nodename") {
            return "its host name could not be resolved"
        }
        return "the connection failed"
    }
}
