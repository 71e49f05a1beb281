import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs commands as real processes with `posix_spawn`: argv only (no shell), stdin from /dev/null,
/// stdout and stderr captured together with a size cap, each command in its own process group.
///
/// The process group is what makes timeouts real: `docker build` and `swift test` start grandchildren,
/// and killing only the direct child would leave them running. On timeout (or task cancellation) the
/// group gets SIGTERM, then SIGKILL after `Limits.terminationGraceSeconds`. When the command exits on its
/// own, whatever it left running in its group is killed too, so no stage outlives itself. Waiting blocks a
/// dedicated thread in `waitid` (no polling), so short commands return at once.
public final class ProcessCommandRunner: CommandRunner, @unchecked Sendable {
    private let baseEnvironment: [String: String]
    private let outputLimit: Int
    private let lock = NSLock()
    private var liveGroups = Set<pid_t>()
    private var stopping = false

    /// - Parameters:
    ///   - environment: the environment every command starts from (the deployer's own by default).
    ///   - outputLimit: bytes of output kept, from the end.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment, outputLimit: Int = Limits.commandOutputTailBytes) {
        self.baseEnvironment = environment
        self.outputLimit = outputLimit
    }

    public func run(_ command: ShellCommand) async throws -> CommandResult {
        try await run(command, started: { _ in })
    }

    public func run(_ command: ShellCommand, started report: @escaping @Sendable (ProcessGroup) -> Void) async throws -> CommandResult {
        if isStopping { throw ShellError.shuttingDown }
        var environment = baseEnvironment
        environment.merge(command.environment) { $1 }
        let path = try Self.resolve(command.executable, searchPath: environment["PATH"] ?? "/usr/bin:/bin")
        let started = DispatchTime.now()
        let process = try RunningProcess.spawn(path: path, argv: command.argv, environment: environment,
                                               workingDirectory: command.workingDirectory, outputLimit: outputLimit)
        register(process.pid)
        defer { unregister(process.pid) }
        if let ticks = ProcessGroup.startTicks(of: process.pid) { report(ProcessGroup(id: process.pid, startTicks: ticks)) }
        let seconds = Double(command.timeout.components.seconds) + Double(command.timeout.components.attoseconds) / 1e18
        DispatchQueue.global().asyncAfter(deadline: .now() + max(0, seconds)) { process.terminate(timedOut: true) }
        let status = await withTaskCancellationHandler {
            await process.wait()
        } onCancel: {
            process.terminate(timedOut: false)
        }
        let duration = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        if isStopping { throw ShellError.shuttingDown }
        return CommandResult(exitCode: status.exitCode, signal: status.signal, timedOut: status.timedOut,
                             output: command.redact(status.output), duration: duration)
    }

    /// Stops for good (at shutdown): kills every running command's process group and makes every
    /// current and later `run` throw `ShellError.shuttingDown`, so that no stage is recorded as failed
    /// because the deployer itself stopped.
    public func shutDown() {
        lock.lock()
        stopping = true
        let groups = liveGroups
        lock.unlock()
        for group in groups { kill(-group, SIGKILL) }
    }

    private var isStopping: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopping
    }

    private func register(_ pid: pid_t) {
        lock.lock()
        defer { lock.unlock() }
        liveGroups.insert(pid)
        // A shutDown that came between the start of `run` and the spawn still ends this command.
        if stopping { kill(-pid, SIGKILL) }
    }

    private func unregister(_ pid: pid_t) {
        lock.lock()
        liveGroups.remove(pid)
        lock.unlock()
    }

    /// The absolute path of `executable`: as given when it holds a `/`, else the first executable match
    /// on `searchPath`.
    static func resolve(_ executable: String, searchPath: String) throws -> String {
        guard !executable.isEmpty else { throw ShellError.notFound(executable: "(empty)") }
        if executable.contains("/") {
            guard access(executable, X_OK) == 0 else { throw ShellError.notFound(executable: executable) }
            return executable
        }
        for directory in searchPath.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(executable)"
            var info = stat()
            if stat(candidate, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, access(candidate, X_OK) == 0 { return candidate }
        }
        throw ShellError.notFound(executable: executable)
    }
}

extension ProcessCommandRunner {
    /// Stops a process group a previous deployer left running (it was killed with `kill -9` or crashed):
    /// SIGTERM, then SIGKILL after the grace time, and only when the group's leader is still the process
    /// that was started (its start time matches), never another that got the number since. True when
    /// something was stopped.
    @discardableResult
    public static func stopLeftover(_ group: ProcessGroup) -> Bool {
        guard ProcessGroup.startTicks(of: group.id) == group.startTicks else { return false }
        kill(-group.id, SIGTERM)
        let deadline = Date().addingTimeInterval(Limits.terminationGraceSeconds)
        while Date() < deadline, ProcessGroup.startTicks(of: group.id) == group.startTicks { usleep(50_000) }
        kill(-group.id, SIGKILL)
        return true
    }
}
