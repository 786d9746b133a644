internal import CFIDO2
import Dispatch
import Synchronization

/// An open FIDO2 authenticator: a USB or NFC security key through libfido2, or a device injected
/// into this process.
///
/// Every call runs on the device's own thread, never on Swift's cooperative pool, because
/// libfido2 blocks while it waits for the key. Calls that wait for a touch are `async`, take a
/// `touch` callback that is told when the key asks for one, and honour task cancellation by
/// sending CTAPHID CANCEL (`fido_dev_cancel`).
public final class Device: @unchecked Sendable {
    /// What was opened.
    public let descriptor: DeviceDescriptor
    let handle: DeviceHandle
    let session: InjectedSession?
    private let queue: DispatchQueue
    // Kept alive while the device is open: libfido2 holds a pointer into the manifest entry.
    private let infoList: OwnedHandle?

    private init(
        descriptor: DeviceDescriptor,
        handle: DeviceHandle,
        session: InjectedSession?,
        infoList: OwnedHandle?
    ) {
        self.descriptor = descriptor
        self.handle = handle
        self.session = session
        self.infoList = infoList
        self.queue = DispatchQueue(label: "FIDO2.Device \(descriptor.path)")
    }

    /// Opens the device `descriptor` describes.
    ///
    /// - Parameter timeoutMilliseconds: how long libfido2 waits for the key in any one call
    ///   (`fido_dev_set_timeout`); `nil` waits as long as the key keeps the request alive.
    /// - Throws: ``FIDO2Error`` `notFound` when nothing answers at the path, or the key's error.
    public static func open(_ descriptor: DeviceDescriptor, timeoutMilliseconds: Int? = nil) async throws(FIDO2Error)
        -> Device
    {
        let opened: Result<Device, FIDO2Error> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(
                    returning: Result { () throws(FIDO2Error) -> Device in
                        try Self.openBlocking(descriptor, timeoutMilliseconds: timeoutMilliseconds)
                    }
                )
            }
        }
        return try opened.get()
    }

    /// Opens the device at `path`, looking it up among ``list()``'s devices.
    public static func open(path: String, timeoutMilliseconds: Int? = nil) async throws(FIDO2Error) -> Device {
        let descriptors = try Self.list()
        guard let descriptor = descriptors.first(where: { $0.path == path }) else {
            throw FIDO2Error(code: .notFound, operation: "open \(path)")
        }
        return try await Self.open(descriptor, timeoutMilliseconds: timeoutMilliseconds)
    }

    private static func openBlocking(_ descriptor: DeviceDescriptor, timeoutMilliseconds: Int?) throws(FIDO2Error)
        -> Device
    {
        let device: Device
        if descriptor.transport == .virtual {
            guard DeviceRegistry.device(at: descriptor.path) != nil else {
                throw FIDO2Error(code: .notFound, operation: "open \(descriptor.path)")
            }
            // A synthetic manifest entry carrying the injected io functions (fido_dev_info_set).
            let list = try OwnedHandle.deviceInfoList(capacity: 1)
            var io = InjectedIO.functions
            let handle = try list.withUnsafeHandle { pointer throws(FIDO2Error) in
                try FIDO2Error.check(
                    fido_dev_info_set(
                        pointer,
                        0,
                        descriptor.path,
                        descriptor.manufacturer,
                        descriptor.product,
                        &io,
                        nil
                    ),
                    "fido_dev_info_set"
                )
                guard let entry = fido_dev_info_ptr(pointer, 0) else {
                    throw FIDO2Error(code: .internal, operation: "fido_dev_info_ptr")
                }
                return try DeviceHandle(info: entry)
            }
            try handle.withUnsafeHandle { pointer throws(FIDO2Error) in
                // Setting the io functions again marks them "own": libfido2 then uses 64-byte
                // reports instead of asking the HID layer for the report length.
                try FIDO2Error.check(fido_dev_set_io_functions(pointer, &io), "fido_dev_set_io_functions")
                try FIDO2Error.check(fido_dev_open_with_info(pointer), "open \(descriptor.path)")
            }
            handle.markOpen()
            let session = try handle.withUnsafeHandle { pointer throws(FIDO2Error) -> InjectedSession? in
                fido_dev_io_handle(pointer).map { InjectedIO.session($0) }
            }
            device = Device(descriptor: descriptor, handle: handle, session: session, infoList: list)
        } else {
            let handle = try DeviceHandle()
            let ownHID = Self.usesOwnHIDLayer(descriptor)
            let session = try handle.withUnsafeHandle { pointer throws(FIDO2Error) -> InjectedSession? in
                #if canImport(Glibc)
                    if ownHID {
                        var io = InjectedIO.hidrawFunctions
                        try FIDO2Error.check(fido_dev_set_io_functions(pointer, &io), "fido_dev_set_io_functions")
                    }
                #endif
                try FIDO2Error.check(fido_dev_open(pointer, descriptor.path), "open \(descriptor.path)")
                return ownHID ? fido_dev_io_handle(pointer).map { InjectedIO.session($0) } : nil
            }
            handle.markOpen()
            device = Device(descriptor: descriptor, handle: handle, session: session, infoList: nil)
        }
        if let timeoutMilliseconds {
            try device.handle.withUnsafeHandle { pointer throws(FIDO2Error) in
                try FIDO2Error.check(
                    fido_dev_set_timeout(pointer, Int32(clamping: timeoutMilliseconds)),
                    "fido_dev_set_timeout"
                )
            }
        }
        return device
    }

    /// Whether a real key is opened through FIDOKit's own hidraw I/O (Linux USB keys): the
    /// same reports as libfido2's HID layer, with the same exclusive lock, but FIDOKit sees the
    /// key's KEEPALIVE "touch needed" frames and can say so. `FIDOKIT_LIBFIDO2_HID=1` in the
    /// environment opts out (libfido2's own HID layer; touch prompts are then not shown).
    static func usesOwnHIDLayer(_ descriptor: DeviceDescriptor) -> Bool {
        #if canImport(Glibc)
            return descriptor.transport == .usb && descriptor.path.hasPrefix("/dev/hidraw")
                && getenv("FIDOKIT_LIBFIDO2_HID") == nil
        #else
            return false
        #endif
    }

    /// Runs `body` on the device's thread. While it runs, `touch` is told when the key asks for
    /// a touch, and cancelling the task sends CTAPHID CANCEL.
    ///
    /// A cancellation that arrives before the queued block starts (while another call holds the
    /// device's thread, or at once) is not lost: CTAPHID CANCEL would reach the key before the
    /// request and be ignored, so the block sees the flag and throws `keepaliveCancel` without
    /// calling libfido2 (as NIO's thread pool checks for cancellation before running work).
    ///
    /// - Throws: ``FIDO2Error`` from `body`, or `keepaliveCancel` when cancelled first.
    func perform<Value: Sendable>(
        touch: (@Sendable () -> Void)? = nil,
        _ body: @escaping @Sendable (OpaquePointer) throws(FIDO2Error) -> Value
    ) async throws(FIDO2Error) -> Value {
        let handle = self.handle
        let session = self.session
        let progress = PerformProgress()
        let result: Result<Value, FIDO2Error> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                self.queue.async {
                    let cancelledFirst = progress.state.withLock { state -> Bool in
                        guard state == .queued else { return true }
                        state = .running
                        return false
                    }
                    guard !cancelledFirst else {
                        continuation.resume(
                            returning: .failure(
                                FIDO2Error(
                                    code: .keepaliveCancel,
                                    operation: "perform",
                                    detail: "cancelled before the request was sent"
                                )
                            )
                        )
                        return
                    }
                    session?.observeTouch(touch)
                    let result = Result { () throws(FIDO2Error) -> Value in
                        try handle.withUnsafeHandle { pointer throws(FIDO2Error) in try body(pointer) }
                    }
                    session?.observeTouch(nil)
                    continuation.resume(returning: result)
                }
            }
        } onCancel: {
            let running = progress.state.withLock { state -> Bool in
                if state == .queued {
                    state = .cancelled
                    return false
                }
                return state == .running
            }
            if running {
                _ = try? handle.withUnsafeHandle { pointer throws(FIDO2Error) in fido_dev_cancel(pointer) }
            }
        }
        return try result.get()
    }
}

/// Where a queued device call is: waiting for the device's thread, running, or cancelled
/// before it started.
private final class PerformProgress: Sendable {
    enum State {
        case queued
        case running
        case cancelled
    }

    let state = Mutex(State.queued)
}
