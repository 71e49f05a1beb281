import Foundation

/// Running one command as a recorded stage.
extension ReleasePipeline {
    /// Runs `argv` as stage `name` of `job`, recording it; throws `StageError.commandFailed` (or what
    /// `failure` makes of the result) when it does not succeed. `reported`: its outcome goes to the forge
    /// (not for the stages before the tag is resolved to the commit the statuses are posted on).
    @discardableResult
    func stage(
        _ job: JobRecord, _ name: String, _ argv: [String], directory: String? = nil,
        timeout: Double = Limits.defaultStageTimeoutSeconds, environment: String? = nil,
        failure: ((CommandResult) -> StageError)? = nil, reported: Bool = true
    ) async throws -> CommandResult {
        // A graceful stop lets the stage under way finish and starts no other.
        if stop.isRequested { throw ShellError.shuttingDown }
        let runID = try await store.startStage(jobID: job.id, name: name, environment: environment)
        let command = ReleasePipeline.command(argv, directory: directory, timeout: timeout, secrets: redactions)
        let result: CommandResult
        let store = self.store
        do {
            result = try await runner.run(command) { group in
                // Kept so that a deployer restarted after a crash can stop what this one left running.
                Task { try? await store.setProcessGroup(runID: runID, group: group) }
            }
        } catch ShellError.shuttingDown {
            throw ShellError.shuttingDown
        } catch {
            try await store.finishStage(runID: runID, succeeded: false, exitCode: nil, log: "\(error)")
            if reported { await report(job, .failure, context: Self.context(ofStage: name), "\(name) could not start") }
            throw StageError.commandFailed(stage: name, command: command.displayString, exitCode: nil, timedOut: false)
        }
        metrics.recordStage(name, seconds: result.duration)
        try await store.finishStage(runID: runID, succeeded: result.succeeded, exitCode: result.exitCode, log: result.output)
        if reported {
            await report(job, result.succeeded ? .success : .failure, context: Self.context(ofStage: name),
                         result.succeeded ? "\(name) passed" : "\(name) failed" + (result.timedOut ? " (timed out)" : ""))
        }
        guard result.succeeded else {
            throw failure?(result) ?? StageError.commandFailed(stage: name, command: command.displayString, exitCode: result.exitCode, timedOut: result.timedOut)
        }
        return result
    }

    /// What never appears in a stage log: the webhook secrets and any password in the remote's URL
    /// (`https://user:token@host/repo.git`), which git may print.
    var redactions: [String] {
        var values = configuration.secrets.map { String(decoding: $0, as: UTF8.self) }
        if let token = configuration.forgeToken { values.append(token) }
        if let components = URLComponents(string: configuration.remote) {
            for password in [components.percentEncodedPassword, components.password] {
                if let password, !password.isEmpty, !values.contains(password) { values.append(password) }
            }
        }
        return values.filter { $0.count >= 4 }
    }

    /// The one place a `ShellCommand` is built from an argv.
    static func command(_ argv: [String], directory: String?, timeout: Double, secrets: [String]) -> ShellCommand {
        ShellCommand(executable: argv.first ?? "", arguments: Array(argv.dropFirst()), workingDirectory: directory,
                     timeout: .milliseconds(Int64(timeout * 1000)), secrets: secrets)
    }
}
