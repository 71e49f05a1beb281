import Foundation
import Logging

/// Runs queued release jobs one at a time, in arrival order, and finishes interrupted ones on start.
///
/// One worker per deployer serialises every release, so two tags racing never interleave their
/// rollouts; the pipeline's version check then keeps an older tag from replacing a newer one.
public actor ReleaseWorker {
    nonisolated let pipeline: ReleasePipeline
    let store: DeploymentStore
    nonisolated let logger: Logger
    private nonisolated let wakeup = WakeSignal()

    public init(pipeline: ReleasePipeline, store: DeploymentStore, logger: Logger) {
        self.pipeline = pipeline
        self.store = store
        self.logger = logger
    }

    /// Tells the worker that a job was queued (safe from any thread).
    public nonisolated func notify() {
        // One pending wake-up is enough: the worker drains the whole queue each time it wakes.
        wakeup.raise()
    }

    /// Finishes jobs a previous process left running: a job that had not touched any environment is
    /// queued again from the start (its stages are repeatable and nothing was deployed); a job that had
    /// is rolled back to last-known-good in every environment it touched and ends failed. Either way it
    /// never deploys twice.
    public func recoverInterruptedJobs() async throws {
        // What a crashed deployer's stages left running (a `docker build`, a `kubectl rollout status`) is
        // stopped first, so it never runs beside the same stage started again.
        for group in try await store.orphanedProcessGroups() where ProcessCommandRunner.stopLeftover(group) {
            logger.info("stopped a command the previous deployer left running", metadata: ["deploy.process_group": "\(group.id)"])
        }
        for job in try await store.interruptedJobs() {
            try await store.interruptStages(jobID: job.id)
            let touched = try await store.environmentsTouched(jobID: job.id)
            if touched.isEmpty {
                logger.info("resuming interrupted release", metadata: ["deploy.tag": "\(job.tag)", "deploy.job": "\(job.id)"])
                try await store.requeue(jobID: job.id)
                continue
            }
            var restored = true
            for environment in pipeline.configuration.environments where touched.contains(environment.name) {
                restored = await pipeline.rollBack(job, environment: environment) && restored
            }
            let reason = StageError.interrupted(stage: job.stage ?? "unknown").description
            try await store.finishJob(jobID: job.id, status: restored ? .rolledBack : .rollbackFailed, error: reason)
            logger.error("interrupted release rolled back", metadata: ["deploy.tag": "\(job.tag)", "deploy.job": "\(job.id)"])
        }
    }

    /// Runs every queued job, then waits for the next wake-up (or `pollInterval`, so that jobs queued by
    /// another process, such as `deployer deploy`, are picked up too); returns when the task is cancelled.
    public func run(pollInterval: Duration = Limits.queuePollInterval) async {
        repeat {
            await drain()
            guard !pipeline.stop.isRequested else { return }
            await wakeup.wait(timeout: pollInterval)
        } while !Task.isCancelled && !pipeline.stop.isRequested
    }

    /// A graceful stop (safe from any thread): no new job or stage starts, the stage under way gets
    /// `deadline` to finish, then its command is killed; either way the job goes back to the queue and
    /// resumes on the next start, and `run` returns.
    public nonisolated func requestStop(deadline: Duration) {
        pipeline.stop.request()
        wakeup.raise()
        let runner = pipeline.runner, logger = self.logger
        Task {
            try await Task.sleep(for: deadline)
            logger.info("stop deadline passed: stopping the command under way")
            runner.shutDown()
        }
    }

    /// Runs queued jobs until the queue is empty (or a graceful stop is asked).
    public func drain() async {
        while !Task.isCancelled && !pipeline.stop.isRequested {
            do {
                guard let job = try await store.claimNextJob() else { return }
                await pipeline.run(job)
            } catch {
                logger.error("cannot read the job queue", metadata: ["deploy.reason": "\(error)"])
                return
            }
        }
    }
}
