import Foundation
import MFAPolicy

/// The sign-in page and the second-factor page.
enum SignInPages {
    static func signIn(csrf: String?, error: String? = nil) -> String {
        Layout.page(
            title: "Sign in",
            csrf: csrf,
            viewer: .init(signedIn: false, isAdmin: false),
            body: (error.map { Layout.notice("error", $0, id: "error") } ?? "")
                + Layout.form(
                    "/signin",
                    csrf: csrf,
                    id: "signin-form",
                    """
                    <label>E-mail <input type="email" name="email" id="email" autocomplete="username webauthn" required></label>
                    <label>Password <input type="password" name="password" id="password" autocomplete="current-password" required></label>
                    <button type="submit" id="signin">Sign in</button>
                    """
                )
        )
    }

    /// The factors a member can use, each with its way in.
    static func mfa(
        csrf: String?,
        factors: [String],
        error: String? = nil,
        smsSentTo: String? = nil,
        push: (number: Int, expiresAt: Date)? = nil
    ) -> String {
        var sections: [HTML] = []
        if let error { sections.append(Layout.notice("error", error, id: "error")) }
        if let push {
            sections.append(
                HTML(
                    trusted: """
                        <section class="card" id="push-waiting" data-push-poll="/api/mfa/push/status">
                        <h2>Approve on your phone</h2>
                        <p>Open the request on your phone and type this number:</p>
                        <p class="number" id="push-number">\(push.number)</p>
                        <p class="muted" id="push-state">Waiting for your phone…</p>
                        </section>
                        """
                )
            )
        }
        let kinds = Set(factors)
        if kinds.contains(FactorKind.securityKey.rawValue) || kinds.contains(FactorKind.platformAuthenticator.rawValue)
        {
            sections.append(
                """
                <section class="card"><h2>Security key or this device</h2>
                <p>Use your security key, or this device's fingerprint or face.</p>
                <button type="button" id="webauthn-signin" data-webauthn="signin">Use security key or biometrics</button>
                <p class="notice error hidden" id="webauthn-error" role="alert"></p>
                </section>
                """
            )
        }
        if kinds.contains(FactorKind.push.rawValue) && push == nil {
            sections.append(
                "<section class=\"card\"><h2>Phone approval</h2>"
                    + Layout.form(
                        "/mfa/push",
                        csrf: csrf,
                        id: "push-form",
                        "<button type=\"submit\" id=\"push-start\">Send a request to my phone</button>"
                    )
                    + "</section>"
            )
        }
        if kinds.contains(FactorKind.otp.rawValue) {
            sections.append(
                "<section class=\"card\"><h2>Authenticator app</h2>"
                    + Layout.form(
                        "/mfa/totp",
                        csrf: csrf,
                        id: "totp-form",
                        """
                        <label>Code from your app <input name="code" id="totp-code" inputmode="numeric" autocomplete="one-time-code" required></label>
                        <button type="submit" id="totp-submit">Verify</button>
                        """
                    ) + "</section>"
            )
        }
        if kinds.contains(FactorKind.sms.rawValue) {
            var body: HTML = "<section class=\"card\"><h2>Text message</h2>"
            if let smsSentTo {
                body =
                    body + HTML(trusted: "<p id=\"sms-sent\">We sent a code to \(HTML.text(smsSentTo)).</p>")
                    + Layout.form(
                        "/mfa/sms/verify",
                        csrf: csrf,
                        id: "sms-form",
                        """
                        <label>Code <input name="code" id="sms-code" inputmode="numeric" autocomplete="one-time-code" required></label>
                        <button type="submit" id="sms-submit">Verify</button>
                        """
                    )
            } else {
                body =
                    body
                    + Layout.form(
                        "/mfa/sms/send",
                        csrf: csrf,
                        id: "sms-send-form",
                        "<button type=\"submit\" id=\"sms-send\">Text me a code</button>"
                    )
            }
            sections.append(body + "</section>")
        }
        if kinds.contains(FactorKind.recoveryCode.rawValue) {
            sections.append(
                "<section class=\"card\"><h2>Recovery code</h2>"
                    + Layout.form(
                        "/mfa/recovery",
                        csrf: csrf,
                        id: "recovery-form",
                        """
                        <label>Recovery code <input name="code" id="recovery-code-input" autocomplete="off" required></label>
                        <button type="submit" id="recovery-submit">Use recovery code</button>
                        """
                    ) + "</section>"
            )
        }
        if factors.isEmpty {
            sections.append(
                Layout.notice("warning", "None of your factors is enabled for your team. Ask an administrator.")
            )
        }
        return Layout.page(
            title: "Verify it's you",
            csrf: csrf,
            viewer: .init(signedIn: false, isAdmin: false),
            body: HTML.join(sections)
        )
    }
}
