internal import CFIDO2
import Dispatch
import Synchronization

extension Device {
    /// Asks every key in `devices` to blink and returns the one the person touches; the others
    /// are cancelled. This is how "which of these keys?" is answered. Cancelling the task
    /// cancels every key's request (CTAPHID CANCEL) within about 50 ms.
    ///
    /// - Parameters:
    ///   - timeoutMilliseconds: how long to wait for a touch in all.
    /// - Throws: ``FIDO2Error`` `actionTimeout` when no key is touched in time, `keepaliveCancel`
    ///   when the task is cancelled.
    public static func selectByTouch(_ devices: [Device], timeoutMilliseconds: Int = 15_000) async throws(FIDO2Error)
        -> Device
    {
        guard !devices.isEmpty else { throw FIDO2Error(code: .notFound, operation: "select") }
        let cancelled = SelectionCancellation()
        let result: Result<Int, FIDO2Error> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    continuation.resume(
                        returning: Result { () throws(FIDO2Error) -> Int in
                            try Self.selectBlocking(
                                devices,
                                timeoutMilliseconds: timeoutMilliseconds,
                                cancelled: cancelled
                            )
                        }
                    )
                }
            }
        } onCancel: {
            cancelled.flag.store(true, ordering: .releasing)
        }
        let index = try result.get()
        guard devices.indices.contains(index) else { throw FIDO2Error(code: .internal, operation: "select") }
        return devices[index]
    }

    private static func selectBlocking(
        _ devices: [Device],
        timeoutMilliseconds: Int,
        cancelled: SelectionCancellation
    ) throws(FIDO2Error) -> Int {
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
        let budget = UInt64(max(timeoutMilliseconds, 0)).multipliedReportingOverflow(by: 1_000_000)
        let (deadline, late) = DispatchTime.now().uptimeNanoseconds.addingReportingOverflow(
            budget.overflow ? UInt64.max : budget.partialValue
        )
        while late || DispatchTime.now().uptimeNanoseconds < deadline, !waiting.isEmpty {
            if cancelled.flag.load(ordering: .acquiring) {
                throw FIDO2Error(code: .keepaliveCancel, operation: "select")
            }
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

/// Set when the task waiting in ``Device/selectByTouch(_:timeoutMilliseconds:)`` is cancelled.
private final class SelectionCancellation: Sendable {
    let flag = Atomic<Bool>(false)
}
