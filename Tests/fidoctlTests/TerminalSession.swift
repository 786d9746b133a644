import Foundation

/// Runs `fidoctl` on a pseudo-terminal (through Python's `pty` and `termios`), the way a person
/// at a terminal does: it waits for each expected prompt, types the given bytes (`\u{03}` is
/// Ctrl-C, which the terminal turns into SIGINT), and reports the exit status, everything
/// printed, and whether the terminal echoed while the program ran and after it ended.
struct TerminalSession {
    /// One exchange: wait until `waitFor` has been printed, then type `send` (or, with
    /// `signal`, send that signal to the process, as `kill` or a closing terminal would).
    struct Step: Encodable {
        var waitFor: String
        var send: [UInt8]
        var signal: Int32? = nil
    }

    struct Result: Decodable {
        /// The exit status; 128 + N when killed by signal N.
        var status: Int32
        /// Everything printed on the terminal (stdout and stderr).
        var output: String
        /// Whether echo was on when the last step's bytes were typed.
        var echoWhileRunning: Bool
        /// Whether echo was on after the program ended.
        var echoAfter: Bool
        /// Seconds from the last step's bytes to the program's exit.
        var secondsToExit: Double
    }

    static let script = #"""
        import fcntl, json, os, select, subprocess, sys, termios, time
        spec = json.loads(sys.argv[1])
        master, slave = os.openpty()
        def child_setup():
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)
        env = dict(os.environ)
        env.update(spec["env"])
        process = subprocess.Popen(spec["argv"], stdin=slave, stdout=slave, stderr=slave, env=env,
                                   preexec_fn=child_setup, close_fds=True)
        output = b""
        def pump(timeout):
            global output
            ready, _, _ = select.select([master], [], [], timeout)
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError:
                    return False
                output += data
                return bool(data)
            return True
        echo_running = None
        sent_at = time.time()
        for step in spec["steps"]:
            deadline = time.time() + 20
            while step["waitFor"].encode() not in output and time.time() < deadline and process.poll() is None:
                pump(0.1)
            time.sleep(0.3)
            pump(0)
            echo_running = bool(termios.tcgetattr(slave)[3] & termios.ECHO)
            if step.get("signal"):
                process.send_signal(step["signal"])
            else:
                os.write(master, bytes(step["send"]))
            sent_at = time.time()
        deadline = time.time() + 20
        while process.poll() is None and time.time() < deadline:
            pump(0.1)
        if process.poll() is None:
            process.kill()
        process.wait()
        exited_at = time.time()
        while pump(0.05) and select.select([master], [], [], 0)[0]:
            pass
        status = process.returncode if process.returncode >= 0 else 128 - process.returncode
        echo_after = bool(termios.tcgetattr(slave)[3] & termios.ECHO)
        print(json.dumps({"status": status, "output": output.decode("utf-8", "replace"),
                          "echoWhileRunning": bool(echo_running), "echoAfter": echo_after,
                          "secondsToExit": exited_at - sent_at}))
        """#

    /// Runs `fidoctl arguments` on a terminal with `environment` added, playing `steps`.
    static func run(_ arguments: [String], environment: [String: String], steps: [Step]) throws -> Result {
        struct Spec: Encodable {
            var argv: [String]
            var env: [String: String]
            var steps: [Step]
        }
        let spec = Spec(argv: [FidoctlRunner.binary.path] + arguments, env: environment, steps: steps)
        let text = String(decoding: try JSONEncoder().encode(spec), as: UTF8.self)
        let ran = try FidoctlRunner.runTool("/usr/bin/env", ["python3", "-c", Self.script, text])
        return try JSONDecoder().decode(Result.self, from: Data(ran.stdout.utf8))
    }
}
