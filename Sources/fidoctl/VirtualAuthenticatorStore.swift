import FIDO2Testing
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Where `--device virtual` keeps the software authenticator between runs:
/// `$XDG_DATA_HOME/fidokit/virtual-authenticator.json` (0600).
///
/// A process holds an exclusive `flock` on the `.lock` file beside it from loading the state
/// until it exits, so concurrent runs take turns instead of overwriting each other's
/// credentials; each save writes a private temporary file and renames it over the state, so an
/// interrupted save never loses it.
final class VirtualAuthenticatorStore: Sendable {
    static let devicePath = "fidokit-virtual://fidoctl"

    let file: URL
    /// The lock file's descriptor, held open (and locked) for the process's life.
    private let lockDescriptor: Int32
    private let saveFailure = Mutex<String?>(nil)

    private init(file: URL, lockDescriptor: Int32) {
        self.file = file
        self.lockDescriptor = lockDescriptor
    }

    deinit {
        _ = close(self.lockDescriptor)
    }

    /// The state file's location.
    static var defaultFile: URL {
        let environment = ProcessInfo.processInfo.environment
        let base =
            environment["XDG_DATA_HOME"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: environment["HOME"] ?? NSTemporaryDirectory()).appendingPathComponent(
                ".local/share"
            )
        return base.appendingPathComponent("fidokit/virtual-authenticator.json")
    }

    /// Creates the folder (0700) if needed and waits for the exclusive lock.
    ///
    /// - Throws: ``CommandFailure`` `ioError` when the folder or lock file cannot be made.
    static func open(file: URL = VirtualAuthenticatorStore.defaultFile) throws(CommandFailure)
        -> VirtualAuthenticatorStore
    {
        let folder = file.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(
                at: folder,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw CommandFailure(.ioError, "Cannot create \(folder.path): \(OutputFile.reason(error)).")
        }
        let descriptor = Glibc.open(file.path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CommandFailure(.ioError, "Cannot open \(file.path).lock: \(String(cString: strerror(errno))).")
        }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let reason = String(cString: strerror(errno))
                _ = close(descriptor)
                throw CommandFailure(.ioError, "Cannot lock \(file.path).lock: \(reason).")
            }
        }
        return VirtualAuthenticatorStore(file: file, lockDescriptor: descriptor)
    }

    /// The saved authenticator, or a new one when nothing is saved yet.
    ///
    /// - Throws: ``CommandFailure`` 66 when the state file cannot be read (a directory, no
    ///   permission), 65 when the saved state does not decode.
    func load() throws -> SoftwareAuthenticator {
        let configuration = SoftwareAuthenticator.Configuration(userPresenceTimeoutMilliseconds: 30_000)
        var status = stat()
        guard stat(self.file.path, &status) == 0 else {
            guard errno == ENOENT else {
                throw CommandFailure(
                    .noInput,
                    "Cannot read the software authenticator's state \(self.file.path): \(String(cString: strerror(errno)))."
                )
            }
            return try SoftwareAuthenticator(configuration: configuration)
        }
        let bytes = try InputReader.secretFile(
            self.file.path,
            limit: InputReader.responseLimit,
            what: "the software authenticator's state"
        )
        if let reason = StrictJSON.refusal(bytes) {
            throw CommandFailure(
                .dataError,
                "The software authenticator's state in \(self.file.path) cannot be read (\(reason)); move the file away to start with a new one."
            )
        }
        do {
            return try SoftwareAuthenticator(snapshot: Data(bytes), configuration: configuration)
        } catch {
            let detail = (error as? DecodingError)?.summary ?? "it is not a saved authenticator"
            throw CommandFailure(
                .dataError,
                "The software authenticator's state in \(self.file.path) cannot be read (\(detail)); move the file away to start with a new one."
            )
        }
    }

    /// Saves the state atomically: a new 0600 file beside the old one, synced, renamed over it.
    ///
    /// - Throws: ``CommandFailure`` `ioError`, also for an earlier save that failed.
    func save(_ authenticator: SoftwareAuthenticator) throws {
        if let earlier = self.saveFailure.withLock({ $0 }) {
            throw CommandFailure(.ioError, earlier)
        }
        let bytes = [UInt8](try authenticator.snapshot())
        let temporary = self.file.path + ".\(getpid()).tmp"
        let descriptor = Glibc.open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CommandFailure(.ioError, "Cannot write \(temporary): \(String(cString: strerror(errno))).")
        }
        let failure = Output.write(bytes, to: descriptor)
        let synced = fsync(descriptor) == 0
        _ = close(descriptor)
        guard failure == nil, synced, rename(temporary, self.file.path) == 0 else {
            let reason = failure ?? String(cString: strerror(errno))
            _ = unlink(temporary)
            throw CommandFailure(.ioError, "Cannot save \(self.file.path): \(reason).")
        }
    }

    /// Saves, remembering a failure for the next ``save(_:)`` to report (for the callback the
    /// authenticator calls after each request, which cannot throw).
    func saveReportingFailure(_ authenticator: SoftwareAuthenticator) {
        do {
            try self.save(authenticator)
        } catch {
            self.saveFailure.withLock { $0 = $0 ?? "\(error)" }
        }
    }

    /// How the simulated person answers a request for a touch: `$FIDOKIT_VIRTUAL_TOUCH` is
    /// `touch` (the default), `never` (waits until cancelled or timed out), `deny`, or a delay
    /// in milliseconds. For demos and tests of Ctrl-C and timeouts.
    static func presenceFromEnvironment() throws(CommandFailure) -> UserPresence {
        guard let value = ProcessInfo.processInfo.environment["FIDOKIT_VIRTUAL_TOUCH"] else { return .touch }
        switch value {
        case "", "touch": return .touch
        case "never": return .never
        case "deny": return .deny
        default:
            guard let milliseconds = Int(value), milliseconds >= 0 else {
                throw CommandFailure(
                    .usage,
                    "FIDOKIT_VIRTUAL_TOUCH must be touch, never, deny or a delay in milliseconds, not \(value)."
                )
            }
            return .touchAfter(milliseconds: milliseconds)
        }
    }
}
