import FIDOKitTestSupport
import Foundation
import Testing
import Yams

/// `openapi.yaml` as a contract the in-process API tests check every response against: the
/// operation must be documented, and the body must match the schema of its status (or of
/// `default`). A small JSON Schema checker covering what the document uses: `$ref`, `type`,
/// `enum`, `required`, `properties`, `additionalProperties: false`, `items`, `minimum`/`maximum`,
/// `minLength`/`maxLength`, `pattern`, `format: date-time`.
struct OpenAPIContract: @unchecked Sendable {
    static let shared: OpenAPIContract? = {
        let url = FixturePath.repositoryRoot.appendingPathComponent("openapi.yaml")
        guard let text = try? String(contentsOf: url, encoding: .utf8),
            let document = try? Yams.load(yaml: text) as? [String: Any]
        else { return nil }
        return OpenAPIContract(document: document)
    }()

    let document: [String: Any]

    /// The operation documented for `method` on the concrete `path` (templates like `{id}` match one segment).
    func operation(method: String, path: String) -> [String: Any]? {
        let paths = self.document["paths"] as? [String: Any] ?? [:]
        let segments = path.split(separator: "?").first.map { $0.split(separator: "/", omittingEmptySubsequences: true) } ?? []
        // Literal paths win over templated ones (`/api/me/factors/totp` is not `/api/me/factors/{id}`).
        let templates = paths.keys.sorted { ($0.contains("{") ? 1 : 0, $0) < ($1.contains("{") ? 1 : 0, $1) }
        for template in templates {
            let item = paths[template]
            let parts = template.split(separator: "/", omittingEmptySubsequences: true)
            guard parts.count == segments.count,
                zip(parts, segments).allSatisfy({ $0.hasPrefix("{") || $0 == $1 })
            else { continue }
            if let operation = (item as? [String: Any])?[method.lowercased()] as? [String: Any] { return operation }
        }
        return nil
    }

    /// The problems of a response, empty when it conforms.
    func check(method: String, path: String, status: Int, body: Data) -> [String] {
        guard let operation = self.operation(method: method, path: path) else {
            // Undocumented paths must answer 404 with the error body.
            guard status == 404, let error = self.resolve("#/components/schemas/Error"),
                let value = try? JSONSerialization.jsonObject(with: body)
            else { return ["\(method) \(path) is not in openapi.yaml (answered \(status))"] }
            return self.validate(value, error, at: "\(method) \(path) 404 $")
        }
        let responses = operation["responses"] as? [String: Any] ?? [:]
        guard var response = (responses[String(status)] ?? responses["default"]) as? [String: Any] else {
            return ["\(method) \(path): status \(status) is not documented"]
        }
        if let reference = response["$ref"] as? String, let resolved = self.resolve(reference) { response = resolved }
        guard let content = response["content"] as? [String: Any] else {
            return body.isEmpty ? [] : ["\(method) \(path) \(status): a body where none is documented"]
        }
        guard let schema = (content["application/json"] as? [String: Any])?["schema"] as? [String: Any] else {
            return ["\(method) \(path) \(status): no JSON schema"]
        }
        guard let value = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) else {
            return ["\(method) \(path) \(status): the body is not JSON"]
        }
        return self.validate(value, schema, at: "\(method) \(path) \(status) $")
    }

    func resolve(_ reference: String) -> [String: Any]? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: Any? = self.document
        for key in reference.dropFirst(2).split(separator: "/") { node = (node as? [String: Any])?[String(key)] }
        return node as? [String: Any]
    }

    /// The problems of `value` against `schema`.
    func validate(_ value: Any, _ schema: [String: Any], at path: String) -> [String] {
        if let reference = schema["$ref"] as? String {
            guard let resolved = self.resolve(reference) else { return ["\(path): unresolved \(reference)"] }
            return self.validate(value, resolved, at: path)
        }
        var problems: [String] = []
        if let allowed = schema["enum"] as? [Any], !allowed.contains(where: { "\($0)" == "\(value)" }) {
            problems.append("\(path): \(value) is not one of \(allowed)")
        }
        switch schema["type"] as? String {
        case "object":
            guard let object = value as? [String: Any] else { return ["\(path): not an object"] }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                problems.append("\(path): missing \(key)")
            }
            for (key, member) in object {
                if let property = properties[key] as? [String: Any] {
                    problems += self.validate(member, property, at: "\(path).\(key)")
                } else if schema["additionalProperties"] as? Bool == false {
                    problems.append("\(path): undocumented property \(key)")
                }
            }
        case "array":
            guard let array = value as? [Any] else { return ["\(path): not an array"] }
            if let items = schema["items"] as? [String: Any] {
                for (index, element) in array.enumerated() { problems += self.validate(element, items, at: "\(path)[\(index)]") }
            }
        case "string":
            guard let text = value as? String else { return ["\(path): not a string"] }
            if let minimum = schema["minLength"] as? Int, text.count < minimum { problems.append("\(path): too short") }
            if let maximum = schema["maxLength"] as? Int, text.count > maximum { problems.append("\(path): too long") }
            if let pattern = schema["pattern"] as? String, text.range(of: pattern, options: .regularExpression) == nil {
                problems.append("\(path): \(text.prefix(40)) does not match \(pattern)")
            }
            if schema["format"] as? String == "date-time", (try? Date(text, strategy: .iso8601)) == nil {
                problems.append("\(path): \(text) is not an RFC 3339 date-time")
            }
        case "integer", "number":
            // On Linux `0 is Bool` and `1 is Bool` hold for parsed numbers: JSON's true and false
            // are the NSNumbers of type "c".
            guard let number = value as? NSNumber, String(cString: number.objCType) != "c" else {
                return ["\(path): not a number"]
            }
            if schema["type"] as? String == "integer", number.doubleValue != number.doubleValue.rounded() {
                problems.append("\(path): not an integer")
            }
            if let minimum = schema["minimum"] as? Int, number.doubleValue < Double(minimum) { problems.append("\(path): below \(minimum)") }
            if let maximum = schema["maximum"] as? Int, number.doubleValue > Double(maximum) { problems.append("\(path): above \(maximum)") }
        case "boolean":
            if !(value is Bool) { problems.append("\(path): not a boolean") }
        default:
            break
        }
        return problems
    }
}

/// The checker itself: it must find what it claims to.
struct OpenAPIContractTests {
    @Test func theDocumentLoadsAndTheCheckerCatchesMismatches() throws {
        let contract = try #require(OpenAPIContract.shared)
        #expect(contract.operation(method: "DELETE", path: "/api/me/factors/abc") != nil)
        #expect(contract.operation(method: "GET", path: "/api/me/nothing") == nil)
        let good = Data(#"{"csrfToken":"x"}"#.utf8)
        #expect(contract.check(method: "GET", path: "/api/csrf", status: 200, body: good).isEmpty)
        #expect(!contract.check(method: "GET", path: "/api/csrf", status: 200, body: Data(#"{"token":"x"}"#.utf8)).isEmpty)
        #expect(!contract.check(method: "GET", path: "/api/csrf", status: 200, body: Data(#"{"csrfToken":1}"#.utf8)).isEmpty)
        let state = #"{"state":"maybe","factors":[],"csrfToken":"t"}"#
        #expect(!contract.check(method: "POST", path: "/api/session", status: 200, body: Data(state.utf8)).isEmpty)
        let error = #"{"error":{"code":"x","message":"y"}}"#
        #expect(contract.check(method: "POST", path: "/api/session", status: 401, body: Data(error.utf8)).isEmpty)
        #expect(!contract.check(method: "POST", path: "/api/session", status: 401, body: Data(#"{"error":"x"}"#.utf8)).isEmpty)
        let started = #"{"transactionId":"t","number":100,"expiresAt":"2026-01-01T00:00:00Z"}"#
        #expect(!contract.check(method: "POST", path: "/api/mfa/push/start", status: 200, body: Data(started.utf8)).isEmpty)
        let badDate = #"{"maskedPhone":"+1","expiresAt":"yesterday"}"#
        #expect(!contract.check(method: "POST", path: "/api/mfa/sms/send", status: 200, body: Data(badDate.utf8)).isEmpty)
    }
}
