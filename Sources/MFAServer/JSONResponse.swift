import Foundation
import Hummingbird
import NIOCore
import StreamingJSON
import WebAuthn

/// JSON answers of the API.
enum JSONResponse {
    /// Written as the values list their members; dates in ISO 8601.
    static let encoder = StreamingJSONEncoder(dateEncoding: .iso8601)

    /// `value` as JSON with `status`, setting `cookie` when given.
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok, cookie: Cookie? = nil) throws
        -> Response
    {
        let data = try Self.encoder.encode(value)
        var response = Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
        if let cookie { response.setCookie(cookie) }
        return response
    }

    /// 204 with an optional cookie.
    static func empty(cookie: Cookie? = nil) -> Response {
        var response = Response(status: .noContent)
        if let cookie { response.setCookie(cookie) }
        return response
    }
}

extension Request {
    /// The body, at most `limit` bytes: the one place every handler (API JSON, page forms)
    /// reads a body.
    ///
    /// - Throws: ``APIError`` `body_too_large` (413) over `limit`; `body_incomplete` (400) when
    ///   the body ends before its `Content-Length` or the connection fails partway (NIO's
    ///   parser errors, a closed channel, the body deadline): the client's fault, not a 500.
    func bodyBytes(limit: Int) async throws -> [UInt8] {
        // A declared length over the limit is refused from the header, without waiting for it.
        if let declared = self.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw APIError.bodyTooLarge
        }
        do {
            let buffer = try await self.body.collect(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw APIError.bodyTooLarge
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw APIError.bodyIncomplete
        }
    }

    /// The body decoded as `type` from JSON.
    ///
    /// - Throws: ``APIError`` `bad_request` when it is not.
    func json<T: Decodable>(_ type: T.Type, limit: Int) async throws -> T {
        let bytes = try await self.bodyBytes(limit: limit)
        // JSONDecoder keeps one of two members of one name silently: the strict parser refuses
        // duplicates (and anything else that is not one JSON value) first.
        do {
            _ = try JSONNode.parse(bytes)
        } catch {
            throw APIError.badRequest("The request body is not valid JSON (or repeats a member name).")
        }
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode(type, from: Data(bytes))
        } catch {
            throw APIError.badRequest("The request body is not the JSON this endpoint takes.")
        }
    }
}
