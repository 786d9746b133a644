import Synchronization

/// The devices injected into this process (software authenticators, replayed recordings).
///
/// libfido2's `open` callback receives only a path, so the registry maps paths to devices.
public enum DeviceRegistry {
    private static let devices = Mutex<[String: any InjectedDevice]>([:])

    /// Adds (or replaces) a device under its descriptor's path.
    public static func register(_ device: any InjectedDevice) {
        Self.devices.withLock { $0[device.descriptor.path] = device }
    }

    /// Removes the device at `path`.
    public static func unregister(path: String) {
        _ = Self.devices.withLock { $0.removeValue(forKey: path) }
    }

    /// The injected devices, ordered by path.
    public static var descriptors: [DeviceDescriptor] {
        Self.devices.withLock { $0.values.map(\.descriptor) }.sorted { $0.path < $1.path }
    }

    static func device(at path: String) -> (any InjectedDevice)? {
        Self.devices.withLock { $0[path] }
    }
}
