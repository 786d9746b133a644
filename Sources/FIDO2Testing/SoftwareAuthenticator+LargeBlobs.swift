import CBOR
import Crypto

extension SoftwareAuthenticator {
    /// The serialized large-blob array of a fresh authenticator: an empty CBOR array (`0x80`)
    /// followed by LEFT(SHA-256(`0x80`), 16) (CTAP 2.1 §6.10.2).
    static let emptyLargeBlobArray: [UInt8] = [0x80] + Array(SHA256.hash(data: [0x80])).prefix(16)

    /// authenticatorLargeBlobs (CTAP 2.1 §6.10): reads a fragment of the serialized array, or
    /// writes one, committing the new array once every byte has arrived and its checksum holds.
    func largeBlobs(_ parameters: CBORMap) throws -> CBORMap? {
        guard let offset = try parameters.required(3).integer, offset >= 0 else { throw CTAPStatus.invalidParameter }
        let fragmentLimit = self.configuration.maxMessageSize - 64
        switch (parameters[1], parameters[2]) {
        case (.some(let get), nil):
            guard let count = get.integer, count >= 0 else { throw CTAPStatus.cborUnexpectedType }
            guard parameters[4] == nil else { throw CTAPStatus.invalidParameter }
            guard count <= fragmentLimit else { throw CTAPStatus.invalidLength }
            let array = self.withState { $0.largeBlobArray }
            guard offset <= array.count else { throw CTAPStatus.invalidParameter }
            return [1: .byteString(Array(array[offset..<min(array.count, offset + count)]))]
        case (nil, .some(let set)):
            guard let fragment = set.bytes else { throw CTAPStatus.cborUnexpectedType }
            guard fragment.count <= fragmentLimit else { throw CTAPStatus.invalidLength }
            try self.writeLargeBlobFragment(fragment, offset: offset, parameters: parameters)
            return nil
        default:
            throw CTAPStatus.invalidParameter
        }
    }

    private func writeLargeBlobFragment(_ fragment: [UInt8], offset: Int, parameters: CBORMap) throws {
        if offset == 0 {
            guard let length = try parameters.required(4).integer else { throw CTAPStatus.cborUnexpectedType }
            guard length <= self.configuration.maxLargeBlobArraySize else { throw CTAPStatus.largeBlobStorageFull }
            guard length >= 17 else { throw CTAPStatus.invalidParameter }
            self.withState { $0.pendingLargeBlob = (expectedLength: length, bytes: []) }
        } else if parameters[4] != nil {
            throw CTAPStatus.invalidParameter
        }
        // Writes need the PIN once one is set: 32×0xff ‖ 0x0c 0x00 ‖ uint32LE(offset) ‖ SHA-256(fragment).
        if self.withState({ $0.pinHash != nil }) || parameters[5] != nil {
            guard parameters[5] != nil else { throw CTAPStatus.pinRequired }
            let offsetBytes = (0..<4).map { UInt8(truncatingIfNeeded: UInt32(offset) >> (8 * $0)) }
            let message =
                [UInt8](repeating: 0xff, count: 32) + [0x0c, 0x00] + offsetBytes
                + Array(SHA256.hash(data: fragment))
            _ = try self.checkPINUVAuth(
                parameters,
                parameterKey: 5,
                protocolKey: 6,
                message: message,
                permission: Permission.largeBlobWrite,
                relyingPartyID: nil
            )
        }
        try self.withState { state in
            guard var pending = state.pendingLargeBlob else { throw CTAPStatus.invalidSequence }
            guard offset == pending.bytes.count else { throw CTAPStatus.invalidSequence }
            guard pending.bytes.count + fragment.count <= pending.expectedLength else {
                throw CTAPStatus.invalidParameter
            }
            pending.bytes += fragment
            guard pending.bytes.count == pending.expectedLength else {
                state.pendingLargeBlob = pending
                return
            }
            state.pendingLargeBlob = nil
            let body = pending.bytes.dropLast(16)
            guard Array(SHA256.hash(data: Array(body)).prefix(16)) == Array(pending.bytes.suffix(16)) else {
                throw CTAPStatus.integrityFailure
            }
            state.largeBlobArray = pending.bytes
        }
    }
}
