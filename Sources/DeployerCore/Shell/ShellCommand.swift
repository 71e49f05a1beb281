/// One command to run: an argv (never a shell line), where, for how long, and what to keep out of logs.
public struct ShellCommand: Sendable, Equatable {
    /// The program: a path, or a name looked up on `PATH`.
    public var executable: String
    /// The arguments, each passed as one argv element with no shell in between.
    public var arguments: [String]
    public var workingDirectory: String?
    /// After this the whole process group gets SIGTERM, then SIGKILL.
    public var timeout: Duration
    /// Variables set on top of the runner's environment.
    public var environment: [String: String]
    /// Strings replaced by `[REDACTED]` in the captured output and in `displayString`.
    public var secrets: [String]

    public init(executable: String, arguments: [String] = [], workingDirectory: String? = nil, timeout: Duration,
                environment: [String: String] = [:], secrets: [String] = []) {
        self.executable = executable
        self.arguments = arguments
        self.workingDirectory = workingDirectory
        self.timeout = timeout
        self.environment = environment
        self.secrets = secrets
    }

    /// The argv, program first.
    public var argv: [String] { [executable] + arguments }

    /// The command as a reader would type it (single-quoted where needed), with secrets redacted: for
    /// logs and error messages only, never executed.
    public var displayString: String {
        redact(argv.map(Self.quoted).joined(separator: " "))
    }

    /// `text` with every non-empty secret replaced.
    public func redact(_ text: String) -> String {
        secrets.filter { !$0.isEmpty }.reduce(text) { $0.replacingOccurrences(of: $1, with: "[REDACTED]") }
    }

    static func quoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy { scalar in
            (scalar.properties.isAlphabetic || ("0"..."9").contains(Character(scalar)) || "-_./:=@,+%{}^".unicodeScalars.contains(scalar))
        }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}

/// How a command ended, with the tail of what it printed (stdout and stderr interleaved).
public struct CommandResult: Sendable, Equatable {
    /// The exit status, or nil when a signal ended the process.
    public var exitCode: Int32?
    /// The signal that ended the process, if one did.
    public var signal: Int32?
    /// Whether the runner ended it for running past its timeout.
    public var timedOut: Bool
    /// The output's tail (see `Limits.commandOutputTailBytes`), secrets redacted.
    public var output: String
    /// Wall-clock seconds from start to exit.
    public var duration: Double

    public init(exitCode: Int32?, signal: Int32? = nil, timedOut: Bool = false, output: String = "", duration: Double = 0) {
        self.exitCode = exitCode
        self.signal = signal
        self.timedOut = timedOut
        self.output = output
        self.duration = duration
    }

    /// Exit status 0 within the timeout.
    public var succeeded: Bool { exitCode == 0 && !timedOut }
}

/// Runs commands. The pipeline depends on this protocol only, so tests can record what would run.
public protocol CommandRunner: Sendable {
    /// Runs `command` to its end (or its timeout) and returns how it ended; throws only when it could not
    /// be started at all.
    func run(_ command: ShellCommand) async throws -> CommandResult
    /// `run`, calling `started` with the command's process group once it runs (where there is one).
    func run(_ command: ShellCommand, started: @escaping @Sendable (ProcessGroup) -> Void) async throws -> CommandResult
    /// Kills every running command and makes later runs throw `ShellError.shuttingDown`.
    func shutDown()
}

extension CommandRunner {
    public func run(_ command: ShellCommand, started: @escaping @Sendable (ProcessGroup) -> Void) async throws -> CommandResult {
        try await run(command)
    }
    public func shutDown() {}
}

/// A running command's process group, with its leader's start time (clock ticks after boot, from
/// /proc), so that a later process cannot be mistaken for it once the number is reused.
public struct ProcessGroup: Sendable, Equatable, CustomStringConvertible {
    public var id: Int32
    public var startTicks: UInt64

    public init(id: Int32, startTicks: UInt64) {
        self.id = id
        self.startTicks = startTicks
    }

    /// `id:startTicks`, as stored.
    public var description: String { "\(id):\(startTicks)" }

    public init?(_ text: String) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let id = Int32(parts[0]), id > 1, let ticks = UInt64(parts[1]) else { return nil }
        self.init(id: id, startTicks: ticks)
    }

    /// The start time of process `pid` (field 22 of /proc/PID/stat), or nil when it is gone.
    public static func startTicks(of pid: Int32) -> UInt64? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command name: state is field 3, so start time (22) is the 20th.
        return fields.count > 19 ? UInt64(fields[19]) : nil
    }
}

/// A command that could not be started.
public enum ShellError: Error, CustomStringConvertible, Equatable {
    case notFound(executable: String)
    case spawnFailed(executable: String, errno: Int32)
    /// The deployer is stopping and ended the command; the job is finished on the next start.
    case shuttingDown

    public var description: String {
        switch self {
        case .notFound(let executable):
            return "cannot run \(executable): not found on PATH; install it on the build host or give its full path in the configuration"
        case let .spawnFailed(executable, code):
            return "cannot run \(executable): posix_spawn failed with errno \(code)"
        case .shuttingDown:
            return "the deployer is stopping; the command was ended"
        }
    }
}
