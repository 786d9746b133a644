import Foundation
import Testing

/// `--device virtual` keeps its state in `$XDG_DATA_HOME/fidokit/virtual-authenticator.json`:
/// every change is saved (a wrong PIN uses up a retry), runs at once take turns under a file
/// lock (none of their credentials is lost), and the file is private and replaced atomically.
struct VirtualAuthenticatorStoreTests {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("fidoctl-store-\(UUID().uuidString)")

    func run(_ arguments: [String], pin: String? = nil) throws -> FidoctlRunner.Result {
        var environment = ["XDG_DATA_HOME": self.home.path]
        if let pin { environment["FIDOKIT_PIN"] = pin }
        return try FidoctlRunner.run(arguments + ["--device", "virtual"], environment: environment)
    }

    @Test func aWrongPINUsesUpARetryAcrossRuns() throws {
        defer { try? FileManager.default.removeItem(at: self.home) }
        #expect(try self.run(["pin", "set"], pin: "1357").status == 0)
        let first = try self.run(["credentials", "list"], pin: "0000")
        #expect(first.stderr.contains("Wrong PIN — 7 attempts left."), "\(first.stderr)")
        let second = try self.run(["enroll", "--rp-id", "example.com", "--user", "ada", "--require-user-verification"], pin: "0000")
        #expect(second.status == 1)
        #expect(second.stderr.contains("Wrong PIN — 6 attempts left."), "\(second.stderr)")
        let third = try self.run(["assert", "--rp-id", "example.com", "--require-user-verification"], pin: "0000")
        #expect(third.stderr.contains("Wrong PIN — 5 attempts left."), "\(third.stderr)")
        #expect(try self.run(["pin", "status"]).stdout.contains("PIN set; 5 attempts left."))
        // The right PIN resets the count, and that is saved too.
        #expect(try self.run(["credentials", "list"], pin: "1357").status == 0)
        #expect(try self.run(["pin", "status"]).stdout.contains("PIN set; 8 attempts left."))
    }

    @Test func sixEnrollmentsAtOnceKeepSixCredentials() async throws {
        defer { try? FileManager.default.removeItem(at: self.home) }
        #expect(try self.run(["pin", "set"], pin: "1357").status == 0)
        let results = try await withThrowingTaskGroup(of: FidoctlRunner.Result.self) { group in
            for index in 0..<6 {
                group.addTask {
                    try self.run(["enroll", "--rp-id", "example.com", "--user", "user\(index)", "--resident-key"], pin: "1357")
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0.status == 0 }, "\(results.map(\.stderr))")
        let listed = try self.run(["credentials", "list", "--json"], pin: "1357")
        #expect(Set(listed.verdicts.compactMap { $0["userName"] as? String }) == Set((0..<6).map { "user\($0)" }))

        let folder = self.home.appendingPathComponent("fidokit")
        let attributes = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("virtual-authenticator.json").path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func anUnreadableStateFileIsADataErrorThatSaysWhatToDo() throws {
        defer { try? FileManager.default.removeItem(at: self.home) }
        let folder = self.home.appendingPathComponent("fidokit")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("garbage".utf8).write(to: folder.appendingPathComponent("virtual-authenticator.json"))
        #expect(chmod(folder.appendingPathComponent("virtual-authenticator.json").path, 0o600) == 0)
        let result = try self.run(["info"])
        #expect(result.status == 65)
        #expect(result.stderr.contains("move the file away"))
    }
}
