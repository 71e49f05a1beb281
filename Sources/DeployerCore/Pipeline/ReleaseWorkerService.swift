import Logging
import ServiceLifecycle

/// The release worker as a service of `deployer serve`'s group: it finishes what a previous process left
/// (`recoverInterruptedJobs`), then runs the queue; on a graceful shutdown (SIGTERM) it starts no new job
/// or stage, gives the stage under way `stopTimeout` to finish (then kills its command), and puts the job
/// back in the queue to resume on the next start.
///
/// Listed after the HTTP server: services stop last first, so the receiver keeps answering (and queueing
/// deliveries durably) while the release stops.
public struct ReleaseWorkerService: Service {
    let worker: ReleaseWorker
    let stopTimeout: Duration
    let logger: Logger

    public init(worker: ReleaseWorker, stopTimeout: Duration, logger: Logger) {
        self.worker = worker
        self.stopTimeout = stopTimeout
        self.logger = logger
    }

    public func run() async throws {
        let worker = self.worker, logger = self.logger
        let running = Task {
            do { try await worker.recoverInterruptedJobs() } catch {
                logger.error("cannot recover interrupted releases", metadata: ["deploy.reason": "\(error)"])
            }
            await worker.run()
        }
        await withGracefulShutdownHandler {
            await running.value
        } onGracefulShutdown: {
            worker.requestStop(deadline: stopTimeout)
        }
        logger.info("release worker stopped")
    }
}
