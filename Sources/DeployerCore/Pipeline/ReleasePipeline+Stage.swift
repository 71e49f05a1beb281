import Foundation

/// Running one command as a recorded stage.
extension ReleasePipeline {
    /// Runs `argv` as stage `name` of `job`, recording it; throws `StageError.commandFailed` (or what
    /// `failure` makes of the result) when it does not succeed.
    @discardableResult
    func stage(
        _ job: JobRecord, _ name: String, _ argv: [String], directory: String? = nil,
        timeout: Double = Limits.defaultStageTimeoutSeconds, environment: String? = nil,
        failure: ((CommandResult) -> StageError)? = nil
    ) async throws -> CommandResult {
        let runID = try await store.startStage(jobID: job.id, name: name, environment: environment)
        let command = ReleasePipeline.command(argv, directory: directory, timeout: timeout, secrets: [])
        let result: CommandResult
        do {
            result = try await runner.run(command)
        } catch ShellError.shuttingDown {
            throw ShellError.shuttingDown
        } catch {
            try await store.finishStage(runID: runID, succeeded: false, exitCode: nil, log: "\(error)")
            throw StageError.commandFailed(stage: name, command: command.displayString, exitCode: nil, timedOut: false)
        }
        metrics.recordStage(name, seconds: result.duration)
        try await store.finishStage(runID: runID, succeeded: result.succeeded, exitCode: result.exitCode, log: result.output)
        guard result.succeeded else {
            throw failure?(result) ?? StageError.commandFailed(stage: name, command: command.displayString, exitCode: result.exitCode, timedOut: result.timedOut)
        }
        return result
    }

    /// The one place a `ShellCommand` is built from an argv.
    static func command(_ argv: [String], directory: String?, timeout: Double, secrets: [String]) -> ShellCommand {
        ShellCommand(executable: argv.first ?? "", arguments: Array(argv.dropFirst()), workingDirectory: directory,
                     timeout: .milliseconds(Int64(timeout * 1000)), secrets: secrets)
    }
}
