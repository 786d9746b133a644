import Foundation
public import Hummingbird

extension APIError: HTTPResponseError {
    /// The `{"error": {"code", "message"}}` body with the status (and `Retry-After`).
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = APIModels.ErrorBody(error: .init(code: self.code, message: self.message))
        let data = (try? JSONResponse.encoder.encode(body)) ?? Data()
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"]
        if let retryAfter = self.retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(status: self.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
