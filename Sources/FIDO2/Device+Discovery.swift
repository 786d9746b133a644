internal import CFIDO2

extension Device {
    /// Every authenticator this process can open: libfido2's manifest (USB, and NFC where
    /// libfido2 reports it) followed by the injected devices.
    public static func list(maximum: Int = 64) throws(FIDO2Error) -> [DeviceDescriptor] {
        let list = try OwnedHandle.deviceInfoList(capacity: maximum)
        var found = 0
        let hardware = try list.withUnsafeHandle { pointer throws(FIDO2Error) -> [DeviceDescriptor] in
            try FIDO2Error.check(fido_dev_info_manifest(pointer, maximum, &found), "fido_dev_info_manifest")
            return (0..<found).compactMap { index in
                guard let entry = fido_dev_info_ptr(pointer, index), let path = copyString(fido_dev_info_path(entry))
                else {
                    return nil
                }
                return DeviceDescriptor(
                    path: path,
                    vendorID: UInt16(bitPattern: fido_dev_info_vendor(entry)),
                    productID: UInt16(bitPattern: fido_dev_info_product(entry)),
                    manufacturer: copyString(fido_dev_info_manufacturer_string(entry)) ?? "",
                    product: copyString(fido_dev_info_product_string(entry)) ?? "",
                    transport: path.hasPrefix("nfc:") || path.hasPrefix("pcsc:") ? .nfc : .usb
                )
            }
        }
        return hardware + DeviceRegistry.descriptors
    }
}
