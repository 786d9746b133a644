import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MFAServer
import NIOCore

/// Raw requests for tests that attack the server: no contract checks, any path spelling.
struct RawResponse {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: String
}

extension TestClientProtocol {
    /// Sends `method path` with `headers` and `body` as given.
    func raw(
        _ method: HTTPRequest.Method,
        _ path: String,
        headers: HTTPFields = [:],
        body: String? = nil
    ) async throws -> RawResponse {
        let response = try await self.execute(
            uri: path,
            method: method,
            headers: headers,
            body: body.map { ByteBuffer(string: $0) }
        )
        return RawResponse(
            status: response.status,
            headers: response.headers,
            body: String(decoding: response.body.readableBytesView, as: UTF8.self)
        )
    }
}

extension HTTPFields {
    /// A session cookie header (and more fields).
    static func session(_ cookie: String?, _ more: HTTPFields = [:]) -> HTTPFields {
        var fields = more
        if let cookie { fields[.cookie] = "fidokit_session=\(cookie)" }
        return fields
    }
}

extension ServerHarness {
    /// How many session records the store holds.
    func sessionRecordCount() async throws -> Int {
        var total = 0
        for owner in ["anonymous"] { total += try await self.store.list(kind: "session", owner: owner).count }
        return total
    }
}
