internal import CFIDO2
import Dispatch

extension Device {
    /// Asks every key in `devices` to blink and returns the one the person touches; the others
    /// are cancelled. This is how "which of these keys?" is answered.
    ///
    /// - Parameters:
    ///   - timeoutMilliseconds: how long to wait for a touch in all.
    /// - Throws: ``FIDO2Error`` `actionTimeout` when no key is touched in time.
    public static func selectByTouch(_ devices: [Device], timeoutMilliseconds: Int = 15_000) async throws(FIDO2Error)
        -> Device
    {
        guard !devices.isEmpty else { throw FIDO2Error(code: .notFound, operation: "select") }
        let result: Result<Int, FIDO2Error> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(
                    returning: Result { () throws(FIDO2Error) -> Int in
                        try Self.selectBlocking(devices, timeoutMilliseconds: timeoutMilliseconds)
                    }
                )
            }
        }
        return devices[try result.get()]
    }

    private static func selectBlocking(_ devices: [Device], timeoutMilliseconds: Int) throws(FIDO2Error) -> Int {
        var waiting: [Int] = []
        for (index, device) in devices.enumerated() {
            let status = try? device.handle.withUnsafeHandle { pointer throws(FIDO2Error) in
                fido_dev_get_touch_begin(pointer)
            }
            if status == FIDO_OK { waiting.append(index) }
        }
        defer {
            // Cancel the keys nobody touched and read their "cancelled" answer, so that the next
            // request on each starts clean.
            for index in waiting {
                _ = try? devices[index].handle.withUnsafeHandle { pointer throws(FIDO2Error) in
                    _ = fido_dev_cancel(pointer)
                    var touched: Int32 = 0
                    _ = fido_dev_get_touch_status(pointer, &touched, 1_000)
                }
            }
        }
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(max(timeoutMilliseconds, 0)) * 1_000_000
        while DispatchTime.now().uptimeNanoseconds < deadline, !waiting.isEmpty {
            for index in waiting {
                var touched: Int32 = 0
                let status =
                    (try? devices[index].handle.withUnsafeHandle { pointer throws(FIDO2Error) in
                        fido_dev_get_touch_status(pointer, &touched, 50)
                    }) ?? FIDO_ERR_INTERNAL
                if touched != 0 {
                    waiting.removeAll { $0 == index }
                    return index
                }
                if status != FIDO_OK {
                    waiting.removeAll { $0 == index }
                }
            }
        }
        throw FIDO2Error(code: .actionTimeout, operation: "select")
    }
}
