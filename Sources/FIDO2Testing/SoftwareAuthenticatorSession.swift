import Dispatch
public import FIDO2
import Foundation

/// One open CTAPHID session with a ``SoftwareAuthenticator``: the `HIDReportIO` libfido2 reads
/// and writes. It allocates channels (INIT), answers PING and WINK, refuses MSG (no U2F), runs
/// CBOR requests on a worker thread so that CANCEL can arrive while a request waits for a touch,
/// and sends KEEPALIVE frames while it waits.
final class SoftwareAuthenticatorSession: HIDReportIO, @unchecked Sendable {
    private let authenticator: SoftwareAuthenticator
    private let condition = NSCondition()
    private var outgoing: [[UInt8]] = []
    private var assembler = CTAPHIDAssembler()
    private var nextChannel: UInt32 = 0x0100_0001
    private var busyChannel: UInt32?
    private var cancelledChannels: Set<UInt32> = []
    private var closed = false
    private let worker = DispatchQueue(label: "FIDO2Testing.SoftwareAuthenticatorSession")

    init(authenticator: SoftwareAuthenticator) {
        self.authenticator = authenticator
    }

    func write(_ packet: [UInt8]) -> Bool {
        self.condition.lock()
        defer { self.condition.unlock() }
        guard !self.closed else { return false }
        do {
            if let message = try self.assembler.feed(packet) {
                self.dispatch(message)
            }
        } catch {
            switch error {
            case .invalidSequence(let channel): self.enqueueError(channel, 0x04)
            case .invalidLength(let channel): self.enqueueError(channel, 0x03)
            case .busy(let channel): self.enqueueError(channel, 0x06)
            }
        }
        return true
    }

    func read(timeoutMilliseconds: Int) -> [UInt8]? {
        self.condition.lock()
        defer { self.condition.unlock() }
        let deadline = Date().addingTimeInterval(Double(max(timeoutMilliseconds, 0)) / 1000)
        while self.outgoing.isEmpty && !self.closed {
            if timeoutMilliseconds < 0 {
                self.condition.wait()
            } else if !self.condition.wait(until: deadline) {
                break
            }
        }
        guard !self.outgoing.isEmpty else { return nil }
        return self.outgoing.removeFirst()
    }

    func close() {
        self.condition.lock()
        self.closed = true
        self.cancelledChannels.formUnion(self.busyChannel.map { [$0] } ?? [])
        self.condition.broadcast()
        self.condition.unlock()
    }

    // MARK: - Commands (called with the condition's lock held)

    private func dispatch(_ message: CTAPHIDAssembler.Message) {
        switch message.command {
        case 0x06:  // INIT
            guard message.payload.count == 8 else {
                self.enqueueError(message.channel, 0x03)
                return
            }
            var channel = message.channel
            if channel == 0xffff_ffff {
                channel = self.nextChannel
                self.nextChannel += 1
            }
            let cid = [
                UInt8(channel >> 24), UInt8(channel >> 16 & 0xff), UInt8(channel >> 8 & 0xff), UInt8(channel & 0xff),
            ]
            // nonce, CID, protocol 2, version 1.0.0, capabilities WINK | CBOR | NMSG.
            self.enqueue(message.channel, 0x06, message.payload + cid + [2, 1, 0, 0, 0x01 | 0x04 | 0x08])
        case 0x01:  // PING
            self.enqueue(message.channel, 0x01, message.payload)
        case 0x08:  // WINK
            self.enqueue(message.channel, 0x08, [])
        case 0x11:  // CANCEL
            if self.busyChannel == message.channel {
                self.cancelledChannels.insert(message.channel)
                self.condition.broadcast()
            }
        case 0x10:  // CBOR
            guard self.busyChannel == nil else {
                self.enqueueError(message.channel, 0x06)
                return
            }
            self.busyChannel = message.channel
            self.cancelledChannels.remove(message.channel)
            let channel = message.channel
            let payload = message.payload
            self.worker.async {
                let reply = self.authenticator.handle(payload) { self.waitForPresence(channel) }
                self.condition.lock()
                self.busyChannel = nil
                self.cancelledChannels.remove(channel)
                self.enqueue(channel, 0x10, reply)
                self.condition.unlock()
            }
        default:  // MSG (U2F) and anything else
            self.enqueueError(message.channel, 0x01)
        }
    }

    private func enqueue(_ channel: UInt32, _ command: UInt8, _ payload: [UInt8]) {
        self.outgoing += CTAPHIDAssembler.packets(channel: channel, command: command, payload: payload)
        self.condition.broadcast()
    }

    private func enqueueError(_ channel: UInt32, _ code: UInt8) {
        self.enqueue(channel, 0x3f, [code])
    }

    // MARK: - User presence (worker thread)

    /// Sends KEEPALIVE(UPNEEDED) and waits as the simulated person decides.
    private func waitForPresence(_ channel: UInt32) -> PresenceOutcome {
        let configuration = self.authenticator.configuration
        let behaviour = self.authenticator.userPresence
        let start = Date()
        let limit: Double
        switch behaviour {
        case .deny: return .denied
        case .touch: limit = 0
        case .touchAfter(let milliseconds): limit = Double(milliseconds) / 1000
        case .never: limit = Double(configuration.userPresenceTimeoutMilliseconds) / 1000
        }
        self.condition.lock()
        defer { self.condition.unlock() }
        while true {
            if self.cancelledChannels.contains(channel) || self.closed { return .cancelled }
            self.enqueue(channel, 0x3b, [2])
            let elapsed = Date().timeIntervalSince(start)
            if elapsed >= limit {
                return behaviour == .never ? .timedOut : .touched
            }
            let step = min(Double(configuration.keepAliveIntervalMilliseconds) / 1000, limit - elapsed)
            _ = self.condition.wait(until: Date().addingTimeInterval(step))
        }
    }
}

/// A ``SoftwareAuthenticator`` offered to libfido2 as an injected device.
public struct SoftwareAuthenticatorDevice: InjectedDevice {
    /// The authenticator behind the device.
    public let authenticator: SoftwareAuthenticator
    public let descriptor: DeviceDescriptor

    /// Creates a device for `authenticator` at `path` (conventionally `fidokit-virtual://NAME`).
    public init(authenticator: SoftwareAuthenticator, path: String = "fidokit-virtual://software") {
        self.authenticator = authenticator
        self.descriptor = DeviceDescriptor(
            path: path,
            vendorID: 0,
            productID: 0,
            manufacturer: "FIDOKit",
            product: "Software Authenticator",
            transport: .virtual
        )
    }

    public func open() -> (any HIDReportIO)? {
        SoftwareAuthenticatorSession(authenticator: self.authenticator)
    }

    /// Registers the device so that ``Device/list(maximum:)`` shows it and ``Device/open(_:timeoutMilliseconds:)`` opens it.
    public func register() {
        DeviceRegistry.register(self)
    }
}
