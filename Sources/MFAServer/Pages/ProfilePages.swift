import Foundation
import MFAPolicy

/// Your Profile → Multi-factor authentication, and the enrollment steps that show something once.
enum ProfilePages {
    static func label(_ kind: String) -> String {
        switch FactorKind(rawValue: kind) {
        case .securityKey: return "Security key"
        case .platformAuthenticator: return "This device's biometrics"
        case .otp: return "Authenticator app"
        case .sms: return "Text message"
        case .push: return "Phone approval"
        case .recoveryCode: return "Recovery code"
        case nil: return kind
        }
    }

    /// What the page says when the tenant requires MFA and the member has no factor yet.
    static func enrollmentNotice(_ factors: APIModels.MemberFactorsResponse, restricted: Bool) -> String? {
        guard factors.enrollmentRequired else { return nil }
        if restricted || factors.enrollBy.map({ $0 <= Date() }) ?? true {
            return "Your organisation requires multi-factor authentication. Add a factor below to continue;"
                + " until then you can only add one or sign out."
        }
        let date = factors.enrollBy.map { $0.formatted(.iso8601.year().month().day()) } ?? ""
        return "Your organisation requires multi-factor authentication: add a factor by \(date)."
            + " After that date you will only be able to add one or sign out until you do."
    }

    /// A recovery code to write down, shown once.
    static func recoveryCodeBox(_ code: String, replaced: Bool) -> HTML {
        HTML(
            trusted: """
                <section class="card highlight" id="recovery-code-box">
                <h2>\(replaced ? "Your new recovery code" : "Your recovery code")</h2>
                <p>Write it down and keep it safe. It is shown only now, and works once: using it gives you a new one.</p>
                <p class="code" id="recovery-code">\(HTML.text(code))</p>
                </section>
                """
        )
    }

    static func profile(
        csrf: String?,
        viewer: Layout.Viewer,
        factors: APIModels.MemberFactorsResponse,
        notice: String? = nil,
        error: String? = nil,
        recoveryCode: (code: String, replaced: Bool)? = nil,
        restricted: Bool = false
    ) -> String {
        var parts: [HTML] = []
        if let error { parts.append(Layout.notice("error", error, id: "error")) }
        if let requirement = Self.enrollmentNotice(factors, restricted: restricted) {
            parts.append(Layout.notice(restricted ? "error" : "warning", requirement, id: "enrollment-required"))
        }
        if let notice { parts.append(Layout.notice("info", notice, id: "notice")) }
        if let recoveryCode { parts.append(Self.recoveryCodeBox(recoveryCode.code, replaced: recoveryCode.replaced)) }
        // Filled in by the script after a WebAuthn enrollment that brought the first recovery code.
        parts.append(
            """
            <section class="card highlight hidden" id="webauthn-recovery-box"><h2>Your recovery code</h2>
            <p>Write it down and keep it safe. It is shown only now.</p><p class="code" id="webauthn-recovery-code"></p></section>
            """
        )
        parts.append(
            HTML(
                trusted:
                    "<h2>Multi-factor authentication <span class=\"badge \(factors.mfaEnabled ? "on" : "off")\" id=\"mfa-status\">\(factors.mfaEnabled ? "On" : "Off")</span></h2>"
            )
        )
        for warning in factors.warnings {
            parts.append(Layout.notice("warning", warning.message, id: "warning-\(warning.code)"))
        }
        if factors.factors.isEmpty {
            parts.append("<p id=\"no-factors\">You have no second factor yet.</p>")
        } else {
            var rows: [HTML] = []
            for factor in factors.factors {
                rows.append(
                    HTML(
                        trusted: """
                            <li class="factor" data-kind="\(HTML.text(factor.kind))" data-id="\(HTML.text(factor.id))">
                            <span><strong>\(HTML.text(Self.label(factor.kind)))</strong> \(HTML.text(factor.name ?? ""))</span>
                            """
                    )
                        + Layout.form(
                            "/profile/factors/\(factor.id)/remove",
                            csrf: csrf,
                            "<button type=\"submit\" class=\"secondary remove\">Remove</button>"
                        ) + "</li>"
                )
            }
            parts.append("<ul class=\"factors\" id=\"factor-list\">" + HTML.join(rows) + "</ul>")
        }
        if factors.mfaEnabled {
            parts.append(
                HTML(
                    trusted:
                        "<p>Recovery code: <span id=\"recovery-status\">\(factors.hasRecoveryCode ? "ready" : "none")</span></p>"
                )
                    + Layout.form(
                        "/profile/recovery-code",
                        csrf: csrf,
                        id: "recovery-regenerate",
                        HTML(
                            trusted:
                                "<button type=\"submit\" class=\"secondary\" id=\"recovery-generate\">\(factors.hasRecoveryCode ? "Make a new recovery code" : "Create a recovery code")</button>"
                        )
                    )
            )
        }
        parts.append("<h2>Add a factor</h2>")
        parts.append("<p class=\"notice error hidden\" id=\"webauthn-error\" role=\"alert\"></p>")
        let enrollable = Set(factors.enrollable)
        if enrollable.contains(FactorKind.securityKey.rawValue) {
            parts.append(
                """
                <section class="card"><h3>Security key</h3><p>A YubiKey or other FIDO2 key, over USB or NFC.</p>
                <label>Name <input id="security-key-name" value="Security key" maxlength="64"></label>
                <button type="button" id="enroll-security-key" data-webauthn="enroll" data-attachment="cross-platform" data-name-field="security-key-name">Add a security key</button></section>
                """
            )
        }
        if enrollable.contains(FactorKind.platformAuthenticator.rawValue) {
            parts.append(
                """
                <section class="card"><h3>This device's biometrics</h3><p>Touch ID, Windows Hello or your phone's screen lock.</p>
                <button type="button" id="enroll-platform" data-webauthn="enroll" data-attachment="platform">Use this device</button></section>
                """
            )
        } else if enrollable.contains(FactorKind.securityKey.rawValue) || enrollable.contains(FactorKind.otp.rawValue) {
            parts.append(
                "<p class=\"muted\" id=\"platform-unavailable\">This device's biometrics can be added once you have another factor.</p>"
            )
        }
        if enrollable.contains(FactorKind.otp.rawValue) {
            parts.append(
                "<section class=\"card\"><h3>Authenticator app</h3>"
                    + Layout.form(
                        "/profile/totp",
                        csrf: csrf,
                        id: "totp-start-form",
                        "<button type=\"submit\" id=\"enroll-totp\">Set up an authenticator app</button>"
                    )
                    + "</section>"
            )
        }
        if enrollable.contains(FactorKind.sms.rawValue) {
            parts.append(
                "<section class=\"card\"><h3>Text message</h3>"
                    + Layout.form(
                        "/profile/sms",
                        csrf: csrf,
                        id: "sms-start-form",
                        """
                        <label>Phone number (with country code) <input type="tel" name="phone" id="sms-phone" placeholder="+44 7700 900123" required></label>
                        <button type="submit" id="enroll-sms">Send a code</button>
                        """
                    ) + "</section>"
            )
        }
        if enrollable.contains(FactorKind.push.rawValue) {
            parts.append(
                "<section class=\"card\"><h3>Phone approval</h3>"
                    + Layout.form(
                        "/profile/push",
                        csrf: csrf,
                        id: "push-start-form",
                        "<button type=\"submit\" id=\"enroll-push\">Add a phone</button>"
                    )
                    + "</section>"
            )
        }
        return Layout.page(title: "Your profile", csrf: csrf, viewer: viewer, body: HTML.join(parts))
    }

    static func totp(csrf: String?, viewer: Layout.Viewer, enrollment: APIModels.TOTPEnrollment, error: String? = nil)
        -> String
    {
        Layout.page(
            title: "Set up an authenticator app",
            csrf: csrf,
            viewer: viewer,
            body: (error.map { Layout.notice("error", $0, id: "error") } ?? "")
                + HTML(
                    trusted: """
                        <p>Scan this code with your authenticator app, then type the code it shows.</p>
                        <div class="qr" id="totp-qr">\(enrollment.qrSvg)</div>
                        <p>Or type this secret: <code id="totp-secret">\(HTML.text(enrollment.secret))</code></p>
                        """
                )
                + Layout.form(
                    "/profile/totp/confirm",
                    csrf: csrf,
                    id: "totp-confirm-form",
                    HTML(
                        trusted: """
                            <label>Code <input name="code" id="totp-confirm-code" inputmode="numeric" autocomplete="one-time-code" required></label>
                            <button type="submit" id="totp-confirm">Confirm</button>
                            """
                    )
                )
        )
    }

    static func smsConfirm(csrf: String?, viewer: Layout.Viewer, maskedPhone: String, error: String? = nil) -> String {
        Layout.page(
            title: "Confirm your number",
            csrf: csrf,
            viewer: viewer,
            body: (error.map { Layout.notice("error", $0, id: "error") } ?? "")
                + HTML(trusted: "<p id=\"sms-sent\">We sent a code to \(HTML.text(maskedPhone)).</p>")
                + Layout.form(
                    "/profile/sms/confirm",
                    csrf: csrf,
                    id: "sms-confirm-form",
                    HTML(
                        trusted: """
                            <input type="hidden" name="masked" value="\(HTML.text(maskedPhone))">
                            <label>Code <input name="code" id="sms-confirm-code" inputmode="numeric" autocomplete="one-time-code" required></label>
                            <button type="submit" id="sms-confirm">Confirm</button>
                            """
                    )
                )
        )
    }

    static func push(csrf: String?, viewer: Layout.Viewer, enrollment: APIModels.PushEnrollment) -> String {
        Layout.page(
            title: "Add a phone",
            csrf: csrf,
            viewer: viewer,
            body: HTML(
                trusted: """
                    <p>Scan this code with the FIDOKit phone app within ten minutes. The phone appears in your factors once it has registered.</p>
                    <div class="qr" id="push-qr">\(enrollment.qrSvg)</div>
                    <p class="muted">Enrollment link: <code id="push-uri">\(HTML.text(enrollment.uri))</code></p>
                    <p><a href="/profile" id="push-done">Done</a></p>
                    """
            )
        )
    }
}
