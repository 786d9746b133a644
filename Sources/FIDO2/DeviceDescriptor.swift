/// A FIDO authenticator that can be opened: a USB or NFC key libfido2 found, or a device the
/// process injected (the software authenticator, a replayed recording).
public struct DeviceDescriptor: Sendable, Hashable, Codable, CustomStringConvertible {
    /// How the authenticator is reached.
    public enum Transport: String, Sendable, Hashable, Codable {
        case usb
        case nfc
        /// A device injected into this process (software authenticator, replay).
        case virtual
    }

    /// The path libfido2 opens (`/dev/hidraw3`, `nfc:…`, or `fidokit-virtual://…`).
    public var path: String
    /// The USB vendor id (0 when unknown).
    public var vendorID: UInt16
    /// The USB product id (0 when unknown).
    public var productID: UInt16
    /// The manufacturer string.
    public var manufacturer: String
    /// The product string.
    public var product: String
    /// How the authenticator is reached.
    public var transport: Transport

    /// Creates a descriptor.
    public init(
        path: String,
        vendorID: UInt16,
        productID: UInt16,
        manufacturer: String,
        product: String,
        transport: Transport
    ) {
        self.path = path
        self.vendorID = vendorID
        self.productID = productID
        self.manufacturer = manufacturer
        self.product = product
        self.transport = transport
    }

    public var description: String {
        "\(self.manufacturer) \(self.product) (\(self.path))"
    }
}
