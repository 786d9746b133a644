import Dispatch
public import FIDO2
import Synchronization

/// Wraps another device and writes down every report that passes, in both directions, as a
/// ``CTAPHIDTranscript`` that ``ReplayDevice`` can play back.
public final class RecordingDevice: InjectedDevice, @unchecked Sendable {
    public let descriptor: DeviceDescriptor
    private let wrapped: any InjectedDevice
    private let recorded = Mutex<[CTAPHIDTranscript.Report]>([])
    private let start = DispatchTime.now()

    /// Records what goes to and from `wrapped`, offered under `path`.
    public init(wrapping wrapped: any InjectedDevice, path: String) {
        self.wrapped = wrapped
        var descriptor = wrapped.descriptor
        descriptor.path = path
        self.descriptor = descriptor
    }

    /// Everything recorded so far.
    public var transcript: CTAPHIDTranscript {
        CTAPHIDTranscript(reports: self.recorded.withLock { $0 })
    }

    /// Registers the device so that ``Device`` lists and opens it.
    public func register() {
        DeviceRegistry.register(self)
    }

    public func open() -> (any HIDReportIO)? {
        guard let inner = self.wrapped.open() else { return nil }
        return RecordingSession(inner: inner, device: self)
    }

    func record(_ direction: CTAPHIDTranscript.Direction, _ bytes: [UInt8]) {
        let milliseconds = Int((DispatchTime.now().uptimeNanoseconds - self.start.uptimeNanoseconds) / 1_000_000)
        self.recorded.withLock { $0.append(.init(direction: direction, bytes: bytes, milliseconds: milliseconds)) }
    }
}

final class RecordingSession: HIDReportIO, @unchecked Sendable {
    private let inner: any HIDReportIO
    private let device: RecordingDevice

    init(inner: any HIDReportIO, device: RecordingDevice) {
        self.inner = inner
        self.device = device
    }

    func write(_ packet: [UInt8]) -> Bool {
        self.device.record(.out, packet)
        return self.inner.write(packet)
    }

    func read(timeoutMilliseconds: Int) -> [UInt8]? {
        let packet = self.inner.read(timeoutMilliseconds: timeoutMilliseconds)
        if let packet { self.device.record(.in, packet) }
        return packet
    }

    func close() {
        self.inner.close()
    }
}
