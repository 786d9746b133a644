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

    static func download(_ url: URL, limit: Int) async throws(MetadataError) -> [UInt8] {
        let request = HTTPClientRequest(url: url.absoluteString)
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .seconds(Self.downloadSeconds))
        } catch {
            throw MetadataError(.unavailable, "The metadata BLOB could not be fetched from \(url): \(error)")
        }
        guard response.status == .ok else {
            throw MetadataError(.unavailable, "The metadata server at \(url) answered HTTP \(response.status.code).")
        }
        if let declared = response.headers.first(name: "content-length").flatMap({ Int($0) }), declared > limit {
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
        } catch {
            throw MetadataError(.unavailable, "The metadata BLOB could not be fetched from \(url): \(error)")
        }
        guard body.readableBytes > 0 else {
            throw MetadataError(.unavailable, "The metadata server at \(url) answered with an empty body.")
        }
        return Array(body.readableBytesView)
    }
}
