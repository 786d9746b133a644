/// The report-level I/O of an injected device, as libfido2's `fido_dev_io_t` sees it.
///
/// libfido2 keeps doing all CTAPHID framing; an implementation moves one 64-byte CTAPHID packet
/// at a time. Calls arrive on the device's own thread, never on Swift's cooperative pool, and may
/// block.
public protocol HIDReportIO: AnyObject, Sendable {
    /// Takes one 64-byte packet from the host. Returns `false` when the device is gone.
    func write(_ packet: [UInt8]) -> Bool
    /// Returns the next 64-byte packet, waiting at most `timeoutMilliseconds` (negative: forever);
    /// `nil` on timeout or when the device is gone.
    func read(timeoutMilliseconds: Int) -> [UInt8]?
    /// Ends the session.
    func close()
}

/// A device this process provides itself, listed beside libfido2's manifest and opened through
/// the same calls.
public protocol InjectedDevice: Sendable {
    /// How the device appears in listings; its `path` is how it is opened.
    var descriptor: DeviceDescriptor { get }
    /// Starts a session, or returns `nil` when the device cannot be opened now.
    func open() -> (any HIDReportIO)?
}
