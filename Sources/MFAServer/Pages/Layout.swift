import Foundation

/// The frame every page shares: a readable single column that works on a phone, the CSRF token
/// for the scripts, the stylesheet and the one script file (no inline script or style: the
/// Content-Security-Policy forbids them).
enum Layout {
    /// Who is looking, for the navigation.
    struct Viewer {
        var signedIn: Bool
        var isAdmin: Bool
        var email: String?
    }

    static func page(title: String, csrf: String?, viewer: Viewer, body: HTML) -> String {
        var navigation: [HTML] = []
        if viewer.signedIn {
            navigation.append("<a href=\"/profile\">Your profile</a>")
            if viewer.isAdmin {
                navigation.append("<a href=\"/tenant/members\">Members</a>")
                navigation.append("<a href=\"/tenant/settings\">Settings</a>")
            }
            navigation.append(
                HTML(
                    trusted:
                        "<form method=\"post\" action=\"/signout\" class=\"inline\">\(html: Self.csrfField(csrf))<button type=\"submit\" class=\"link\">Sign out</button></form>"
                )
            )
        }
        let csrfMeta = csrf.map { "<meta name=\"csrf-token\" content=\"\(HTML.text($0))\">" } ?? ""
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            \(csrfMeta)
            <title>\(HTML.text(title)) · FIDOKit Dashboard</title>
            <link rel="stylesheet" href="/assets/style.css">
            <script src="/assets/app.js" defer></script>
            </head>
            <body>
            <header><a class="brand" href="/">FIDOKit Dashboard</a><nav>\(HTML.join(navigation))</nav></header>
            <main>
            <h1>\(HTML.text(title))</h1>
            \(html: body)
            </main>
            </body>
            </html>
            """
    }

    static func csrfField(_ token: String?) -> HTML {
        HTML(trusted: "<input type=\"hidden\" name=\"csrf\" value=\"\(HTML.text(token ?? ""))\">")
    }

    /// A notice box: `error`, `warning` or `info`.
    static func notice(_ kind: String, _ text: String, id: String? = nil) -> HTML {
        let idAttribute = id.map { " id=\"\(HTML.text($0))\"" } ?? ""
        return HTML(trusted: "<p class=\"notice \(kind)\"\(idAttribute) role=\"status\">\(HTML.text(text))</p>")
    }

    /// A form posting to `action` with the CSRF field.
    static func form(_ action: String, csrf: String?, id: String? = nil, _ fields: HTML) -> HTML {
        let idAttribute = id.map { " id=\"\(HTML.text($0))\"" } ?? ""
        return HTML(
            trusted:
                "<form method=\"post\" action=\"\(HTML.text(action))\"\(idAttribute)>\(html: Self.csrfField(csrf))\(html: fields)</form>"
        )
    }
}
