import ArgumentParser
import Foundation

/// `fidoctl udev install`: installs the rules that let users open FIDO keys without root.
struct UdevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "udev",
        abstract: "Install the udev rules that give users access to FIDO security keys.",
        subcommands: [Install.self, Show.self]
    )

    /// The rules, identical to the repository's udev/70-fido.rules (a test checks).
    static let rules = """
        # FIDOKit: access to FIDO security keys (hidraw) for fidoctl and libfido2, without root.
        #
        # systemd's fido_id builtin (60-fido-id.rules, systemd >= 244) reads each hidraw device's HID
        # report descriptor and sets ID_SECURITY_TOKEN=1 when it has the FIDO usage page (0xF1D0), for
        # every vendor. These rules key on that property, never on a vendor/product list.
        #
        # 1. The user at the seat: TAG+="uaccess" lets systemd-logind grant the active local session
        #    an ACL on the device (applied by 73-seat-late.rules, hence the 70- prefix).
        # 2. Headless enrolment stations (SSH, CI, services), where nobody sits at the seat: members of
        #    the group "fido" may open the device. Create the group and add users to it:
        #      sudo groupadd --system fido && sudo usermod -aG fido USER   (then log in again)
        #
        # Install: sudo fidoctl udev install   (or copy this file to /etc/udev/rules.d/ and run
        #          sudo udevadm control --reload-rules && sudo udevadm trigger --subsystem-match=hidraw)
        # Without fido_id (systemd < 244 or no systemd): see README, "udev without fido_id".

        ACTION!="add|change", GOTO="fidokit_fido_end"
        SUBSYSTEM!="hidraw", GOTO="fidokit_fido_end"
        ENV{ID_SECURITY_TOKEN}!="1", GOTO="fidokit_fido_end"

        TAG+="uaccess"
        GROUP="fido", MODE="0660"

        LABEL="fidokit_fido_end"

        """

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the rules.",
            discussion: """
                Example:
                  fidoctl udev show > /etc/udev/rules.d/70-fido.rules
                """
        )
        func run() async throws {
            try Output.write(UdevCommand.rules)
        }
    }

    struct Install: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Write 70-fido.rules, create the group \"fido\", reload udev and explain group membership (needs root).",
            discussion: """
                Example:
                  sudo fidoctl udev install
                """
        )

        @Option(help: "Where to write the rules.")
        var rulesDirectory = "/etc/udev/rules.d"

        @Flag(help: "Only say what would be done.")
        var dryRun = false

        @Flag(help: "Only write the rules file: no group, no udev reload.")
        var filesOnly = false

        func run() async throws {
            let target = URL(fileURLWithPath: self.rulesDirectory).appendingPathComponent("70-fido.rules")
            let steps: [(String, [String])] = [
                ("create the group fido", ["getent", "group", "fido"]),
                ("reload udev", ["udevadm", "control", "--reload-rules"]),
                ("apply to plugged-in keys", ["udevadm", "trigger", "--subsystem-match=hidraw"]),
            ]
            if self.dryRun {
                try Output.line(
                    "Would write \(target.path) and run: groupadd --system fido (if missing), "
                        + steps.dropFirst().map { $0.1.joined(separator: " ") }.joined(separator: "; ")
                )
                return
            }
            do {
                try FileManager.default.createDirectory(
                    at: target.deletingLastPathComponent(),
                    withIntermediateDirectories: true
                )
            } catch {
                throw CommandFailure(
                    .ioError,
                    "Cannot create \(target.deletingLastPathComponent().path) (\(OutputFile.reason(error))). Run with sudo."
                )
            }
            // Through the one output-file writer: atomic, links followed, never over a directory.
            do throws(CommandFailure) {
                try OutputFile.write(UdevCommand.rules, to: target.path, privacy: .ordinary)
            } catch {
                throw CommandFailure(.ioError, error.message + " Run with sudo.")
            }
            try Output.line("Wrote \(target.path).")
            if self.filesOnly {
                try Output.line(
                    "Group members need the group fido: sudo groupadd --system fido && sudo usermod -aG fido USER"
                )
                return
            }
            if Self.execute(["getent", "group", "fido"]) != 0 {
                try Output.line(
                    Self.execute(["groupadd", "--system", "fido"]) == 0
                        ? "Created the group fido." : "Could not create the group fido."
                )
            }
            for (what, command) in steps.dropFirst() {
                if Self.execute(command) != 0 {
                    try Output.line(
                        "Could not \(what) (`\(command.joined(separator: " "))`); reinsert the key instead."
                    )
                }
            }
            let user = ProcessInfo.processInfo.environment["SUDO_USER"] ?? "USER"
            try Output.line(
                """
                The person at the machine gets access automatically. For SSH sessions, CI and services, add the account \
                to the group and log in again:  sudo usermod -aG fido \(user)
                """
            )
        }

        static func execute(_ command: [String]) -> Int32 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = command
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            do {
                try process.run()
                process.waitUntilExit()
                return process.terminationStatus
            } catch {
                return -1
            }
        }
    }
}
