import ArgumentParser
import DeployerCore
import Foundation
import Logging

/// What `deployer retry`, `rollback` and `deploy` share: the state, and running the queue here when no
/// `deployer serve` runs on it (otherwise the running server's worker picks the job up within its poll
/// interval, and this waits for it).
struct OperatorContext {
    let runtime: DeployerRuntime
    var configuration: DeployerConfiguration { runtime.configuration }
    var store: DeploymentStore { runtime.store }

    init(config path: String) throws {
        let configuration = try DeployerConfiguration.load(path: path)
        let logger = Logger(label: "deployer")
        runtime = try DeployerRuntime(configuration: configuration, dependencies: .live(configuration: configuration, logger: logger), logger: logger)
    }

    /// The configured spelling of `asked`, or the first repository.
    func repository(_ asked: String?) throws -> String {
        guard let asked else { return configuration.repositories[0] }
        guard let name = configuration.repositories.first(where: { $0.caseInsensitiveCompare(asked) == .orderedSame }) else {
            throw ValidationError("'\(asked)' is not one of the configured repositories: \(configuration.repositories.joined(separator: ", ")).")
        }
        return name
    }

    /// Runs job `id` to its end: here when the worker lock is free, else by waiting for the running server.
    /// Returns the job as it ended.
    func finish(_ id: Int64) async throws -> JobRecord? {
        if let lock = try runtime.workerLock() {
            defer { withExtendedLifetime(lock) {} }  // held until the queue is run
            try await runtime.runQueue()
        } else {
            print("job \(id) is queued; the running deployer runs it (waiting for it to end)")
            while let job = try await store.job(id: id)?.job, job.status == "queued" || job.status == "running" {
                try await Task.sleep(for: .milliseconds(500))
            }
        }
        return try await store.job(id: id)?.job
    }
}

/// `deployer retry JOB|TAG`: the next attempt of a failed release.
struct RetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Try a failed release again (a job id or a tag): a new attempt through the same pipeline.",
        discussion: """
            Only a release whose last attempt failed is retried; a version marked bad (rolled back) needs \
            `deployer unblock TAG` first. With a `deployer serve` running on the same state, it runs the \
            attempt and this waits for the outcome; otherwise this runs it.
            """)

    @Option(help: "Configuration file (JSON; see README).")
    var config: String

    @Option(help: "Repository (owner/name) when the configuration lists several; default: the first.")
    var repository: String?

    @Argument(help: "A job id (from `deployer history`) or a tag, e.g. v1.4.0.")
    var target: String

    func run() async throws {
        let context = try OperatorContext(config: config)
        let id: Int64
        do {
            if let job = Int64(target) {
                id = try await context.store.retry(jobID: job, repository: try context.repository(repository), tag: nil)
            } else {
                id = try await context.store.retry(repository: try context.repository(repository), tag: target)
            }
        } catch let error as ActionError {
            print("\(error).")
            throw ExitCode(1)
        }
        let job = try await context.finish(id)
        print("job \(id) \(job?.tag ?? target) attempt \(job?.attempt ?? 0): \(job?.status ?? "unknown")\(job?.error.map { " (\($0))" } ?? "")")
        guard job?.status == "succeeded" else { throw ExitCode(1) }
    }
}

/// `deployer unblock VERSION`: lifts the bad mark a rolled-back version got.
struct UnblockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unblock",
        abstract: "Lift the bad mark of a version, so that a new delivery or `deployer retry` may release it.")

    @Option(help: "Configuration file (JSON; see README).")
    var config: String

    @Option(help: "Repository (owner/name) when the configuration lists several; default: the first.")
    var repository: String?

    @Argument(help: "The version (tag) marked bad, e.g. v1.4.0.")
    var version: String

    func run() async throws {
        let context = try OperatorContext(config: config)
        do {
            try await context.store.unblock(repository: try context.repository(repository), tag: version)
        } catch let error as ActionError {
            print("\(error).")
            throw ExitCode(1)
        }
        print("\(version) is no longer marked bad.")
    }
}
