import Foundation
import Testing

/// The simulated phone against a real `mfa-server` process: a member enrolls push over the API,
/// `push-device enroll --send` registers the phone, a second sign-in starts a push, and
/// `push-device inbox` prints what the server really sends (openapi.yaml's `Inbox`: the strict
/// decoding accepts it), then `approve --send` with the number shown approves the sign-in.
struct PushRealServerTests {
    /// The browser's part, over HTTP with a cookie jar and the CSRF token: sign in, enroll push,
    /// hand the URI to fidoctl, sign in again and start a push; prints the started transaction.
    static let browser = #"""
        import json, sys, subprocess, urllib.request, urllib.error, http.cookiejar
        base, fidoctl, state, password = sys.argv[1:5]
        def client():
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
            token = [json.load(opener.open(base + "/api/csrf"))["csrfToken"]]
            def call(method, path, body=None):
                data = json.dumps(body).encode() if body is not None else None
                request = urllib.request.Request(base + path, data=data, method=method,
                    headers={"Content-Type": "application/json", "X-CSRF-Token": token[0]})
                try:
                    answer = json.loads(opener.open(request).read() or b"{}")
                except urllib.error.HTTPError as error:
                    sys.exit("%s %s: %s %s" % (method, path, error.code, error.read()))
                if isinstance(answer, dict) and "csrfToken" in answer:
                    token[0] = answer["csrfToken"]
                return answer
            return call
        first = client()
        first("POST", "/api/session", {"email": "admin@example.com", "password": password})
        uri = first("POST", "/api/me/factors/push")["uri"]
        enrolled = subprocess.run([fidoctl, "push-device", "enroll", "--uri", uri, "--state", state, "--send"],
                                  capture_output=True, text=True)
        if enrolled.returncode != 0:
            sys.exit("enroll: " + enrolled.stderr)
        second = client()
        if second("POST", "/api/session", {"email": "admin@example.com", "password": password})["state"] != "mfa_required":
            sys.exit("the second sign-in did not ask for the push factor")
        print(json.dumps(second("POST", "/api/mfa/push/start")))
        """#

    @Test func theInboxDecodesWhatTheServerSendsAndTheApprovalIsAccepted() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("push-real-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let passwordFile = directory.appendingPathComponent("admin-password")
        let password = "push admin password"
        try Data(password.utf8).write(to: passwordFile)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: passwordFile.path)
        let port = BenchServerTests.freePort()
        let server = Process()
        server.executableURL = FidoctlRunner.binary.deletingLastPathComponent().appendingPathComponent("mfa-server")
        server.arguments = [
            "--port", String(port), "--data-directory", directory.appendingPathComponent("data").path,
            "--admin-password-file", passwordFile.path, "--origin", "http://localhost:\(port)",
        ]
        let output = Pipe()
        server.standardOutput = output
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        var seen = ""
        while !seen.contains("listening on") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        #expect(seen.contains("listening on"))

        let state = directory.appendingPathComponent("phone.json").path
        let started = try FidoctlRunner.runTool(
            "/usr/bin/env",
            ["python3", "-c", Self.browser, "http://127.0.0.1:\(port)", FidoctlRunner.binary.path, state, password]
        )
        #expect(started.status == 0, "\(started.stderr)")
        let transaction = try #require(
            try JSONSerialization.jsonObject(with: Data(started.stdout.utf8)) as? [String: Any]
        )
        let transactionID = try #require(transaction["transactionId"] as? String)
        let number = try #require(transaction["number"] as? Int)

        let inbox = try FidoctlRunner.run(["push-device", "inbox", "--state", state])
        #expect(inbox.status == 0, "\(inbox.stderr)")
        let printed = try #require(try JSONSerialization.jsonObject(with: Data(inbox.stdout.utf8)) as? [String: Any])
        let entries = try #require(printed["transactions"] as? [[String: Any]])
        #expect(entries.map { $0["transactionId"] as? String } == [transactionID])
        #expect(entries.first?["ipAddress"] as? String == "127.0.0.1")
        #expect((entries.first?["expiresAt"] as? String)?.hasSuffix("Z") == true)

        let approved = try FidoctlRunner.run([
            "push-device", "approve", "--state", state, "--transaction", transactionID, "--number", String(number), "--send",
        ])
        #expect(approved.status == 0, "\(approved.stderr)")
        #expect(approved.stdout.contains("approved"), "\(approved.stdout)")
    }
}
