import Foundation
import Logging

/// Rolling a release through the environments, and rolling it back.
extension ReleasePipeline {
    /// Applies the release to every environment in order. When one is unhealthy, the version is marked
    /// bad and that environment and every earlier one this release updated go back to their previous
    /// healthy release.
    func deployEverywhere(_ job: JobRecord, commit: String, images: [String: String], log: Logger) async throws {
        let byRepository = repositoryReferences(images)
        var updated: [DeployerConfiguration.Environment] = []
        for environment in configuration.environments {
            // Updated by this very job before a graceful stop: healthy then, and not rolled out again.
            if try await store.lastKnownGood(environment: environment.name)?.jobID == job.id {
                updated.append(environment)
                continue
            }
            if let newer = try await newerRelease(than: job.tag, in: environment.name) {
                throw StageError.superseded(tag: job.tag, deployed: newer, environment: environment.name)
            }
            do {
                let manifests = try await apply(job, environment: environment, images: byRepository, checkout: checkout(job.id), stagePrefix: "deploy")
                try await store.setLastKnownGood(environment: environment.name,
                                                 LastKnownGood(jobID: job.id, tag: job.tag, commit: commit, images: byRepository, manifests: manifests))
                updated.append(environment)
                log.info("environment updated", metadata: ["deploy.environment": "\(environment.name)"])
            } catch let failure as StageError {
                log.error("environment unhealthy, rolling back", metadata: ["deploy.environment": "\(environment.name)", "deploy.reason": "\(failure)"])
                try await store.markBad(repository: job.repository, tag: job.tag, reason: failure.description)
                var restored = await rollBack(job, environment: environment)
                for earlier in updated.reversed() {
                    restored = await rollBack(job, environment: earlier) && restored
                }
                throw ReleaseFailure(reason: failure, status: restored ? .rolledBack : .rollbackFailed)
            }
        }
    }

    /// Returns `environment` to the newest earlier release not marked bad (or to the previous
    /// ReplicaSets when there is none) and confirms it is healthy; false when that failed too, which
    /// needs a person.
    func rollBack(_ job: JobRecord, environment: DeployerConfiguration.Environment) async -> Bool {
        do {
            let history = try await store.releaseHistory(environment: environment.name, repository: job.repository)
            if let target = history.first(where: { $0.jobID != job.id }) {
                try await restore(job, environment: environment, target: target, stagePrefix: "rollback")
                try await store.setLastKnownGood(environment: environment.name, target)
            } else {
                for deployment in environment.deployments {
                    try await stage(job, "rollback \(environment.name)", ["kubectl", "rollout", "undo", "deployment/\(deployment)", "--namespace", environment.namespace] + environment.kubectlContext,
                                    environment: environment.name)
                }
                try await waitForRollout(job, environment: environment, stagePrefix: "rollback")
            }
            return true
        } catch {
            logger.error("rollback failed: someone must act", metadata: ["deploy.environment": "\(environment.name)", "deploy.reason": "\(error)"])
            return false
        }
    }

    /// Renders the pinned overlay (`kubectl kustomize`), applies what it rendered, waits for every
    /// deployment and smoke-checks; returns the manifests applied, kept with the release so that a
    /// rollback to it needs neither its checkout nor its overlay.
    @discardableResult
    func apply(_ job: JobRecord, environment: DeployerConfiguration.Environment, images: [String: String], checkout: String,
               stagePrefix: String) async throws -> String {
        let directory = try KustomizeOverlay.write(checkout: checkout, environment: environment.name, overlay: environment.overlay, images: images)
        let file = "\(directory)/\(KustomizeOverlay.renderedFile)"
        try? FileManager.default.removeItem(atPath: file)
        // Its own stage name, not reported on its own: the forge's status for the environment is the apply's.
        try await stage(job, "\(stagePrefix) render \(environment.name)", ["kubectl", "kustomize", directory, "--output", file],
                        environment: environment.name, reported: false)
        guard let manifests = try? String(contentsOfFile: file, encoding: .utf8), !manifests.isEmpty else {
            throw StageError.noManifests(environment: environment.name, path: file)
        }
        try await applyRendered(job, environment: environment, file: file, stagePrefix: stagePrefix)
        return manifests
    }

    /// Applies rendered manifests, waits for every deployment and smoke-checks.
    func applyRendered(_ job: JobRecord, environment: DeployerConfiguration.Environment, file: String, stagePrefix: String) async throws {
        // --namespace: kubectl refuses an object the overlay puts in another namespace than the environment's.
        try await stage(job, "\(stagePrefix) \(environment.name)",
                        ["kubectl", "apply", "-f", file, "--namespace", environment.namespace] + environment.kubectlContext,
                        environment: environment.name)
        try await waitForRollout(job, environment: environment, stagePrefix: stagePrefix)
        if let url = environment.smokeURL { try await smokeCheck(job, environment: environment, url: url, stagePrefix: stagePrefix) }
    }

    /// Puts `target` back into `environment` from its release record: the manifests rendered when it was
    /// released. Releases recorded before manifests were kept are rendered again from their own checkout
    /// while it exists.
    func restore(_ job: JobRecord, environment: DeployerConfiguration.Environment, target: LastKnownGood, stagePrefix: String) async throws {
        guard let manifests = target.manifests else {
            let own = checkout(target.jobID)
            guard FileManager.default.fileExists(atPath: own) else { throw StageError.nothingToRestore(environment: environment.name, tag: target.tag) }
            try await apply(job, environment: environment, images: target.images, checkout: own, stagePrefix: stagePrefix)
            return
        }
        let directory = "\(configuration.workDirectory)/rollbacks/\(environment.name)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let file = "\(directory)/\(KustomizeOverlay.renderedFile)"
        try manifests.write(toFile: file, atomically: true, encoding: .utf8)
        try await applyRendered(job, environment: environment, file: file, stagePrefix: stagePrefix)
    }

    /// GETs `url` until it answers 2xx, up to the environment's attempts (a Service may take a few seconds
    /// to route to new pods), each with its timeout; the stage log has every attempt.
    func smokeCheck(_ job: JobRecord, environment: DeployerConfiguration.Environment, url: String, stagePrefix: String) async throws {
        if stop.isRequested { throw ShellError.shuttingDown }
        let runID = try await store.startStage(jobID: job.id, name: "\(stagePrefix) smoke \(environment.name)", environment: environment.name)
        let started = ContinuousClock.now
        let attempts = environment.smokeAttempts ?? Limits.smokeAttempts
        let timeout = environment.smokeTimeoutSeconds ?? Limits.smokeTimeoutSeconds
        var log: [String] = []
        var problem: String?
        for attempt in 1...attempts {
            problem = await smoke.check(url: url, timeout: timeout)
            log.append("GET \(url) (attempt \(attempt) of \(attempts)): \(problem ?? "ok")")
            if problem == nil || attempt == attempts || stop.isRequested { break }
            try? await Task.sleep(for: environment.smokeIntervalSeconds.map { .milliseconds(Int64($0 * 1000)) } ?? Limits.smokeRetryInterval)
        }
        let elapsed = ContinuousClock.now - started
        metrics.recordStage("smoke", seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        try await store.finishStage(runID: runID, succeeded: problem == nil, exitCode: nil, log: log.joined(separator: "\n"))
        await report(job, problem == nil ? .success : .failure, context: Self.context(ofStage: "\(stagePrefix) smoke \(environment.name)"),
                     problem.map { "smoke check failed: \($0)" } ?? "smoke check passed")
        if let problem { throw StageError.smokeFailed(environment: environment.name, url: url, reason: problem) }
    }

    /// `kubectl rollout status` for every deployment of the environment.
    func waitForRollout(_ job: JobRecord, environment: DeployerConfiguration.Environment, stagePrefix: String) async throws {
        let timeout = environment.rolloutTimeoutSeconds ?? Limits.defaultRolloutTimeoutSeconds
        for deployment in environment.deployments {
            try await stage(job, "\(stagePrefix) rollout \(environment.name)",
                            ["kubectl", "rollout", "status", "deployment/\(deployment)", "--namespace", environment.namespace,
                             "--timeout=\(Int(timeout))s"] + environment.kubectlContext,
                            timeout: timeout + 30, environment: environment.name)
        }
    }

    /// Image name -> reference, re-keyed by registry repository (what kustomize matches on).
    func repositoryReferences(_ images: [String: String]) -> [String: String] {
        var result: [String: String] = [:]
        for image in configuration.images { if let reference = images[image.name] { result[image.repository] = reference } }
        return result
    }
}
