public import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Where a metadata BLOB comes from: a file, or a URL the operator configures (FIDO's
/// `https://mds3.fidoalliance.org/`, or a mirror).
public enum MetadataSource: Sendable, Hashable {
    case file(URL)
    case url(URL)

    /// Reads `text` as a URL when it has an http(s) scheme, else as a file path.
    public init(_ text: String) {
        if let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" {
            self = .url(url)
        } else {
            self = .file(URL(fileURLWithPath: text))
        }
    }

    /// The BLOB's bytes.
    ///
    /// - Throws: ``MetadataError`` `unavailable` when the file cannot be read or the server does
    ///   not answer 200 with a body.
    public func fetch() async throws(MetadataError) -> [UInt8] {
        switch self {
        case .file(let url):
            guard let data = try? Data(contentsOf: url) else {
                throw MetadataError(.unavailable, "The metadata BLOB file \(url.path) cannot be read.")
            }
            return Array(data)
        case .url(let url):
            let result: (Data, URLResponse)
            do {
                result = try await URLSession.shared.data(from: url)
            } catch {
                throw MetadataError(
                    .unavailable,
                    "The metadata BLOB could not be fetched from \(url): \(error.localizedDescription)"
                )
            }
            guard let response = result.1 as? HTTPURLResponse, response.statusCode == 200, !result.0.isEmpty else {
                let status = (result.1 as? HTTPURLResponse)?.statusCode ?? 0
                throw MetadataError(.unavailable, "The metadata server at \(url) answered HTTP \(status).")
            }
            return Array(result.0)
        }
    }
}
