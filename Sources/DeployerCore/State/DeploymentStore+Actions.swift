import Foundation
import GRDB

/// Why an operator's action was refused.
public enum ActionError: Error, CustomStringConvertible, Equatable {
    case noSuchJob(String)
    case notRetryable(tag: String, status: String)
    case blocked(tag: String, reason: String)
    case notBlocked(tag: String)

    public var description: String {
        switch self {
        case .noSuchJob(let what): return "no release job \(what)"
        case let .notRetryable(tag, status):
            return "\(tag) is \(status): only a failed release is retried (a queued or running one is under way, a released one is done)"
        case let .blocked(tag, reason):
            return "\(tag) is marked bad (\(reason)); `deployer unblock \(tag)` first if it should be released after all"
        case .notBlocked(let tag): return "\(tag) is not marked bad"
        }
    }
}

/// Operator actions on the queue (retry, unblock, rollback) and the bookkeeping of resumable jobs.
extension DeploymentStore {
    /// Queues the next attempt of the release that job `id`, or tag `tag` of `repository`, last tried; the
    /// last attempt must have failed and the version must not be marked bad. Returns the new job's id.
    public func retry(jobID: Int64? = nil, repository: String, tag: String?, sender: String = "operator") async throws -> Int64 {
        try await database.write { db in
            var tagName = tag
            var repositoryName = repository
            if let jobID {
                guard let row = try Row.fetchOne(db, sql: "SELECT repository, tag FROM jobs WHERE id = ? AND kind = 'release'", arguments: [jobID]) else {
                    throw ActionError.noSuchJob("\(jobID)")
                }
                tagName = row["tag"]
                repositoryName = row["repository"]
            }
            guard let tagName, let latest = try Self.latestAttempt(repository: repositoryName, tag: tagName, in: db) else {
                throw ActionError.noSuchJob(tag ?? "")
            }
            if let reason = try String.fetchOne(db, sql: "SELECT reason FROM bad_versions WHERE repository = ? AND tag = ?",
                                               arguments: [repositoryName, tagName]) {
                throw ActionError.blocked(tag: tagName, reason: reason)
            }
            guard latest.status == JobStatus.failed.rawValue else { throw ActionError.notRetryable(tag: tagName, status: latest.status) }
            let commit = try String.fetchOne(db, sql: "SELECT commit_sha FROM jobs WHERE id = ?", arguments: [latest.id])
            let request = ReleaseRequest(provider: .manual, deliveryID: "retry-\(UUID().uuidString.lowercased())", repository: repositoryName,
                                         tag: tagName, commit: commit, event: "retry", sender: sender)
            return try Self.queueAttempt(request, attempt: latest.attempt + 1, source: "retry", now: DeploymentStore.timestamp(), in: db)
        }
    }

    /// Lifts the mark on a version marked bad, so that a retry or a new delivery may release it.
    public func unblock(repository: String, tag: String) async throws {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM bad_versions WHERE repository = ? AND tag = ?", arguments: [repository, tag])
            guard db.changesCount > 0 else { throw ActionError.notBlocked(tag: tag) }
        }
    }

    /// Versions marked bad, newest first.
    public func blockedVersions() async throws -> [(repository: String, tag: String, reason: String)] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM bad_versions ORDER BY marked_at DESC").map { ($0["repository"], $0["tag"], $0["reason"]) }
        }
    }

    /// Queues a rollback of `environment`, run by the worker in order with releases; returns its job id.
    public func queueRollback(repository: String, environment: String, reason: String, sender: String = "operator") async throws -> Int64 {
        try await database.write { db in
            try db.execute(sql: """
                INSERT INTO jobs (repository, tag, source, status, created_at, kind, attempt, sender, environment, error)
                VALUES (?, ?, 'operator', 'queued', ?, 'rollback', 1, ?, ?, ?)
                """, arguments: [repository, "rollback \(environment)", DeploymentStore.timestamp(), sender, environment, reason])
            return db.lastInsertedRowID
        }
    }

    /// Keeps the pinned image references of a release once they are built and pushed, so a release
    /// stopped afterwards resumes without building again.
    public func setImages(jobID: Int64, images: [String: String]) async throws {
        let text = String(decoding: try JSONEncoder().encode(images), as: UTF8.self)
        try await database.write { db in
            try db.execute(sql: "UPDATE jobs SET images = ? WHERE id = ?", arguments: [text, jobID])
        }
    }

    /// The pinned images of job `jobID`, once built.
    public func images(jobID: Int64) async throws -> [String: String]? {
        try await database.read { db in
            try String.fetchOne(db, sql: "SELECT images FROM jobs WHERE id = ?", arguments: [jobID])
                .flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) }
        }
    }

    /// A job stopped by a graceful shutdown: back in the queue, marked to resume where it stopped (after
    /// its build, with the environments already updated kept), never rolled back for the stop itself.
    public func pause(jobID: Int64) async throws {
        try await database.write { db in
            try db.execute(sql: "UPDATE stage_runs SET status = 'interrupted', finished_at = ? WHERE job_id = ? AND status = 'running'",
                           arguments: [DeploymentStore.timestamp(), jobID])
            try db.execute(sql: "UPDATE jobs SET status = 'queued', resume = 1 WHERE id = ?", arguments: [jobID])
        }
    }

    /// Whether job `jobID` was paused by a graceful shutdown and resumes.
    public func isResuming(jobID: Int64) async throws -> Bool {
        try await database.read { db in try Bool.fetchOne(db, sql: "SELECT resume = 1 FROM jobs WHERE id = ?", arguments: [jobID]) ?? false }
    }

    /// Records the process group of the command a stage runs, so that a deployer restarted after a crash
    /// can stop what the crashed one left running.
    public func setProcessGroup(runID: Int64, group: ProcessGroup) async throws {
        try await database.write { db in
            try db.execute(sql: "UPDATE stage_runs SET process_group = ? WHERE id = ?", arguments: [group.description, runID])
        }
    }

    /// Process groups of stage runs left `running` by a deployer that stopped without finishing them.
    public func orphanedProcessGroups() async throws -> [ProcessGroup] {
        try await database.read { db in
            try String.fetchAll(db, sql: "SELECT process_group FROM stage_runs WHERE status = 'running' AND process_group IS NOT NULL")
                .compactMap(ProcessGroup.init)
        }
    }

    /// Closes the stage runs of job `jobID` still marked running (the deployer stopped during them).
    public func interruptStages(jobID: Int64) async throws {
        try await database.write { db in
            try db.execute(sql: "UPDATE stage_runs SET status = 'interrupted', finished_at = ? WHERE job_id = ? AND status = 'running'",
                           arguments: [DeploymentStore.timestamp(), jobID])
        }
    }

    /// Finished jobs by final status, counted in the database: every job counts, whichever process (the
    /// server, a restart's recovery, `deployer deploy`) finished it.
    public func finishedJobCounts() async throws -> [String: Int] {
        try await database.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM jobs WHERE status NOT IN ('queued', 'running') GROUP BY status") {
                counts[row["status"]] = row["n"]
            }
            return counts
        }
    }
}
