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
        let result = respond(command)
        // As kubectl does: `kustomize DIR --output FILE` writes the rendering (here the kustomization itself).
        let argv = command.argv
        if result.succeeded, argv.count >= 5, argv[0] == "kubectl", argv[1] == "kustomize", argv[3] == "--output" {
            let kustomization = (try? String(contentsOfFile: "\(argv[2])/kustomization.yaml", encoding: .utf8)) ?? ""
            try "# rendered by RecordingCommandRunner\n\(kustomization)".write(toFile: argv[4], atomically: true, encoding: .utf8)
        }
        // As git does: a clone creates its directory (the last argument).
        if result.succeeded, argv.count >= 3, argv[0] == "git", argv[1] == "clone", let directory = argv.last {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        return result
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
