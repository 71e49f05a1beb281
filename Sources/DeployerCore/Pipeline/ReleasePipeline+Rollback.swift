import Foundation

/// Rolling an environment back by hand (`deployer rollback ENV`, or `POST /api/rollback` run by the worker).
extension ReleasePipeline {
    /// Runs a rollback job queued through the API: the environment is in `job.environment`, the reason
    /// in `job.error`; the job ends `succeeded` (what runs now is in its error field) or `rollback_failed`.
    func runRollback(_ job: JobRecord) async -> DeploymentStore.JobStatus {
        let environment = job.environment ?? ""
        do {
            let restored = try await rollBack(environment: environment, reason: job.error ?? "rolled back by an operator", recordingIn: job)
            try await store.finishJob(jobID: job.id, status: .succeeded, error: "\(environment) runs \(restored.tag) again")
            return .succeeded
        } catch ShellError.shuttingDown {
            // Nothing is half-done that a second run cannot finish: queued again as it was.
            try? await store.pause(jobID: job.id)
            return .queued
        } catch {
            logger.error("rollback failed: someone must act", metadata: ["deploy.environment": "\(environment)", "deploy.reason": "\(error)"])
            try? await store.finishJob(jobID: job.id, status: .rollbackFailed, error: "\(error)")
            return .rollbackFailed
        }
    }

    /// Puts the release before the current one back into `environmentName`, confirms it is healthy,
    /// marks the current version bad (so automation does not redeploy it) and returns what now runs.
    public func rollBack(environment environmentName: String, reason: String, recordingIn record: JobRecord? = nil) async throws -> LastKnownGood {
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
        // From the target's release record; the stages are recorded under the rollback job when there is one.
        try await restore(record ?? job, environment: environment, target: target, stagePrefix: "rollback")
        if let current {
            try await store.markBad(repository: repository, tag: current.tag, reason: reason)
        }
        try await store.setLastKnownGood(environment: environmentName, target)
        logger.info("environment rolled back", metadata: ["deploy.environment": "\(environmentName)", "deploy.tag": "\(target.tag)"])
        return target
    }
}
