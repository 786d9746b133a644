/// A runtime failure of a fidoctl command: a sentence for the person, and the exit status
/// (sysexits(3)) that tells a script what kind of failure it was. Usage errors stay
/// ArgumentParser's `ValidationError` (exit 64, with the usage line).
struct CommandFailure: Error, CustomStringConvertible {
    /// An exit status. Open: new statuses may be added.
    struct Status: RawRepresentable, Hashable, Sendable {
        var rawValue: Int32

        /// The command ran and the answer is no: a rejected verdict, a wrong PIN, a refusal.
        static let refused = Status(rawValue: 1)
        /// EX_USAGE: the command line is wrong (an invalid RP id, an unknown algorithm, …).
        static let usage = Status(rawValue: 64)
        /// EX_DATAERR: the input data is wrong.
        static let dataError = Status(rawValue: 65)
        /// EX_NOINPUT: an input file does not exist or cannot be read.
        static let noInput = Status(rawValue: 66)
        /// EX_UNAVAILABLE: no security key, or a service that cannot be reached.
        static let unavailable = Status(rawValue: 69)
        /// EX_SOFTWARE: fidoctl itself failed (an error it has no sentence for; a bug to report).
        static let software = Status(rawValue: 70)
        /// EX_IOERR: writing the output failed.
        static let ioError = Status(rawValue: 74)
        /// EX_TEMPFAIL: nothing went wrong but time ran out (no touch before --timeout-ms).
        static let temporaryFailure = Status(rawValue: 75)
        /// EX_NOPERM: a file's permissions are unsafe (a PIN file others may read).
        static let noPermission = Status(rawValue: 77)
        /// Interrupted by Ctrl-C (128 + SIGINT).
        static let interrupted = Status(rawValue: 130)
    }

    var status: Status
    var message: String

    init(_ status: Status, _ message: String) {
        self.status = status
        self.message = message
    }

    var description: String { self.message }
}
