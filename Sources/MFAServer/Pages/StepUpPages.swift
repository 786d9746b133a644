import Foundation
import MFAPolicy

/// "Confirm it's you": the page a sensitive change (removing a factor, a new recovery code,
/// adding members, tenant settings) shows when the session has not passed a second factor in
/// the last few minutes — the API's `step_up_required` as a form.
enum StepUpPages {
    /// The page, offering the member's usable factors (or the password when they have none);
    /// `next` is where to go once confirmed.
    static func confirm(
        csrf: String?,
        viewer: Layout.Viewer,
        factors: [String],
        next: String,
        error: String? = nil
    ) -> String {
        var parts: [HTML] = []
        if let error { parts.append(Layout.notice("error", error, id: "error")) }
        parts.append(
            HTML(
                trusted:
                    "<p id=\"step-up-required\">This change needs you to confirm it's you again: it has been more than a few minutes since your last second factor.</p>"
            )
        )
        let nextField = HTML(trusted: "<input type=\"hidden\" name=\"next\" value=\"\(HTML.text(next))\">")
        let kinds = Set(factors)
        if kinds.contains(FactorKind.otp.rawValue) {
            parts.append(
                "<section class=\"card\"><h2>Authenticator app</h2>"
                    + Layout.form(
                        "/profile/step-up",
                        csrf: csrf,
                        id: "step-up-totp-form",
                        nextField
                            + """
                            <input type="hidden" name="factor" value="otp">
                            <label>Code <input name="code" id="step-up-code" inputmode="numeric" autocomplete="one-time-code" required></label>
                            <button type="submit" id="step-up-totp">Confirm</button>
                            """
                    ) + "</section>"
            )
        }
        if kinds.contains(FactorKind.securityKey.rawValue) || kinds.contains(FactorKind.platformAuthenticator.rawValue)
        {
            parts.append(
                """
                <section class="card"><h2>Security key or this device</h2>
                <button type="button" id="webauthn-signin" data-webauthn="signin">Use security key or biometrics</button>
                <p class="notice error hidden" id="webauthn-error" role="alert"></p>
                </section>
                """
            )
        }
        if factors.isEmpty {
            parts.append(
                "<section class=\"card\"><h2>Your password</h2>"
                    + Layout.form(
                        "/profile/step-up",
                        csrf: csrf,
                        id: "step-up-password-form",
                        nextField
                            + """
                            <input type="hidden" name="factor" value="password">
                            <label>Password <input type="password" name="password" id="step-up-password" autocomplete="current-password" required></label>
                            <button type="submit" id="step-up-password-submit">Confirm</button>
                            """
                    ) + "</section>"
            )
        }
        if kinds.contains(FactorKind.recoveryCode.rawValue) {
            parts.append(
                "<section class=\"card\"><h2>Recovery code</h2>"
                    + Layout.form(
                        "/profile/step-up",
                        csrf: csrf,
                        id: "step-up-recovery-form",
                        nextField
                            + """
                            <input type="hidden" name="factor" value="recovery-code">
                            <label>Recovery code <input name="code" id="step-up-recovery-code" autocomplete="off" required></label>
                            <button type="submit" class="secondary" id="step-up-recovery">Use the recovery code</button>
                            """
                    ) + "</section>"
            )
        }
        return Layout.page(title: "Confirm it's you", csrf: csrf, viewer: viewer, body: HTML.join(parts))
    }

    /// Where a confirmed step-up may continue: one of the pages with sensitive forms.
    static func safeNext(_ next: String?) -> String {
        let allowed = ["/profile", "/tenant/members", "/tenant/settings"]
        return allowed.first { $0 == next } ?? "/profile"
    }
}
