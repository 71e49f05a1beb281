import ArgumentParser
import DeployerCore
import Foundation
import Logging
import Observability

/// `deployer deploy TAG`: a manual release through the same queue and pipeline as a webhook.
struct DeployCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy",
        abstract: "Release TAG by hand through the same checks, images and rollout as a webhook.",
        discussion: """
            The tag is queued in the state database. When no `deployer serve` is running on that database,
            this command runs the queue itself and exits 0 only if the release succeeded; otherwise the
            running server releases it and this command exits 0 once it is queued.
            """)

    @Option(help: "Configuration file (JSON; see README).")
    var config: String

    @Argument(help: "The tag to release, e.g. v1.4.0.")
    var tag: String

    func run() async throws {
        JSONLogHandler.bootstrap()
        let configuration = try DeployerConfiguration.load(path: config)
        let policy = try WebhookPolicy(configuration: configuration)
        guard WebhookPolicy.isSafeRefName(tag), policy.matches(tag: tag) else {
            throw ValidationError("'\(tag)' does not match the release pattern \(configuration.tagPattern).")
        }
        // The configuration holds exactly one repository (a second one is refused when it is loaded).
        let name = configuration.repositories[0]
        let logger = Logger(label: "deployer")
        let runtime = try DeployerRuntime(configuration: configuration, dependencies: .live(configuration: configuration, logger: logger), logger: logger)
        let store = runtime.store
        let request = ReleaseRequest(provider: .manual, deliveryID: "manual-\(UUID().uuidString.lowercased())",
                                     repository: name, tag: tag, commit: nil, event: "manual")
        let jobID: Int64
        switch try await store.recordDelivery(request, source: "manual") {
        case .queued(let id): jobID = id
        case .duplicateRelease(let id), .duplicateDelivery(let id?):
            let status = try await store.job(id: id)?.job.status ?? "unknown"
            print("\(tag) already has release job \(id) (\(status)); a tag is released once: push a new tag.")
            throw ExitCode(1)
        case .duplicateDelivery(nil):
            throw ExitCode(1)
        case .blockedVersion(let reason):
            print("\(tag) is marked bad and is never released again: \(reason)")
            throw ExitCode(1)
        }
        guard let lock = try runtime.workerLock() else {
            print("queued as job \(jobID); the running deployer releases it (see `deployer history`).")
            return
        }
        defer { withExtendedLifetime(lock) {} }  // held until the queue is run
        try await runtime.runQueue()
        let status = try await store.job(id: jobID)?.job
        print("job \(jobID) \(tag): \(status?.status ?? "unknown")\(status?.error.map { " (\($0))" } ?? "")")
        guard status?.status == DeploymentStore.JobStatus.succeeded.rawValue else { throw ExitCode(1) }
    }
}
