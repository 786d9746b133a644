import FIDO2
import FIDO2Testing
import Foundation
import Glibc
import Synchronization

/// A software authenticator behind a `SOCK_SEQPACKET` socket pair, which behaves as a hidraw
/// node does (one report per read and per write, a report id byte before each written packet),
/// so that ``HIDRawSession`` — the I/O FIDOKit uses for real USB keys — runs under libfido2.
struct SocketHIDDevice: InjectedDevice {
    let inner: SoftwareAuthenticatorDevice
    let descriptor: DeviceDescriptor

    init(authenticator: SoftwareAuthenticator, path: String) {
        self.inner = SoftwareAuthenticatorDevice(authenticator: authenticator, path: path)
        self.descriptor = self.inner.descriptor
    }

    func open() -> (any HIDReportIO)? {
        var pair: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue), 0, &pair) == 0,
            let authenticator = self.inner.open()
        else { return nil }
        let (host, device) = (pair[0], pair[1])
        let running = Arc(Atomic(true))
        // Host → authenticator: strip the report id.
        Thread.detachNewThread {
            var report = [UInt8](repeating: 0, count: 65)
            while true {
                let count = report.withUnsafeMutableBytes { Glibc.read(device, $0.baseAddress, 65) }
                guard count == 65, authenticator.write(Array(report[1...])) else { break }
            }
            running.value.store(false, ordering: .sequentiallyConsistent)
            authenticator.close()
        }
        // Authenticator → host: one 64-byte report per packet.
        Thread.detachNewThread {
            while running.value.load(ordering: .sequentiallyConsistent) {
                guard let packet = authenticator.read(timeoutMilliseconds: 50) else { continue }
                _ = packet.withUnsafeBytes { Glibc.write(device, $0.baseAddress, $0.count) }
            }
            _ = Glibc.close(device)
        }
        return HIDRawSession(fileDescriptor: host)
    }
}

/// A class box, so that two threads share one atomic.
final class Arc<Value: ~Copyable>: Sendable where Value: Sendable {
    let value: Value
    init(_ value: consuming Value) { self.value = value }
}
