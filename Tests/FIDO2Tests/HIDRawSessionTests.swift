import FIDO2
import FIDO2Testing
import Foundation
import Glibc
import Synchronization
import Testing
import WebAuthn

/// FIDOKit's own hidraw I/O, which real USB keys go through on Linux so that "touch your key"
/// can be reported: driven by libfido2 over a socket pair that behaves like a hidraw node.
struct HIDRawSessionTests {
    @Test func enrolAndSignInOverTheHIDRawLayerReportTheTouch() async throws {
        let authenticator = try SoftwareAuthenticator(configuration: .init(maxMessageSize: 400))
        authenticator.userPresence = .touchAfter(milliseconds: 250)
        let path = "fidokit-socket://\(UUID().uuidString)"
        DeviceRegistry.register(SocketHIDDevice(authenticator: authenticator, path: path))
        defer { DeviceRegistry.unregister(path: path) }
        let device = try await Device.open(path: path)

        let touched = Mutex(0)
        let made = try await device.makeCredential(
            MakeCredentialRequest(
                relyingPartyID: RelyingPartyFixture.id,
                userID: [1],
                clientDataHash: Array(repeating: 1, count: 32)
            ),
            touch: { touched.withLock { $0 += 1 } }
        )
        #expect(touched.withLock { $0 } == 1)
        let assertions = try await device.getAssertions(
            GetAssertionRequest(
                relyingPartyID: RelyingPartyFixture.id,
                clientDataHash: Array(repeating: 2, count: 32),
                allowCredentials: [made.credentialID]
            ),
            touch: { touched.withLock { $0 += 1 } }
        )
        #expect(touched.withLock { $0 } == 2)
        #expect(assertions.first?.credentialID == made.credentialID)
    }

    @Test func cancellingWhileWaitingForATouchReachesTheKey() async throws {
        let authenticator = try SoftwareAuthenticator()
        authenticator.userPresence = .never
        let path = "fidokit-socket://\(UUID().uuidString)"
        DeviceRegistry.register(SocketHIDDevice(authenticator: authenticator, path: path))
        defer { DeviceRegistry.unregister(path: path) }
        let device = try await Device.open(path: path)
        let waiting = Mutex(false)
        let task = Task {
            try await device.makeCredential(
                MakeCredentialRequest(relyingPartyID: "example.org", userID: [1], clientDataHash: Array(repeating: 1, count: 32)),
                touch: { waiting.withLock { $0 = true } }
            )
        }
        while !waiting.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
        task.cancel()
        let error = await #expect(throws: FIDO2Error.self) { try await task.value }
        #expect(error?.code == .keepaliveCancel)
    }

    @Test func aNodeAnotherProgramHoldsIsNotOpened() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("hidraw-\(UUID().uuidString)")
        try Data(count: 64).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let first = try #require(HIDRawSession.open(path: file.path))
        #expect(HIDRawSession.open(path: file.path) == nil)
        first.close()
        let again = try #require(HIDRawSession.open(path: file.path))
        again.close()
        #expect(HIDRawSession.open(path: "/nonexistent/hidraw") == nil)
    }

    @Test func readsTimeOutAndWritesRefuseOddSizes() throws {
        var pair: [Int32] = [-1, -1]
        #expect(socketpair(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue), 0, &pair) == 0)
        let session = HIDRawSession(fileDescriptor: pair[0])
        defer {
            session.close()
            _ = Glibc.close(pair[1])
        }
        #expect(session.read(timeoutMilliseconds: 20) == nil)
        #expect(session.write([1, 2, 3]) == false)
        #expect(session.write(Array(repeating: 7, count: 64)))
        var report = [UInt8](repeating: 0, count: 65)
        #expect(report.withUnsafeMutableBytes { Glibc.read(pair[1], $0.baseAddress, 65) } == 65)
        #expect(report == [0] + Array(repeating: 7, count: 64))
        // A short report is not a packet.
        _ = [UInt8](repeating: 1, count: 10).withUnsafeBytes { Glibc.write(pair[1], $0.baseAddress, 10) }
        #expect(session.read(timeoutMilliseconds: 100) == nil)
        let packet = [UInt8](repeating: 9, count: 64)
        _ = packet.withUnsafeBytes { Glibc.write(pair[1], $0.baseAddress, 64) }
        #expect(session.read(timeoutMilliseconds: 100) == packet)
        session.close()
        #expect(session.read(timeoutMilliseconds: 10) == nil)
        #expect(session.write(packet) == false)
    }
}
