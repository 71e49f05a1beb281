import Foundation
import GRDB

/// One release job as the API shows it.
public struct JobRecord: Codable, Sendable, Equatable {
    public var id: Int64
    public var repository: String
    public var tag: String
    public var commit: String?
    public var source: String
    public var status: String
    public var stage: String?
    public var error: String?
    public var createdAt: String
    public var startedAt: String?
    public var finishedAt: String?
    /// `release`, or `rollback` (an operator's rollback run by the worker).
    public var kind: String
    /// 1 for a tag's first release attempt, 2 for its first retry, ...
    public var attempt: Int
    /// Who pushed the tag (the forge's login), or who asked (`operator`).
    public var sender: String?
    /// A rollback's environment.
    public var environment: String?

    enum CodingKeys: String, CodingKey {
        case id, repository, tag, source, status, stage, error, kind, attempt, sender, environment
        case commit = "commit_sha", createdAt = "created_at", startedAt = "started_at", finishedAt = "finished_at"
    }

    init(row: Row) {
        id = row["id"]
        repository = row["repository"]
        tag = row["tag"]
        commit = row["commit_sha"]
        source = row["source"]
        status = row["status"]
        stage = row["stage"]
        error = row["error"]
        createdAt = row["created_at"]
        startedAt = row["started_at"]
        finishedAt = row["finished_at"]
        kind = row["kind"] ?? "release"
        attempt = row["attempt"] ?? 1
        sender = row["sender"]
        environment = row["environment"]
    }
}

/// One stage of a job, with the tail of its log.
public struct StageRunRecord: Codable, Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var environment: String?
    public var status: String
    public var startedAt: String
    public var finishedAt: String?
    public var exitCode: Int?
    public var logTail: String?

    enum CodingKeys: String, CodingKey {
        case id, name, environment, status
        case startedAt = "started_at", finishedAt = "finished_at", exitCode = "exit_code", logTail = "log_tail"
    }
}

/// Read access for the API and the CLI.
extension DeploymentStore {
    /// The newest jobs first.
    public func jobs(limit: Int = Limits.defaultHistoryLimit) async throws -> [JobRecord] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM jobs ORDER BY id DESC LIMIT ?", arguments: [limit]).map(JobRecord.init(row:))
        }
    }

    /// One job with its stages, or nil.
    public func job(id: Int64) async throws -> (job: JobRecord, stages: [StageRunRecord])? {
        try await database.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id]) else { return nil }
            let stages = try Row.fetchAll(db, sql: "SELECT * FROM stage_runs WHERE job_id = ? ORDER BY id", arguments: [id]).map { row in
                StageRunRecord(
                    id: row["id"], name: row["name"], environment: row["environment"], status: row["status"],
                    startedAt: row["started_at"], finishedAt: row["finished_at"], exitCode: row["exit_code"], logTail: row["log_tail"])
            }
            return (JobRecord(row: row), stages)
        }
    }
}
