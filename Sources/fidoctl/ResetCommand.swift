import ArgumentParser
import FIDO2
import Foundation

/// `fidoctl reset`: erases a key.
struct ResetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Erase every credential and the PIN on a key.",
        discussion: """
            Keys accept a reset only within a few seconds of being plugged in, and ask for a touch: unplug the key, \
            plug it back in, run this command at once and touch the key when it blinks.

            Example:
              fidoctl reset --device /dev/hidraw3
            """
    )

    @OptionGroup var device: DeviceOptions

    @Flag(help: "Do not ask for confirmation.")
    var yes = false

    func run() async throws {
        if !self.yes {
            Terminal.say(
                "This erases every credential and the PIN on the key. Sites that use it will no longer accept it."
            )
            Terminal.say(
                "Keys only allow this within seconds of being plugged in: reinsert the key now if you have not."
            )
            guard Terminal.isInteractive, Terminal.confirm("Reset the key?") else {
                throw CommandFailure(.refused, "Not confirmed; nothing was changed. (Use --yes in scripts.)")
            }
        }
        let opened = try await self.device.open()
        try await TouchPrompt.during { touch in try await opened.device.reset(touch: touch) }
        try opened.save()
        Terminal.say("The key was reset.")
    }
}
