import FIDOKitTestSupport
import Foundation
import Testing

/// udev/70-fido.rules: every line parses, the match is the security-token property (not a
/// vendor list), and `fidoctl udev show|install` writes exactly this file.
struct UdevRulesTests {
    static let file = FixturePath.root.deletingLastPathComponent().appendingPathComponent("udev/70-fido.rules")

    /// One `KEY{attribute}OP"value"` assignment or match of a udev rule line.
    struct Token: Equatable {
        var key: String
        var attribute: String?
        var operation: String
        var value: String
    }

    static let keys: Set<String> = [
        "ACTION", "SUBSYSTEM", "SUBSYSTEMS", "KERNEL", "ENV", "ATTRS", "ATTR", "TAG", "GROUP", "MODE", "GOTO", "LABEL", "OWNER",
    ]

    /// A strict parser for the subset of udev's rule syntax the file may use (udev(7)).
    static func parse(_ line: Substring) throws -> [Token] {
        var tokens: [Token] = []
        var rest = line[...]
        let pattern = #/^\s*([A-Z]+)(\{([A-Za-z0-9_]+)\})?(==|!=|\+=|-=|:=|=)"([^"]*)"\s*(,|$)/#
        while !rest.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let match = try pattern.prefixMatch(in: rest) else {
                throw UdevSyntaxError(line: String(line), remainder: String(rest))
            }
            tokens.append(Token(key: String(match.1), attribute: match.3.map(String.init), operation: String(match.4), value: String(match.5)))
            rest = rest[match.range.upperBound...]
        }
        return tokens
    }

    struct UdevSyntaxError: Error {
        var line: String
        var remainder: String
    }

    @Test func everyLineParses() throws {
        let text = try String(contentsOf: Self.file, encoding: .utf8)
        var labels: Set<String> = []
        var gotos: Set<String> = []
        var rules = 0
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let tokens = try Self.parse(line)
            rules += 1
            for token in tokens {
                #expect(Self.keys.contains(token.key), "unknown key \(token.key)")
                if token.key == "LABEL" { labels.insert(token.value) }
                if token.key == "GOTO" { gotos.insert(token.value) }
                #expect(!(token.key == "MODE" && token.value.hasSuffix("6")), "world-writable mode")
                #expect(token.key != "ATTRS", "vendor/product lists are not used")
            }
        }
        #expect(rules == 6)
        #expect(gotos.isSubset(of: labels))
    }

    @Test func theMatchIsTheSecurityTokenProperty() throws {
        let text = try String(contentsOf: Self.file, encoding: .utf8)
        let tokens = try text.split(separator: "\n").filter { !$0.hasPrefix("#") }.flatMap { try Self.parse($0) }
        #expect(tokens.contains(Token(key: "ENV", attribute: "ID_SECURITY_TOKEN", operation: "!=", value: "1")))
        #expect(tokens.contains(Token(key: "TAG", attribute: nil, operation: "+=", value: "uaccess")))
        #expect(tokens.contains(Token(key: "GROUP", attribute: nil, operation: "=", value: "fido")))
        #expect(tokens.contains(Token(key: "MODE", attribute: nil, operation: "=", value: "0660")))
        #expect(try Self.parse(#"ATTRS{idVendor}=="1050""#).first?.key == "ATTRS")
        #expect(throws: UdevSyntaxError.self) { try Self.parse(#"ENV{ID_SECURITY_TOKEN}=="1", TAG+=uaccess"#) }
    }

    /// Whether this machine's `udevadm` has the `verify` verb (systemd 253 and later).
    static let udevadmHasVerify: Bool = {
        (try? FidoctlRunner.runTool("/usr/bin/env", ["udevadm", "verify", "--help"]))?.status == 0
    }()

    @Test(
        .enabled(
            if: UdevRulesTests.udevadmHasVerify,
            "`udevadm verify` exists from systemd 253; Debian 12 ships 252, where the parser above stands in"
        )
    )
    func udevadmVerifiesTheFile() throws {
        let result = try FidoctlRunner.runTool("/usr/bin/env", ["udevadm", "verify", Self.file.path])
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
    }

    @Test func fidoctlInstallsThisFile() throws {
        let shown = try FidoctlRunner.run(["udev", "show"])
        #expect(shown.stdout == (try String(contentsOf: Self.file, encoding: .utf8)))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("udev-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let installed = try FidoctlRunner.run(["udev", "install", "--rules-directory", directory.path, "--files-only"])
        #expect(installed.status == 0)
        #expect(installed.stdout.contains("usermod -aG fido"))
        let written = try String(contentsOf: directory.appendingPathComponent("70-fido.rules"), encoding: .utf8)
        #expect(written == (try String(contentsOf: Self.file, encoding: .utf8)))
    }
}
