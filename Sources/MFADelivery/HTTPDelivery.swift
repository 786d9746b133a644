import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The one HTTP exchange every provider makes: a request with a deadline, the status, and the
/// body read up to a limit. Transport errors become the provider's own error with the reason.
struct HTTPDelivery: Sendable {
    /// What came back.
    struct Reply: Sendable {
        var status: Int
        var body: Data
    }

    let client: HTTPClient
    let timeout: TimeAmount

    /// Sends `method url` with `headers` and `body`; returns the reply, or the transport's reason.
    func send(
        _ method: HTTPMethod,
        _ url: URL,
        headers: [(String, String)],
        body: Data
    ) async -> Result<Reply, TransportFailure> {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await self.client.execute(request, timeout: self.timeout)
            let buffer = try await response.body.collect(upTo: 1 << 20)
            return .success(Reply(status: Int(response.status.code), body: Data(buffer.readableBytesView)))
        } catch {
            return .failure(
                TransportFailure(reason: "\(url.host ?? url.absoluteString) could not be reached (\(error))")
            )
        }
    }

    /// A request that did not get an HTTP answer.
    struct TransportFailure: Error {
        var reason: String
    }
}

extension Data {
    /// The value at `path` in a JSON object body, as text, when there is one.
    func jsonString(_ path: String...) -> String? {
        guard var value = try? JSONSerialization.jsonObject(with: self) else { return nil }
        for key in path {
            guard let object = value as? [String: Any], let next = object[key] else { return nil }
            value = next
        }
        if let text = value as? String { return text }
        if let number = value as? NSNumber { return number.stringValue }
        return nil
    }
}
