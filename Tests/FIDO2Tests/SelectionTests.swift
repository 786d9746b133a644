import FIDO2
import FIDO2Testing
import Testing

/// "Which of these keys?": the key that is touched is the one chosen.
struct SelectionTests {
    @Test func theTouchedKeyIsChosen() async throws {
        let first = try await VirtualKey.open()
        let second = try await VirtualKey.open()
        defer {
            first.unregister()
            second.unregister()
        }
        first.authenticator.userPresence = .never
        second.authenticator.userPresence = .touchAfter(milliseconds: 200)
        let chosen = try await Device.selectByTouch([first.device, second.device], timeoutMilliseconds: 5_000)
        #expect(chosen.descriptor == second.device.descriptor)

        // With a PIN set, a touch still counts.
        try await first.device.setPIN("1234")
        first.authenticator.userPresence = .touch
        second.authenticator.userPresence = .never
        let again = try await Device.selectByTouch([first.device, second.device], timeoutMilliseconds: 5_000)
        #expect(again.descriptor == first.device.descriptor)
    }

    @Test func nobodyTouchesInTime() async throws {
        let key = try await VirtualKey.open()
        defer { key.unregister() }
        key.authenticator.userPresence = .never
        let error = await #expect(throws: FIDO2Error.self) { try await Device.selectByTouch([key.device], timeoutMilliseconds: 300) }
        #expect(error?.code == .actionTimeout)
    }

    /// Cancelling the task ends the wait at once (every key's request is cancelled), instead of
    /// waiting out the timeout; a huge timeout does not overflow.
    @Test func cancellingTheTaskEndsTheWait() async throws {
        let key = try await VirtualKey.open()
        defer { key.unregister() }
        key.authenticator.userPresence = .never
        let task = Task { try await Device.selectByTouch([key.device], timeoutMilliseconds: .max) }
        try await Task.sleep(for: .milliseconds(200))
        let start = ContinuousClock.now
        task.cancel()
        let result = await task.result
        #expect(ContinuousClock.now - start < .seconds(3))
        #expect((result.failure as? FIDO2Error)?.code == .keepaliveCancel)
    }
}
