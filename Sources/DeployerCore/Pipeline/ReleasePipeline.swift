import Foundation
import Logging

/// Runs one release job from tag to production, recording every stage, and rolls back on failure.
///
/// Stages, in order: fetch (from the configured remote only; the tag re-resolved to its commit) ->
/// checkout -> the configured test stages -> build and push every image, recording digests -> for each
/// environment in order: apply the overlay pinned to those digests, wait for the rollout, smoke-check,
/// record it as last-known-good. A failure before any environment stops the release with nothing pushed
/// past the failing stage; a failed rollout or smoke check rolls that environment back to its
/// last-known-good release, marks the version bad and stops. Every command is an argv (no shell) with a
/// timeout that kills its whole process group.
public struct ReleasePipeline: Sendable {
    let configuration: DeployerConfiguration
    let store: DeploymentStore
    let runner: any CommandRunner
    let smoke: any SmokeChecker
    let metrics: DeployerMetrics
    let logger: Logger
    /// Asked by a graceful shutdown: the job under way stops after its current stage and resumes later.
    public let stop = StopSignal()
    /// Where progress is reported (commit statuses), when a forge is configured.
    let forge: ForgeReporter?

    public init(configuration: DeployerConfiguration, store: DeploymentStore, runner: any CommandRunner,
                smoke: any SmokeChecker = HTTPSmokeChecker(), metrics: DeployerMetrics = DeployerMetrics(),
                forge: ForgeReporter? = nil, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.runner = runner
        self.smoke = smoke
        self.metrics = metrics
        self.forge = forge
        self.logger = logger
    }

    /// Reports a status of `job` on its commit (nothing before the tag was resolved to one).
    func report(_ job: JobRecord, _ state: ForgeStatus.State, context: String, _ description: String) async {
        guard let forge, let commit = try? await store.job(id: job.id)?.job.commit, !commit.isEmpty else { return }
        forge.report(ForgeStatus(repository: job.repository, commit: commit, state: state, context: context, description: description))
    }

    /// The context of stage `name` (`intentops/deploy staging`).
    static func context(ofStage name: String) -> String { "intentops/\(name)" }
    static let releaseContext = "intentops/release"

    /// The local mirror of the configured remote.
    var mirror: String { "\(configuration.workDirectory)/mirror.git" }

    /// The checkout of job `id`.
    func checkout(_ id: Int64) -> String { "\(configuration.workDirectory)/jobs/\(id)" }

    /// Runs `job` (a release, or an operator's rollback) to its end and returns its final status;
    /// `.queued` when a graceful stop put it back in the queue to resume.
    @discardableResult
    public func run(_ job: JobRecord) async -> DeploymentStore.JobStatus {
        if job.kind == "rollback" { return await runRollback(job) }
        let status = await runStages(job)
        if status != .queued, status != .running { await prune(after: job, log: logger) }
        return status
    }

    private func runStages(_ job: JobRecord) async -> DeploymentStore.JobStatus {
        var log = logger
        log[metadataKey: "deploy.tag"] = "\(job.tag)"
        log[metadataKey: "deploy.job"] = "\(job.id)"
        do {
            // A release stopped gracefully after its images were pushed resumes at its rollout: the images
            // are pinned by digest, and the environments it already updated are not touched again.
            let built = try await store.images(jobID: job.id)
            let commit = try await fetch(job, runningTests: built == nil)
            // An older tag is refused before anything is built or pushed.
            for environment in configuration.environments {
                if let newer = try await newerRelease(than: job.tag, in: environment.name) {
                    throw StageError.superseded(tag: job.tag, deployed: newer, environment: environment.name)
                }
            }
            let images: [String: String]
            if let built {
                images = built
                log.info("resuming the release after its build")
            } else {
                images = try await buildImages(job, commit: commit)
                try await store.setImages(jobID: job.id, images: images)
            }
            try await deployEverywhere(job, commit: commit, images: images, log: log)
            try await store.finishJob(jobID: job.id, status: .succeeded)
            log.info("release succeeded")
            await report(job, .success, context: Self.releaseContext,
                         "\(job.tag) released to \(configuration.environments.map(\.name).joined(separator: ", "))")
            return .succeeded
        } catch ShellError.shuttingDown {
            // A graceful stop: back in the queue, to resume from the stage it had reached, never rolled back
            // for the stop itself.
            do {
                try await store.pause(jobID: job.id)
                log.info("deployer stopping; the release resumes on the next start")
                return .queued
            } catch {
                log.error("cannot put the stopped release back in the queue; the next start recovers it", metadata: ["deploy.reason": "\(error)"])
                return .running
            }
        } catch let error as ReleaseFailure {
            log.error("release failed", metadata: ["deploy.reason": "\(error.reason)"])
            try? await store.finishJob(jobID: job.id, status: error.status, error: error.reason.description)
            await report(job, .failure, context: Self.releaseContext, "\(error.status.rawValue): \(error.reason.description)")
            return error.status
        } catch let error as StageError {
            let status: DeploymentStore.JobStatus
            if case .superseded = error { status = .superseded } else { status = .failed }
            log.error("release stopped", metadata: ["deploy.reason": "\(error)"])
            try? await store.finishJob(jobID: job.id, status: status, error: error.description)
            await report(job, status == .superseded ? .error : .failure, context: Self.releaseContext, error.description)
            return status
        } catch {
            log.error("release failed", metadata: ["deploy.reason": "\(error)"])
            try? await store.finishJob(jobID: job.id, status: .failed, error: "\(error)")
            await report(job, .failure, context: Self.releaseContext, "failed: \(error)")
            return .failed
        }
    }

    /// A failure after an environment was touched: the job ends rolled back (or failed if the rollback
    /// itself failed).
    struct ReleaseFailure: Error {
        var reason: StageError
        var status: DeploymentStore.JobStatus
    }

    /// Fetches from the configured remote, resolves the tag to a commit, checks the commit out and, unless
    /// resuming after the build, runs the test stages.
    func fetch(_ job: JobRecord, runningTests: Bool = true) async throws -> String {
        try FileManager.default.createDirectory(atPath: "\(configuration.workDirectory)/jobs", withIntermediateDirectories: true)
        if FileManager.default.fileExists(atPath: mirror) {
            try await stage(job, "fetch", ["git", "-C", mirror, "fetch", "--prune", "--prune-tags", "--force", "--quiet", "origin"], reported: false)
        } else {
            try await stage(job, "fetch", ["git", "clone", "--mirror", "--quiet", "--", configuration.remote, mirror], reported: false)
        }
        // The tag was validated by the webhook layer; `--end-of-options` and the refs/tags/ prefix keep
        // git from reading it as an option or another kind of ref all the same. An annotated tag resolves
        // to a tag object and, peeled, to its commit: a payload may name either.
        let notFound: (CommandResult) -> StageError = { _ in StageError.tagNotFound(tag: job.tag, remote: configuration.remote) }
        let object = try await stage(job, "resolve", ["git", "-C", mirror, "rev-parse", "--verify", "--quiet", "--end-of-options", "refs/tags/\(job.tag)"],
                                     failure: notFound, reported: false).output.trimmingCharacters(in: .whitespacesAndNewlines)
        let commit = try await stage(job, "resolve", ["git", "-C", mirror, "rev-parse", "--verify", "--quiet", "--end-of-options", "refs/tags/\(job.tag)^{commit}"],
                                     failure: notFound, reported: false).output.trimmingCharacters(in: .whitespacesAndNewlines)
        if let expected = job.commit, !expected.isEmpty, expected != commit, expected != object {
            throw StageError.tagMoved(tag: job.tag, expected: expected, found: commit)
        }
        try await store.setCommit(jobID: job.id, commit: commit)
        await report(job, .pending, context: Self.releaseContext, "releasing \(job.tag) (attempt \(job.attempt))")
        let directory = checkout(job.id)
        try? FileManager.default.removeItem(atPath: directory)
        try await stage(job, "checkout", ["git", "clone", "--quiet", "--no-checkout", "--", mirror, directory])
        try await stage(job, "checkout", ["git", "-C", directory, "checkout", "--quiet", "--detach", commit])
        for test in configuration.stages where runningTests {
            try await stage(job, test.name, test.argv, directory: directory, timeout: test.timeoutSeconds ?? Limits.defaultStageTimeoutSeconds)
        }
        return commit
    }

    /// Builds and pushes every configured image; returns image name -> `repository@sha256:...`.
    func buildImages(_ job: JobRecord, commit: String) async throws -> [String: String] {
        var pinned: [String: String] = [:]
        let directory = checkout(job.id)
        for image in configuration.images {
            let versionTag = "\(image.repository):\(job.tag)"
            var argv = ["docker", "build"] + configuration.dockerBuildFlags + (image.buildFlags ?? []) + ["--file", image.dockerfile, "--tag", versionTag, "--tag", "\(image.repository):\(commit.prefix(12))",
                        "--label", "org.opencontainers.image.version=\(job.tag)", "--label", "org.opencontainers.image.revision=\(commit)"]
            for (key, value) in (image.buildArgs ?? [:]).sorted(by: { $0.key < $1.key }) {
                argv += ["--build-arg", "\(key)=\(ReleasePipeline.substitute(value, pinned: pinned, tag: job.tag, commit: commit))"]
            }
            argv.append(".")
            try await stage(job, "build \(image.name)", argv, directory: directory, timeout: Limits.defaultStageTimeoutSeconds)
            try await stage(job, "push \(image.name)", ["docker", "push", versionTag], directory: directory)
            // An image pushed to several repositories has several digests: take this repository's.
            let inspected = try await stage(job, "digest \(image.name)", ["docker", "inspect", "--format", "{{range .RepoDigests}}{{println .}}{{end}}", versionTag])
            guard let reference = inspected.output.split(whereSeparator: \.isNewline).map(String.init)
                .first(where: { $0.hasPrefix("\(image.repository)@sha256:") }) else { throw StageError.digestMissing(image: versionTag) }
            pinned[image.name] = reference
        }
        return pinned
    }

    /// Replaces `{image:NAME}`, `{tag}` and `{commit}` in a build argument, so a later image can be
    /// built FROM the exact digest of an earlier one.
    static func substitute(_ value: String, pinned: [String: String], tag: String, commit: String) -> String {
        var result = value.replacingOccurrences(of: "{tag}", with: tag).replacingOccurrences(of: "{commit}", with: commit)
        for (name, reference) in pinned { result = result.replacingOccurrences(of: "{image:\(name)}", with: reference) }
        return result
    }

    /// The tag deployed in `environment` when it is newer than `tag`, else nil.
    func newerRelease(than tag: String, in environment: String) async throws -> String? {
        guard let current = try await store.lastKnownGood(environment: environment),
              let deployed = SemanticVersion(tag: current.tag), let candidate = SemanticVersion(tag: tag),
              deployed > candidate else { return nil }
        return current.tag
    }
}
