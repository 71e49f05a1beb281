import Foundation
@testable import DeployerCore

/// A `CommandRunner` that runs nothing: it records every command and answers with what `respond` says.
final class RecordingCommandRunner: CommandRunner, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [ShellCommand] = []
    private let respond: @Sendable (ShellCommand) -> CommandResult

    /// - Parameter respond: the result for each command; by default every command succeeds silently.
    init(respond: @escaping @Sendable (ShellCommand) -> CommandResult = { _ in CommandResult(exitCode: 0) }) {
        self.respond = respond
    }

    func run(_ command: ShellCommand) async throws -> CommandResult {
        lock.withLock { recorded.append(command) }
        return respond(command)
    }

    /// Every command run so far, whole.
    var shellCommands: [ShellCommand] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    /// Every command run so far, as argv arrays.
    var commands: [[String]] {
        lock.lock()
        defer { lock.unlock() }
        return recorded.map(\.argv)
    }
}
