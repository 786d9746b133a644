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
            let descriptor = Glibc.open(self.hidrawPath, O_RDWR | O_CLOEXEC)
            guard descriptor >= 0 else { return nil }
            return HIDRawSession(fileDescriptor: descriptor)
        }
    }

    /// An open hidraw node: 65-byte writes (report id 0 + packet), 64-byte reads with `poll` timeouts.
    final class HIDRawSession: HIDReportIO, @unchecked Sendable {
        private let fileDescriptor: Mutex<Int32>

        init(fileDescriptor: Int32) {
            self.fileDescriptor = Mutex(fileDescriptor)
        }

        func write(_ packet: [UInt8]) -> Bool {
            let descriptor = self.fileDescriptor.withLock { $0 }
            guard descriptor >= 0 else { return false }
            let report = [0] + packet
            return report.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) } == report.count
        }

        func read(timeoutMilliseconds: Int) -> [UInt8]? {
            let descriptor = self.fileDescriptor.withLock { $0 }
            guard descriptor >= 0 else { return nil }
            var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&request, 1, Int32(clamping: timeoutMilliseconds)) == 1 else { return nil }
            var buffer = [UInt8](repeating: 0, count: 64)
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, 64) }
            return count == 64 ? buffer : nil
        }

        func close() {
            let descriptor = self.fileDescriptor.withLock { descriptor in
                defer { descriptor = -1 }
                return descriptor
            }
            if descriptor >= 0 { _ = Glibc.close(descriptor) }
        }
    }
#endif
