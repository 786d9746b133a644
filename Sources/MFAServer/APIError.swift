import Foundation
public import HTTPTypes
import MFAFactors
import MFAPolicy
import MFAStore
import Push
import SMS
import WebAuthn

/// An error the API answers as `{"error": {"code", "message"}}` with an HTTP status. Errors of
/// the lower layers map onto it with their own codes (the WebAuthn codes are the verifier's).
public struct APIError: Error, Sendable, Hashable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    /// Seconds after which a throttled request may be retried.
    public var retryAfter: Int?

    /// Creates an error.
    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }

    static let csrfMissing = APIError(.forbidden, "csrf_token_invalid", "The request lacks a valid X-CSRF-Token.")
    static let notSignedIn = APIError(.unauthorized, "not_signed_in", "Sign in first.")
    static let mfaNotPending = APIError(.conflict, "mfa_not_pending", "No second factor is due in this session.")
    /// `mfa_not_pending` for a step that needs one started first (an SMS code sent, a push request).
    static func mfaStepNotStarted(_ what: String) -> APIError {
        APIError(
            .conflict,
            "mfa_not_pending",
            "No \(what) is under way in this session: start one, or use another factor."
        )
    }
    /// A confirm step (`…/verify`, `…/confirm`) of an enrollment this session did not start.
    static let enrollmentNotPending = APIError(
        .conflict,
        "enrollment_not_pending",
        "No enrollment of this factor is under way in this session; start it again."
    )
    static let sessionExpired = APIError(.unauthorized, "session_expired", "The session expired; sign in again.")
    static let invalidCredentials = APIError(
        .unauthorized,
        "invalid_credentials",
        "The e-mail address or password is wrong."
    )
    static let forbidden = APIError(.forbidden, "forbidden", "This needs an administrator of the tenant.")
    static let tooManyAttempts = APIError(
        .tooManyRequests,
        "too_many_attempts",
        "Too many failed attempts; wait a few minutes.",
        retryAfter: 300
    )
    static let enrollmentRequired = APIError(
        .forbidden,
        "mfa_enrollment_required",
        "This tenant requires multi-factor authentication: enroll a factor first (GET /api/me/factors says which)."
    )
    static let mfaRequiredNow = APIError(
        .conflict,
        "mfa_required",
        "A factor is enrolled on this account now: pass it (the session waits for it, as after a password)."
    )
    static let stepUpRequired = APIError(
        .forbidden,
        "step_up_required",
        "Confirm it's you: pass a second factor again (POST /api/session/step-up), then retry."
    )
    static func smsLimit(_ code: String, _ message: String, retryAfter: Date) -> APIError {
        APIError(
            .tooManyRequests,
            code,
            message,
            retryAfter: max(1, Int(retryAfter.timeIntervalSinceNow.rounded(.up)))
        )
    }
    static let codeRejected = APIError(.unauthorized, "code_rejected", "The code is wrong or was already used.")
    static func badRequest(_ message: String) -> APIError { APIError(.badRequest, "bad_request", message) }
    static let bodyTooLarge = APIError(.contentTooLarge, "body_too_large", "The request body is larger than 64 KiB.")
    static let notFound = APIError(.notFound, "not_found", "There is no such thing here.")
    /// The request body ended before its announced length, or its connection failed mid-body:
    /// the client's doing, never a server fault (no 500, no error log, no security event).
    static let bodyIncomplete = APIError(
        .badRequest,
        "body_incomplete",
        "The request body ended early or could not be read."
    )

    /// The API's view of any error a handler throws.
    static func from(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as WebAuthnError:
            return APIError(.badRequest, error.code.rawValue, error.message)
        case let error as FactorError:
            switch error {
            case .factorNotFound: return APIError(.notFound, error.code, error.description)
            case .credentialExists: return APIError(.conflict, error.code, error.description)
            case .firstFactorTaken: return APIError(.forbidden, error.code, error.description)
            case .factorChangeBusy, .deviceExists: return APIError(.conflict, error.code, error.description)
            default: return APIError(.badRequest, error.code, error.description)
            }
        case let error as PolicyError:
            if case .locked = error {
                return APIError(HTTPResponse.Status(code: 423, reasonPhrase: "Locked"), error.code, error.description)
            }
            if case .noSuchEnrollment = error { return APIError(.notFound, error.code, error.description) }
            if case .invalidGracePeriod = error { return APIError(.badRequest, error.code, error.description) }
            return APIError(.conflict, error.code, error.description)
        case let error as SMSError:
            switch error {
            case .invalidPhoneNumber: return APIError(.badRequest, "invalid_phone_number", error.description)
            case .throttled(let date):
                return APIError(
                    .tooManyRequests,
                    "sms_throttled",
                    error.description,
                    retryAfter: max(1, Int(date.timeIntervalSinceNow.rounded(.up)))
                )
            case .deliveryFailed: return APIError(.badGateway, "sms_delivery_failed", error.description)
            case .memberLimit(let date): return .smsLimit("sms_member_limit", error.description, retryAfter: date)
            case .tenantLimit(let date): return .smsLimit("sms_tenant_limit", error.description, retryAfter: date)
            }
        case let error as PushError:
            return APIError(.badRequest, error.code, error.description)
        case let error as PushDeliveryError:
            return APIError(.badGateway, "push_delivery_failed", error.description)
        case let error as AccountError:
            switch error {
            case .emailTaken: return APIError(.conflict, "email_taken", "A member with this e-mail address exists.")
            case .invalidEmail: return APIError(.badRequest, "invalid_email", "This is not an e-mail address.")
            case .internationalDomain:
                return APIError(
                    .badRequest,
                    "invalid_email",
                    "Give an internationalised domain in its ASCII form (xn--…), not in Unicode."
                )
            case .weakPassword:
                return APIError(
                    .badRequest,
                    "weak_password",
                    "Passwords need 8 to 1,024 characters, not all spaces, no control characters and no invisible formatting characters."
                )
            case .invalidDisplayName:
                return APIError(
                    .badRequest,
                    "invalid_text",
                    "The display name contains a control or formatting character."
                )
            case .displayNameTooLong:
                return APIError(.badRequest, "invalid_text", "The display name is longer than 128 characters.")
            }
        case is StoreError:
            return APIError(.serviceUnavailable, "storage_unavailable", "The store failed; try again.")
        case is DecodingError:
            return .badRequest("The request body is not the JSON this endpoint takes.")
        default:
            return APIError(.internalServerError, "internal_error", "Something went wrong.")
        }
    }
}
