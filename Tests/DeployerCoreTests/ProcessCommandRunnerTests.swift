import Foundation
import Testing
@testable import DeployerCore

@Suite("Process command runner")
struct ProcessCommandRunnerTests {
    let runner = ProcessCommandRunner()

    static func command(_ argv: String..., timeout: Duration = .seconds(30), directory: String? = nil, secrets: [String] = []) -> ShellCommand {
        ShellCommand(executable: argv[0], arguments: Array(argv.dropFirst()), workingDirectory: directory, timeout: timeout, secrets: secrets)
    }

    /// Whether `pid` is gone (or a zombie nobody reaped yet, which runs nothing), waiting up to 5 s for
    /// the kernel to deliver the kill.
    static func isDead(_ pid: Int32) -> Bool {
        let deadline = Date().addingTimeInterval(5)
        repeat {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
            if let close = stat.lastIndex(of: ")"), stat[stat.index(close, offsetBy: 2)] == "Z" { return true }
            usleep(10_000)
        } while Date() < deadline
        return false
    }

    @Test("output and exit status are captured; arguments reach the program literally")
    func literalArguments() async throws {
        let result = try await runner.run(Self.command("printf", "%s|%s", "$(id);rm -rf /", "`x` 'y' \"z\""))
        #expect(result.succeeded && result.exitCode == 0)
        #expect(result.output == "$(id);rm -rf /|`x` 'y' \"z\"")
        let failed = try await runner.run(Self.command("sh", "-c", "echo to-stderr >&2; exit 7"))
        #expect(failed.exitCode == 7 && !failed.succeeded && failed.output == "to-stderr\n")
    }

    @Test("stdin is empty, the working directory is honoured")
    func stdinAndDirectory() async throws {
        #expect(try await runner.run(Self.command("cat")).succeeded)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("runner-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let result = try await runner.run(Self.command("pwd", directory: directory))
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix(directory.split(separator: "/").last.map(String.init) ?? "?"))
    }

    @Test("the child inherits only stdin, stdout and stderr, even descriptors opened without close-on-exec")
    func descriptors() async throws {
        let leaked = open("/dev/null", O_RDONLY)  // no O_CLOEXEC, as some libraries do
        defer { close(leaked) }
        #expect(leaked > 2)
        let result = try await runner.run(Self.command("sh", "-c", "ls /proc/$$/fd"))
        #expect(result.output.split(separator: "\n") == ["0", "1", "2"])
    }

    /// The commands below leave a `sleep 600` behind: finishing well before it shows it was not waited for.
    /// The margin is wide on purpose: a CI run saw the timeout test take 50 s, and every test that started
    /// with it end at 50 s too, so the whole run had stalled (on 2 cores Swift's cooperative pool has two
    /// threads, which tests that train models can hold). The whole test run takes 130-155 s, so no such
    /// wait reaches 300 s, while a runner that waited for the sleep would take 600.
    static let leftoverSleep = "sleep 600"
    static let fasterThanTheSleep: TimeInterval = 300

    @Test("a timeout kills the whole process group, grandchildren included")
    func timeoutKillsGroup() async throws {
        let started = Date()
        let result = try await runner.run(Self.command("sh", "-c", "\(Self.leftoverSleep) & echo $!; wait", timeout: .milliseconds(300)))
        #expect(result.timedOut && !result.succeeded)
        #expect(Date().timeIntervalSince(started) < Self.fasterThanTheSleep)
        let grandchild = try #require(Int32(result.output.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(Self.isDead(grandchild))
    }

    @Test("a program that ignores SIGTERM is killed after the grace time")
    func stubbornProgram() async throws {
        let result = try await runner.run(Self.command("sh", "-c", "trap '' TERM; echo started; sleep 60", timeout: .milliseconds(200)))
        #expect(result.timedOut && result.signal == SIGKILL)
    }

    @Test("what a finished command left running in its group is killed, and does not hold the result back")
    func leftovers() async throws {
        let started = Date()
        let result = try await runner.run(Self.command("sh", "-c", "\(Self.leftoverSleep) & echo $!"))
        #expect(result.succeeded && Date().timeIntervalSince(started) < Self.fasterThanTheSleep)
        let leftover = try #require(Int32(result.output.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(Self.isDead(leftover))
    }

    @Test("output is capped to its tail, with a note of what was dropped")
    func outputCap() async throws {
        let small = ProcessCommandRunner(outputLimit: 1000)
        let result = try await small.run(Self.command("sh", "-c", "seq 1 200000"))
        #expect(result.succeeded)
        #expect(result.output.hasPrefix("[... ") && result.output.hasSuffix("199999\n200000\n"))
        #expect(result.output.utf8.count < 1100)
    }

    @Test("secrets are redacted from the output and the displayed command")
    func redaction() async throws {
        let command = Self.command("echo", "token=hunter2-abc", secrets: ["hunter2-abc"])
        let result = try await runner.run(command)
        #expect(result.output == "token=[REDACTED]\n")
        #expect(command.displayString == "echo token=[REDACTED]")
    }

    @Test("a missing program is an error that says so, not a crash")
    func missingProgram() async throws {
        await #expect(throws: ShellError.notFound(executable: "no-such-program-xyz")) {
            try await runner.run(Self.command("no-such-program-xyz"))
        }
    }

    @Test("after shutDown, running and later commands end without being reported as failures")
    func shutDown() async throws {
        let stopping = ProcessCommandRunner()
        // Whether shutDown lands before or after the spawn, the command ends at once.
        let running = Task { try await stopping.run(Self.command("sleep", "60")) }
        stopping.shutDown()
        await #expect(throws: ShellError.shuttingDown) { try await running.value }
        await #expect(throws: ShellError.shuttingDown) { try await stopping.run(Self.command("true")) }
    }
}
