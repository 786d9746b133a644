#if canImport(Glibc)
    import Glibc
    import Synchronization

    /// A USB security key reached through Linux hidraw directly, for recording: the same 64-byte
    /// reports libfido2 would exchange, through FIDOKit's own I/O so that they can be observed.
    public struct HIDRawDevice: InjectedDevice {
        public let descriptor: DeviceDescriptor
        private let hidrawPath: String

        /// Wraps the hidraw node of `descriptor` (a libfido2 manifest entry such as `/dev/hidraw3`),
        /// offered under `path`.
        public init(hardware descriptor: DeviceDescriptor, path: String) {
            self.hidrawPath = descriptor.path
            var copy = descriptor
            copy.path = path
            copy.transport = .virtual
            self.descriptor = copy
        }

        public func open() -> (any HIDReportIO)? {
            HIDRawSession.open(path: self.hidrawPath)
        }
    }

    /// An open hidraw node (or any file descriptor with one message per read and write, such as a
    /// `SOCK_SEQPACKET` socket in tests): 65-byte writes (report id 0 + packet), 64-byte reads with
    /// `poll` timeouts.
    public final class HIDRawSession: HIDReportIO, @unchecked Sendable {
        private let fileDescriptor: Mutex<Int32>

        /// Takes ownership of an open descriptor; ``close()`` closes it.
        public init(fileDescriptor: Int32) {
            self.fileDescriptor = Mutex(fileDescriptor)
        }

        /// Opens a hidraw node and takes an exclusive `flock` on it, as libfido2's own HID layer
        /// does, so two programs never interleave CTAPHID traffic on one key. `nil` when the node
        /// cannot be opened or another program holds it.
        public static func open(path: String) -> HIDRawSession? {
            let descriptor = Glibc.open(path, O_RDWR | O_CLOEXEC)
            guard descriptor >= 0 else { return nil }
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
                _ = Glibc.close(descriptor)
                return nil
            }
            return HIDRawSession(fileDescriptor: descriptor)
        }

        public func write(_ packet: [UInt8]) -> Bool {
            let descriptor = self.fileDescriptor.withLock { $0 }
            guard descriptor >= 0, packet.count == 64 else { return false }
            let report = [0] + packet
            while true {
                let written = report.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
                if written < 0 && errno == EINTR { continue }
                return written == report.count
            }
        }

        public func read(timeoutMilliseconds: Int) -> [UInt8]? {
            let descriptor = self.fileDescriptor.withLock { $0 }
            guard descriptor >= 0 else { return nil }
            var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            var ready: Int32
            repeat {
                ready = poll(&request, 1, Int32(clamping: timeoutMilliseconds))
            } while ready < 0 && errno == EINTR
            guard ready == 1, request.revents & Int16(POLLIN) != 0 else { return nil }
            var buffer = [UInt8](repeating: 0, count: 64)
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, 64) }
            return count == 64 ? buffer : nil
        }

        public func close() {
            let descriptor = self.fileDescriptor.withLock { descriptor in
                defer { descriptor = -1 }
                return descriptor
            }
            if descriptor >= 0 { _ = Glibc.close(descriptor) }
        }
    }
#endif
