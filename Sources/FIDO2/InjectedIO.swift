internal import CFIDO2
import Synchronization

/// One open session of an injected device, passed to libfido2 as the opaque io handle. It also
/// watches the frames going by for CTAPHID KEEPALIVE "user presence needed", which libfido2
/// 1.12 does not report, and tells the waiting caller to touch the key.
final class InjectedSession: Sendable {
    let io: any HIDReportIO
    private let touchObserver = Mutex<(@Sendable () -> Void)?>(nil)
    private let announced = Mutex(false)

    init(io: any HIDReportIO) {
        self.io = io
    }

    /// Sets the callback for "touch your key" (once per operation).
    func observeTouch(_ observer: (@Sendable () -> Void)?) {
        self.touchObserver.withLock { $0 = observer }
        self.announced.withLock { $0 = false }
    }

    func noticeIncoming(_ packet: [UInt8]) {
        // CTAPHID KEEPALIVE (0x80 | 0x3b) with status 2 = UPNEEDED.
        guard packet.count > 7, packet[4] == 0xbb, packet[7] == 0x02 else { return }
        let first = self.announced.withLock { announced in
            defer { announced = true }
            return !announced
        }
        if first, let observer = self.touchObserver.withLock({ $0 }) {
            observer()
        }
    }
}

/// libfido2's `fido_dev_io_t` for injected devices: C callbacks that route to the registry.
enum InjectedIO {
    static var functions: fido_dev_io_t {
        fido_dev_io_t(open: ioOpen, close: ioClose, read: ioRead, write: ioWrite)
    }

    #if canImport(Glibc)
        /// The same callbacks for a USB key's own hidraw node, so that FIDOKit sees its KEEPALIVE
        /// frames too (libfido2's HID layer keeps them to itself).
        static var hidrawFunctions: fido_dev_io_t {
            fido_dev_io_t(open: ioOpenHIDRaw, close: ioClose, read: ioRead, write: ioWrite)
        }
    #endif

    static func session(_ handle: UnsafeMutableRawPointer) -> InjectedSession {
        Unmanaged<InjectedSession>.fromOpaque(handle).takeUnretainedValue()
    }
}

private func ioOpen(_ path: UnsafePointer<CChar>?) -> UnsafeMutableRawPointer? {
    guard let path, let device = DeviceRegistry.device(at: String(cString: path)), let io = device.open() else {
        return nil
    }
    return Unmanaged.passRetained(InjectedSession(io: io)).toOpaque()
}

#if canImport(Glibc)
    private func ioOpenHIDRaw(_ path: UnsafePointer<CChar>?) -> UnsafeMutableRawPointer? {
        guard let path, let io = HIDRawSession.open(path: String(cString: path)) else { return nil }
        return Unmanaged.passRetained(InjectedSession(io: io)).toOpaque()
    }
#endif

private func ioClose(_ handle: UnsafeMutableRawPointer?) {
    guard let handle else { return }
    let session = Unmanaged<InjectedSession>.fromOpaque(handle).takeRetainedValue()
    session.io.close()
}

private func ioRead(
    _ handle: UnsafeMutableRawPointer?,
    _ buffer: UnsafeMutablePointer<UInt8>?,
    _ length: Int,
    _ milliseconds: Int32
) -> Int32 {
    guard let handle, let buffer, length >= 64 else { return -1 }
    let session = InjectedIO.session(handle)
    guard let packet = session.io.read(timeoutMilliseconds: Int(milliseconds)), packet.count == 64 else { return -1 }
    session.noticeIncoming(packet)
    packet.withUnsafeBufferPointer { source in
        guard let base = source.baseAddress else { return }
        buffer.update(from: base, count: 64)
    }
    return 64
}

private func ioWrite(_ handle: UnsafeMutableRawPointer?, _ buffer: UnsafePointer<UInt8>?, _ length: Int) -> Int32 {
    // libfido2 writes a report id byte (0) and one 64-byte packet.
    guard let handle, let buffer, length == 65 else { return -1 }
    let packet = Array(UnsafeBufferPointer(start: buffer + 1, count: 64))
    return InjectedIO.session(handle).io.write(packet) ? Int32(length) : -1
}
