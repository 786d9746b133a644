import HTTPInput
import Hummingbird

extension Request {
    /// The query string's fields, decoded by ``URLEncodedForm``.
    ///
    /// - Throws: ``APIError`` `bad_request` (400) when the query is malformed.
    func queryFields() throws(APIError) -> URLEncodedForm {
        do {
            return try URLEncodedForm(query: self.uri.query)
        } catch {
            throw APIError.badRequest("The query string is malformed: \(error.reason)")
        }
    }
}
