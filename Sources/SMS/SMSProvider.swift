public import Foundation

/// A text message to send.
public struct SMSMessage: Sendable, Hashable, Codable {
    public var to: PhoneNumber
    public var body: String

    /// Creates a message.
    public init(to: PhoneNumber, body: String) {
        self.to = to
        self.body = body
    }

    /// The message carrying a sign-in code, with the WebOTP origin-bound line (`@host #code`) so
    /// browsers can offer the code.
    public static func code(_ code: String, to phone: PhoneNumber, issuer: String, host: String?) -> SMSMessage {
        var body = "\(code) is your \(issuer) verification code. It expires in 5 minutes."
        if let host { body += "\n\n@\(host) #\(code)" }
        return SMSMessage(to: phone, body: body)
    }
}

/// Delivers SMS. Implementations report failures: a message that was not taken throws.
public protocol SMSProvider: Sendable {
    /// Sends `message`.
    ///
    /// - Throws: ``SMSError/deliveryFailed(_:)``.
    func send(_ message: SMSMessage) async throws(SMSError)
}

/// The embedded default: appends each message as one JSON line to a file (or prints it), so an
/// operator or a test reads the codes.
public struct FileSMSProvider: SMSProvider {
    /// The file, or `nil` for standard error.
    public var path: URL?

    /// Creates a provider writing to `path` (standard error when `nil`).
    public init(path: URL?) {
        self.path = path
    }

    public func send(_ message: SMSMessage) async throws(SMSError) {
        let line: Data
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            line = try encoder.encode(message) + Data("\n".utf8)
        } catch {
            throw .deliveryFailed("the message could not be encoded")
        }
        guard let path = self.path else {
            FileHandle.standardError.write(line)
            return
        }
        do {
            if !FileManager.default.fileExists(atPath: path.path) {
                try FileManager.default.createDirectory(
                    at: path.deletingLastPathComponent(),
                    withIntermediateDirectories: true
                )
                _ = FileManager.default.createFile(atPath: path.path, contents: nil)
            }
            let handle = try FileHandle(forWritingTo: path)
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: line)
        } catch {
            throw .deliveryFailed("the outbox \(path.path) cannot be written")
        }
    }
}
