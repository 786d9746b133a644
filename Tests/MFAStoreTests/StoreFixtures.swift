import Foundation
import MFAStore
import OTP
import Push
import RecoveryCode
import SMS
import Testing

// The factor records as the service will store them (the conformances live with the service;
// here they are the tests').
extension SMSChallenge: StorableRecord { public static let recordKind = "sms-challenge" }
extension PushTransaction: StorableRecord { public static let recordKind = "push-transaction" }

/// An OTP factor's replay state: the last accepted time step.
struct OTPFactorState: StorableRecord {
    static let recordKind = "otp-factor"
    var secret: [UInt8]
    var lastAcceptedStep: UInt64?
}

/// A member's live recovery code, as its scrypt hash.
struct RecoveryCodeRecord: StorableRecord {
    static let recordKind = "recovery-code"
    var hash: String
    var used: Bool
}

/// A WebAuthn challenge issued for one ceremony.
struct ChallengeRecord: StorableRecord {
    static let recordKind = "webauthn-challenge"
    var challenge: [UInt8]
    var consumed: Bool
}

/// A stored credential's signature counter.
struct CounterRecord: StorableRecord {
    static let recordKind = "webauthn-credential"
    var signCount: UInt32
}
