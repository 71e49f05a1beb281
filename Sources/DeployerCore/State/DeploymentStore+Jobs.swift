import Foundation
import GRDB

/// The release that last passed its checks in an environment: where automatic rollback returns to.
public struct LastKnownGood: Codable, Sendable, Equatable {
    public var jobID: Int64
    public var tag: String
    public var commit: String?
    /// Image name -> pinned reference (`repo@sha256:...`).
    public var images: [String: String]
    /// The manifests applied, as `kubectl kustomize` rendered them at release time: what a rollback
    /// applies again, so it needs neither the release's checkout nor its overlay. Nil for releases
    /// recorded before the deployer kept them.
    public var manifests: String? = nil
}

/// Job and stage transitions for the pipeline; each is one transaction.
extension DeploymentStore {
    /// Job statuses as stored.
    public enum JobStatus: String, Sendable {
        case queued, running, succeeded, failed, rolledBack = "rolled_back", superseded
        /// The release failed and so did the rollback of what it had changed: someone must act.
        case rollbackFailed = "rollback_failed"

        /// Whether the job is over.
        public var isFinished: Bool { self != .queued && self != .running }
    }

    /// Takes the oldest queued job and marks it running, or returns nil.
    public func claimNextJob() async throws -> JobRecord? {
        let now = DeploymentStore.timestamp()
        return try await database.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM jobs WHERE status = 'queued' ORDER BY id LIMIT 1") else { return nil }
            let id: Int64 = row["id"]
            try db.execute(sql: "UPDATE jobs SET status = 'running', started_at = ? WHERE id = ?", arguments: [now, id])
            return try Row.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id]).map(JobRecord.init(row:))
        }
    }

    /// Jobs left `running` by a deployer that stopped (crash, kill -9, power loss).
    public func interruptedJobs() async throws -> [JobRecord] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM jobs WHERE status = 'running' ORDER BY id").map(JobRecord.init(row:))
        }
    }

    /// Puts a job back in the queue (used on restart when nothing outside was changed yet).
    public func requeue(jobID: Int64) async throws {
        try await database.write { db in
            try db.execute(sql: "UPDATE stage_runs SET status = 'interrupted', finished_at = ? WHERE job_id = ? AND status = 'running'",
                           arguments: [DeploymentStore.timestamp(), jobID])
            try db.execute(sql: "UPDATE jobs SET status = 'queued', stage = NULL, started_at = NULL WHERE id = ?", arguments: [jobID])
        }
    }

    /// Records the commit the tag resolved to.
    public func setCommit(jobID: Int64, commit: String) async throws {
        try await database.write { db in
            try db.execute(sql: "UPDATE jobs SET commit_sha = ? WHERE id = ?", arguments: [commit, jobID])
        }
    }

    /// Opens a stage run and sets the job's current stage; returns the run's id.
    public func startStage(jobID: Int64, name: String, environment: String? = nil) async throws -> Int64 {
        let now = DeploymentStore.timestamp()
        return try await database.write { db in
            try db.execute(sql: "UPDATE jobs SET stage = ? WHERE id = ?", arguments: [name, jobID])
            try db.execute(
                sql: "INSERT INTO stage_runs (job_id, name, environment, status, started_at) VALUES (?, ?, ?, 'running', ?)",
                arguments: [jobID, name, environment, now])
            return db.lastInsertedRowID
        }
    }

    /// Closes a stage run with its outcome and the tail of its log.
    public func finishStage(runID: Int64, succeeded: Bool, exitCode: Int32?, log: String) async throws {
        let tail = String(log.utf8.suffix(Limits.stageLogTailBytes)) ?? ""
        try await database.write { db in
            try db.execute(
                sql: "UPDATE stage_runs SET status = ?, finished_at = ?, exit_code = ?, log_tail = ? WHERE id = ?",
                arguments: [succeeded ? "succeeded" : "failed", DeploymentStore.timestamp(), exitCode.map { Int($0) }, tail, runID])
        }
    }

    /// Ends a job.
    public func finishJob(jobID: Int64, status: JobStatus, error: String? = nil) async throws {
        try await database.write { db in
            try db.execute(sql: "UPDATE jobs SET status = ?, error = ?, finished_at = ? WHERE id = ?",
                           arguments: [status.rawValue, error, DeploymentStore.timestamp(), jobID])
        }
    }

    /// The last-known-good release of `environment`, if any.
    public func lastKnownGood(environment: String) async throws -> LastKnownGood? {
        try await database.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM last_known_good WHERE environment = ?", arguments: [environment]) else { return nil }
            let images = (try? JSONDecoder().decode([String: String].self, from: Data((row["images"] as String).utf8))) ?? [:]
            return LastKnownGood(jobID: row["job_id"], tag: row["tag"], commit: row["commit_sha"], images: images)
        }
    }

    /// Records `release` as the last-known-good of `environment`.
    public func setLastKnownGood(environment: String, _ release: LastKnownGood) async throws {
        let images = String(decoding: try JSONEncoder().encode(release.images), as: UTF8.self)
        try await database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO last_known_good (environment, job_id, tag, commit_sha, images, updated_at) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT(environment) DO UPDATE SET job_id = excluded.job_id, tag = excluded.tag,
                        commit_sha = excluded.commit_sha, images = excluded.images, updated_at = excluded.updated_at
                    """,
                arguments: [environment, release.jobID, release.tag, release.commit, images, DeploymentStore.timestamp()])
            try db.execute(
                sql: """
                    INSERT INTO environment_releases (environment, job_id, tag, commit_sha, images, deployed_at, manifests, repository)
                    VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT repository FROM jobs WHERE id = ?))
                    """,
                arguments: [environment, release.jobID, release.tag, release.commit, images, DeploymentStore.timestamp(), release.manifests,
                            release.jobID])
        }
    }

    /// The releases that were last-known-good in `environment`, newest first, without versions marked bad.
    public func releaseHistory(environment: String, repository: String) async throws -> [LastKnownGood] {
        try await database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM environment_releases r WHERE environment = ?
                AND NOT EXISTS (SELECT 1 FROM bad_versions b WHERE b.repository = ? AND b.tag = r.tag)
                ORDER BY id DESC
                """, arguments: [environment, repository]).map { row in
                let images = (try? JSONDecoder().decode([String: String].self, from: Data((row["images"] as String).utf8))) ?? [:]
                return LastKnownGood(jobID: row["job_id"], tag: row["tag"], commit: row["commit_sha"], images: images, manifests: row["manifests"])
            }
        }
    }

    /// Marks a version bad so that automation never deploys it again.
    public func markBad(repository: String, tag: String, reason: String) async throws {
        try await database.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO bad_versions (repository, tag, reason, marked_at) VALUES (?, ?, ?, ?)",
                arguments: [repository, tag, reason, DeploymentStore.timestamp()])
        }
    }
}

extension DeploymentStore {
    /// The environments in which job `jobID` started changing something (apply, rollout or rollback).
    public func environmentsTouched(jobID: Int64) async throws -> [String] {
        try await database.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT environment FROM stage_runs WHERE job_id = ? AND environment IS NOT NULL ORDER BY id", arguments: [jobID])
        }
    }
}
