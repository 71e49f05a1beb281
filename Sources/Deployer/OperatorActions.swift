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

    /// The one configured repository (a second one is refused when the configuration is loaded).
    var repository: String { configuration.repositories[0] }

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

/// Where an operator's action goes: the state named by `--config` (run here when no server runs on it,
/// else by that server), or a running server's admin API (`--server URL --admin-token-file F`), from any
/// machine.
struct ActionTarget: ParsableArguments {
    @Option(help: "Configuration file (JSON): act on its state database, on this machine.")
    var config: String?

    @Option(help: ArgumentHelp("A running deployer's URL (e.g. http://deployer:8090): act through its admin API.", valueName: "url"))
    var server: String?

    @Option(help: "With --server: the file holding the admin token (the server's admin_token_file).")
    var adminTokenFile: String?

    func validate() throws {
        switch (config, server) {
        case (nil, nil): throw ValidationError("give --config FILE (this machine's state) or --server URL --admin-token-file F (a running deployer).")
        case (_?, _?): throw ValidationError("give --config or --server, not both.")
        case (nil, _?) where adminTokenFile == nil: throw ValidationError("--server needs --admin-token-file F: the admin API takes a bearer token.")
        default: break
        }
    }

    /// The admin client when `--server` was given.
    func client() throws -> AdminClient? {
        guard let server else { return nil }
        do { return try AdminClient(server: server, tokenFile: adminTokenFile ?? "") } catch let error as AdminClientError {
            throw ValidationError("\(error).")
        }
    }

    /// Prints the refusal of a remote action and exits 1.
    static func fail(_ error: AdminClientError) -> ExitCode {
        print("\(error).")
        return ExitCode(1)
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
            attempt and this waits for the outcome; otherwise this runs it. With --server, the running \
            deployer's admin API queues it and this waits for the outcome.
            """)

    @OptionGroup var target: ActionTarget

    @Argument(help: "A job id (from `deployer history`) or a tag, e.g. v1.4.0.")
    var job: String

    func run() async throws {
        if let client = try target.client() {
            do {
                let queued = try await client.post("/api/retry", .init(job: Int64(job), tag: Int64(job) == nil ? job : nil))
                let id = queued["job_id"] as? String ?? ""
                print("job \(id) queued on \(client.server); waiting for it to end")
                let ended = try await client.waitForJob(id)
                print("job \(id) \(ended["tag"] as? String ?? job): \(ended["status"] as? String ?? "unknown")\((ended["error"] as? String).map { " (\($0))" } ?? "")")
                guard ended["status"] as? String == "succeeded" else { throw ExitCode(1) }
            } catch let error as AdminClientError {
                throw ActionTarget.fail(error)
            }
            return
        }
        let context = try OperatorContext(config: target.config ?? "")
        let id: Int64
        do {
            if let number = Int64(job) {
                id = try await context.store.retry(jobID: number, repository: context.repository, tag: nil)
            } else {
                id = try await context.store.retry(repository: context.repository, tag: job)
            }
        } catch let error as ActionError {
            print("\(error).")
            throw ExitCode(1)
        }
        let ended = try await context.finish(id)
        print("job \(id) \(ended?.tag ?? job) attempt \(ended?.attempt ?? 0): \(ended?.status ?? "unknown")\(ended?.error.map { " (\($0))" } ?? "")")
        guard ended?.status == "succeeded" else { throw ExitCode(1) }
    }
}

/// `deployer unblock VERSION`: lifts the bad mark a rolled-back version got.
struct UnblockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unblock",
        abstract: "Lift the bad mark of a version, so that a new delivery or `deployer retry` may release it.")

    @OptionGroup var target: ActionTarget

    @Argument(help: "The version (tag) marked bad, e.g. v1.4.0.")
    var version: String

    func run() async throws {
        if let client = try target.client() {
            do { _ = try await client.post("/api/unblock", .init(tag: version)) } catch let error as AdminClientError { throw ActionTarget.fail(error) }
            print("\(version) is no longer marked bad.")
            return
        }
        let context = try OperatorContext(config: target.config ?? "")
        do {
            try await context.store.unblock(repository: context.repository, tag: version)
        } catch let error as ActionError {
            print("\(error).")
            throw ExitCode(1)
        }
        print("\(version) is no longer marked bad.")
    }
}
