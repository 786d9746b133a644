import Foundation
import MFAPolicy

/// Tenant → Members and Tenant → Settings.
enum TenantPages {
    static func members(
        csrf: String?,
        viewer: Layout.Viewer,
        list: APIModels.MemberList,
        error: String? = nil,
        notice: String? = nil
    )
        -> String
    {
        var rows: [HTML] = []
        for member in list.members {
            let kinds = member.factorKinds.map(ProfilePages.label).joined(separator: ", ")
            rows.append(
                HTML(
                    trusted: """
                        <tr data-email="\(HTML.text(member.email))">
                        <td>\(HTML.text(member.displayName))<br><span class="muted">\(HTML.text(member.email))</span></td>
                        <td>\(HTML.text(member.role))</td>
                        <td><span class="badge \(member.mfaEnabled ? "on" : "off") mfa-indicator" data-mfa="\(member.mfaEnabled ? "on" : "off")">\(member.mfaEnabled ? "MFA on" : "MFA off")</span>
                        <span class="muted">\(HTML.text(kinds))</span>\(member.warnings.contains("may_lose_access") ? " <span class=\"badge warn\">single factor</span>" : "")</td>
                        </tr>
                        """
                )
            )
        }
        return Layout.page(
            title: "Members",
            csrf: csrf,
            viewer: viewer,
            body: (error.map { Layout.notice("error", $0, id: "error") } ?? "")
                + (notice.map { Layout.notice("info", $0, id: "notice") } ?? "")
                + "<div class=\"table\"><table id=\"members\"><thead><tr><th>Member</th><th>Role</th><th>MFA</th></tr></thead><tbody>"
                + HTML.join(rows) + "</tbody></table></div><h2>Add a member</h2>"
                + Layout.form(
                    "/tenant/members",
                    csrf: csrf,
                    id: "add-member-form",
                    """
                    <label>E-mail <input type="email" name="email" id="member-email" required></label>
                    <label>Name <input name="displayName" id="member-name"></label>
                    <label>First password <input type="password" name="password" id="member-password" minlength="8" required></label>
                    <label>Role <select name="role" id="member-role"><option value="member">Member</option><option value="admin">Admin</option></select></label>
                    <button type="submit" id="add-member">Add member</button>
                    """
                )
        )
    }

    static func settings(
        csrf: String?,
        viewer: Layout.Viewer,
        settings: APIModels.Settings,
        error: String? = nil,
        notice: String? = nil
    )
        -> String
    {
        var switches: [HTML] = []
        for kind in FactorKind.allCases {
            let checked = settings.enabledFactors.contains(kind.rawValue) ? " checked" : ""
            switches.append(
                HTML(
                    trusted:
                        "<label class=\"switch\"><input type=\"checkbox\" name=\"factor\" value=\"\(kind.rawValue)\" id=\"factor-\(kind.rawValue)\"\(checked)> \(HTML.text(ProfilePages.label(kind.rawValue)))</label>"
                )
            )
        }
        let paid = settings.plan == "paid"
        return Layout.page(
            title: "Settings",
            csrf: csrf,
            viewer: viewer,
            body: (error.map { Layout.notice("error", $0, id: "error") } ?? "")
                + (notice.map { Layout.notice("info", $0, id: "notice") } ?? "")
                + Layout.form(
                    "/tenant/settings",
                    csrf: csrf,
                    id: "settings-form",
                    "<fieldset><legend>Factors members may use</legend>" + HTML.join(switches) + "</fieldset>"
                        + HTML(
                            trusted: """
                                <label>Plan <select name="plan" id="plan"><option value="free"\(paid ? "" : " selected")>Free</option><option value="paid"\(paid ? " selected" : "")>Paid (SMS available)</option></select></label>
                                <label class="switch"><input type="checkbox" name="requireMfa" value="on" id="require-mfa"\(settings.requireMfa ? " checked" : "")> Require MFA for every member</label>
                                <label>Grace period for members without a factor (days) <input type="number" name="mfaGracePeriodDays" id="mfa-grace-days" min="0" max="90" value="\(settings.mfaGracePeriodDays ?? 0)"></label>
                                <button type="submit" id="save-settings">Save</button>
                                """
                        )
                )
        )
    }
}
