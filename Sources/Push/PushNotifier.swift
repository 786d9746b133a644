public import Foundation
import Synchronization

/// A notification asking a phone to answer a sign-in.
public struct PushNotification: Sendable, Hashable, Codable {
    public var deviceToken: String
    public var transactionID: String
    public var context: PushTransaction.Context
    /// Until when the phone can answer.
    public var expiresAt: Date

    /// The notification for `transaction` on `device`.
    public init(device: PushDevice, transaction: PushTransaction) {
        self.deviceToken = device.pushToken
        self.transactionID = transaction.id
        self.context = transaction.context
        self.expiresAt = transaction.expiresAt
    }
}

/// Delivers push notifications (APNs, FCM, or a local inbox). Failures are reported.
public protocol PushNotifier: Sendable {
    /// Sends `notification`.
    ///
    /// - Throws: ``PushDeliveryError`` when the service did not take it.
    func send(_ notification: PushNotification) async throws(PushDeliveryError)
}

/// A push service refused or could not be reached.
public struct PushDeliveryError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "The push notification could not be delivered: \(self.reason)." }
}

/// The embedded default: keeps notifications in memory by device token, where the device
/// simulator (`fidoctl push-device`) or a test collects them.
public final class LocalPushNotifier: PushNotifier {
    private let inboxes = Mutex<[String: [PushNotification]]>([:])

    /// Creates an empty notifier.
    public init() {}

    /// The most notifications kept per phone (the newest; a phone is asked only while its
    /// transaction is open, and a member has few open at once).
    public static let inboxLimit = 20

    public func send(_ notification: PushNotification) async throws(PushDeliveryError) {
        let now = Date()
        self.inboxes.withLock { inboxes in
            var inbox = inboxes[notification.deviceToken, default: []].filter { $0.expiresAt > now }
            inbox.append(notification)
            inboxes[notification.deviceToken] = Array(inbox.suffix(Self.inboxLimit))
        }
    }

    /// The notifications waiting for `deviceToken` that have not expired at `now`, oldest first,
    /// left in place (a phone that lists its requests can still answer them).
    public func waiting(deviceToken: String, at now: Date = Date()) -> [PushNotification] {
        self.inboxes.withLock { inboxes in
            let live = (inboxes[deviceToken] ?? []).filter { $0.expiresAt > now }
            inboxes[deviceToken] = live.isEmpty ? nil : live
            return live
        }
    }

    /// Takes the notifications waiting for `deviceToken`.
    public func collect(deviceToken: String) -> [PushNotification] {
        self.inboxes.withLock { $0.removeValue(forKey: deviceToken) ?? [] }
    }
}
