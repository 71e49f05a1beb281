import Foundation

/// Rolling an environment back by hand (`deployer rollback ENV`).
extension ReleasePipeline {
    /// Puts the release before the current one back into `environmentName`, confirms it is healthy,
    /// marks the current version bad (so automation does not redeploy it) and returns what now runs.
    public func rollBack(environment environmentName: String, reason: String) async throws -> LastKnownGood {
        guard let environment = configuration.environments.first(where: { $0.name == environmentName }) else {
            throw StageError.unknownEnvironment(environmentName)
        }
        let repository = configuration.repositories[0]
        let current = try await store.lastKnownGood(environment: environmentName)
        guard let target = try await store.releaseHistory(environment: environmentName, repository: repository)
            .first(where: { $0.tag != current?.tag }) else {
            throw StageError.noEarlierRelease(environment: environmentName)
        }
        guard let job = try await store.job(id: target.jobID)?.job else { throw StageError.noEarlierRelease(environment: environmentName) }
        // The target's own checkout holds the manifests it was released with.
        try await apply(job, environment: environment, images: target.images, checkout: checkout(job.id), stagePrefix: "rollback")
        if let current {
            try await store.markBad(repository: repository, tag: current.tag, reason: reason)
        }
        try await store.setLastKnownGood(environment: environmentName, target)
        logger.info("environment rolled back", metadata: ["deploy.environment": "\(environmentName)", "deploy.tag": "\(target.tag)"])
        return target
    }
}
