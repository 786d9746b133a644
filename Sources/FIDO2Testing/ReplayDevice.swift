import CBOR
public import FIDO2
import Foundation
import Synchronization

/// A device that replays a ``CTAPHIDTranscript`` to libfido2.
///
/// It splices the host's fresh CTAPHID INIT nonce into the recorded INIT reply, rewrites every
/// recorded report's channel id to the one that reply assigns, and answers each host request
/// with the next recorded response (keep-alives included). When the transcript holds the
/// host's requests too, each request must match the recorded one by structure — CTAPHID
/// command, CTAP2 command, CBOR keys, clientPIN/credential-management subcommand, RP ID —
/// while fresh randomness (key agreement, pinUvAuthParam, encrypted PINs) is a wildcard. A
/// request the recording does not hold fails loudly: the device answers CTAPHID ERROR and the
/// failure is listed in ``failures``.
public final class ReplayDevice: InjectedDevice, @unchecked Sendable {
    public let descriptor: DeviceDescriptor
    let exchanges: [Exchange]
    private let problems = Mutex<[String]>([])
    private let served = Mutex(0)

    /// One recorded request (when known) and what the device answered.
    struct Exchange {
        var request: CTAPHIDAssembler.Message?
        var responses: [[UInt8]]
        var isInit: Bool
    }

    /// Creates a replaying device at `path`.
    public init(transcript: CTAPHIDTranscript, path: String, product: String = "Replayed Recording") {
        self.descriptor = DeviceDescriptor(
            path: path,
            vendorID: 0,
            productID: 0,
            manufacturer: "FIDOKit",
            product: product,
            transport: .virtual
        )
        self.exchanges = Self.exchanges(from: transcript)
    }

    /// Requests that did not match the recording, in order; empty when the replay went as recorded.
    public var failures: [String] {
        self.problems.withLock { $0 }
    }

    /// How many recorded exchanges have not been asked for yet.
    public var remainingExchanges: Int {
        self.exchanges.count - self.served.withLock { $0 }
    }

    /// Registers the device so that ``Device`` lists and opens it.
    public func register() {
        DeviceRegistry.register(self)
    }

    public func open() -> (any HIDReportIO)? {
        ReplaySession(device: self)
    }

    func nextExchange() -> (index: Int, exchange: Exchange)? {
        self.served.withLock { served in
            guard served < self.exchanges.count else { return nil }
            defer { served += 1 }
            return (served, self.exchanges[served])
        }
    }

    func fail(_ message: String) {
        self.problems.withLock { $0.append(message) }
    }

    /// Splits a transcript into request/response exchanges.
    static func exchanges(from transcript: CTAPHIDTranscript) -> [Exchange] {
        var requests = CTAPHIDAssembler()
        var exchanges: [Exchange] = []
        var pendingResponses: [[UInt8]] = []
        var responseRemaining = 0
        var currentRequest: CTAPHIDAssembler.Message?
        // Reports are read at fixed offsets: one that is not a whole 64-byte report is skipped.
        for report in transcript.reports where report.bytes.count == 64 {
            switch report.direction {
            case .out:
                if let message = try? requests.feed(report.bytes), message.command != 0x11 {
                    currentRequest = message
                }
            case .in:
                pendingResponses.append(report.bytes)
                if report.bytes[4] & 0x80 != 0 {
                    let length = Int(report.bytes[5]) << 8 | Int(report.bytes[6])
                    responseRemaining = max(0, length - 57)
                } else {
                    responseRemaining = max(0, responseRemaining - 59)
                }
                // A complete message that is not a keep-alive ends the exchange.
                let isKeepAlive = pendingResponses.last.map { $0[4] == 0xbb } ?? false
                if responseRemaining == 0 && !isKeepAlive {
                    let first = pendingResponses.first { $0[4] & 0x80 != 0 && $0[4] != 0xbb }
                    exchanges.append(
                        Exchange(request: currentRequest, responses: pendingResponses, isInit: first?[4] == 0x86)
                    )
                    pendingResponses = []
                    currentRequest = nil
                }
            }
        }
        return exchanges
    }
}

/// One open session with a ``ReplayDevice``.
final class ReplaySession: HIDReportIO, @unchecked Sendable {
    private let device: ReplayDevice
    private let condition = NSCondition()
    private var outgoing: [[UInt8]] = []
    private var assembler = CTAPHIDAssembler()
    private var channel: [UInt8]?
    private var requestCount = 0

    init(device: ReplayDevice) {
        self.device = device
    }

    func write(_ packet: [UInt8]) -> Bool {
        self.condition.lock()
        defer { self.condition.unlock() }
        guard let message = try? self.assembler.feed(packet) else { return true }
        if message.command == 0x11 { return true }  // CANCEL: the recording already holds what followed.
        self.requestCount += 1
        guard let (index, exchange) = self.device.nextExchange() else {
            self.device.fail(
                "request \(self.requestCount) (\(RequestShape(message))): the recording holds no more exchanges"
            )
            self.reply(error: message)
            return true
        }
        if let recorded = exchange.request, RequestShape(recorded) != RequestShape(message) {
            self.device.fail(
                "request \(self.requestCount): expected \(RequestShape(recorded)), got \(RequestShape(message)) (exchange \(index + 1))"
            )
            self.reply(error: message)
            return true
        }
        var responses = exchange.responses
        if exchange.isInit, message.command == 0x06, let first = responses.first, first.count >= 19,
            message.payload.count == 8
        {
            var reply = first
            reply.replaceSubrange(7..<15, with: message.payload)
            responses[0] = reply
            self.channel = Array(reply[15..<19])
        } else if let channel = self.channel {
            responses = responses.map { Array(channel) + $0.dropFirst(4) }
        }
        self.outgoing += responses
        self.condition.broadcast()
        return true
    }

    func read(timeoutMilliseconds: Int) -> [UInt8]? {
        self.condition.lock()
        defer { self.condition.unlock() }
        let deadline = Date().addingTimeInterval(Double(max(timeoutMilliseconds, 0)) / 1000)
        while self.outgoing.isEmpty {
            if timeoutMilliseconds < 0 {
                self.condition.wait()
            } else if !self.condition.wait(until: deadline) {
                return nil
            }
        }
        return self.outgoing.removeFirst()
    }

    func close() {}

    private func reply(error message: CTAPHIDAssembler.Message) {
        self.outgoing += CTAPHIDAssembler.packets(channel: message.channel, command: 0x3f, payload: [0x7f])
        self.condition.broadcast()
    }
}

/// The structural identity of a request: what replay compares, with randomness left out.
struct RequestShape: Equatable, CustomStringConvertible {
    var command: UInt8
    var ctapCommand: UInt8?
    var keys: [CBORValue]
    var subCommand: Int?
    var relyingPartyID: String?

    init(_ message: CTAPHIDAssembler.Message) {
        self.command = message.command
        guard message.command == 0x10, let ctap = message.payload.first else {
            self.keys = []
            return
        }
        self.ctapCommand = ctap
        let map =
            message.payload.count > 1
            ? (try? CBORDecoder(options: .lenient).decode(message.payload[1...]))?.mapValue : nil
        self.keys = map?.keys ?? []
        switch ctap {
        case 0x06: self.subCommand = map?[2]?.integer  // clientPIN
        case 0x0a, 0x41: self.subCommand = map?[1]?.integer  // credentialManagement
        case 0x01: self.relyingPartyID = map?[2]?.mapValue?["id"]?.text  // makeCredential
        case 0x02: self.relyingPartyID = map?[1]?.text  // getAssertion
        default: break
        }
    }

    var description: String {
        guard let ctapCommand else { return String(format: "CTAPHID 0x%02x", self.command) }
        var text = String(
            format: "CTAP2 0x%02x keys %@",
            ctapCommand,
            self.keys.map(\.description).joined(separator: ",")
        )
        if let subCommand { text += " sub \(subCommand)" }
        if let relyingPartyID { text += " rp \(relyingPartyID)" }
        return text
    }
}
