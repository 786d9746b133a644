import Foundation
import Testing

/// Help texts list what the commands can return and give examples that work; the virtual key
/// honours `$FIDOKIT_VIRTUAL_TOUCH` in `record` as everywhere else.
struct HelpAndVirtualTouchTests {
    @Test func verifyHelpListsItsExitStatusesAndAssertsPipeExampleNamesTheCredential() throws {
        let verify = try FidoctlRunner.run(["verify", "--help"])
        for status in ["65", "66", "69", "74"] {
            #expect(verify.stdout.contains(status), "\(status): \(verify.stdout)")
        }
        let registration = try FidoctlRunner.run(["verify", "registration", "--help"])
        #expect(registration.stdout.contains("65") && registration.stdout.contains("69"), "\(registration.stdout)")
        // The README's enroll makes no resident key: the pipe example gives the credential id.
        let assert = try FidoctlRunner.run(["assert", "--help"])
        let beforePipe = try #require(assert.stdout.components(separatedBy: "| fidoctl verify authentication").first)
        let pipedCommand = try #require(beforePipe.components(separatedBy: "fidoctl assert").last)
        #expect(pipedCommand.contains("--credential-id"), "\(assert.stdout)")
    }

    @Test func recordWaitsForATouchAsTheEnvironmentSays() throws {
        let denied = try FidoctlRunner.run(
            ["record", "--device", "virtual", "--output", "/dev/null"],
            environment: ["FIDOKIT_VIRTUAL_TOUCH": "deny"]
        )
        #expect(denied.status == 1, "\(denied.stderr)")
        let never = try FidoctlRunner.shell(
            #"FIDOKIT_VIRTUAL_TOUCH=never "$FIDOCTL" record --device virtual --output /dev/null & pid=$!; sleep 2; kill -INT $pid; wait $pid"#
        )
        #expect(never.status == 130, "\(never.stderr)")
        #expect(never.stderr.contains("Touch your security key"), "\(never.stderr)")
    }
}
