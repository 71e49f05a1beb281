import Foundation
import GRDB

/// The deployer's durable state in SQLite: deliveries, jobs, stage runs, last-known-good releases per
/// environment, and versions marked bad.
///
/// SQLite in WAL mode with `synchronous = FULL`: a committed write survives a crash or power loss, so a
/// delivery answered 202 is never lost. Every multi-row change is one transaction.
public final class DeploymentStore: Sendable {
    let database: DatabaseQueue

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    public init(path: String) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        database = try DatabaseQueue(path: path, configuration: configuration)
        try DeploymentStore.migrator.migrate(database)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE jobs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    repository TEXT NOT NULL,
                    tag TEXT NOT NULL,
                    commit_sha TEXT,
                    source TEXT NOT NULL,
                    status TEXT NOT NULL,
                    stage TEXT,
                    error TEXT,
                    created_at TEXT NOT NULL,
                    started_at TEXT,
                    finished_at TEXT,
                    UNIQUE (repository, tag)
                );
                CREATE TABLE deliveries (
                    id TEXT PRIMARY KEY,
                    provider TEXT NOT NULL,
                    event TEXT NOT NULL,
                    repository TEXT NOT NULL,
                    tag TEXT NOT NULL,
                    commit_sha TEXT,
                    received_at TEXT NOT NULL,
                    job_id INTEGER REFERENCES jobs(id)
                );
                CREATE TABLE stage_runs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    job_id INTEGER NOT NULL REFERENCES jobs(id),
                    name TEXT NOT NULL,
                    environment TEXT,
                    status TEXT NOT NULL,
                    started_at TEXT NOT NULL,
                    finished_at TEXT,
                    exit_code INTEGER,
                    log_tail TEXT
                );
                CREATE TABLE last_known_good (
                    environment TEXT PRIMARY KEY,
                    job_id INTEGER NOT NULL REFERENCES jobs(id),
                    tag TEXT NOT NULL,
                    commit_sha TEXT,
                    images TEXT NOT NULL,
                    updated_at TEXT NOT NULL
                );
                CREATE TABLE bad_versions (
                    repository TEXT NOT NULL,
                    tag TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    marked_at TEXT NOT NULL,
                    PRIMARY KEY (repository, tag)
                );
                CREATE INDEX jobs_by_status ON jobs(status, id);
                CREATE INDEX stage_runs_by_job ON stage_runs(job_id, id);
                """)
        }
        migrator.registerMigration("v2: release history per environment") { db in
            // Every release that became last-known-good, so an operator can roll back past the current one.
            try db.execute(sql: """
                CREATE TABLE environment_releases (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    environment TEXT NOT NULL,
                    job_id INTEGER NOT NULL REFERENCES jobs(id),
                    tag TEXT NOT NULL,
                    commit_sha TEXT,
                    images TEXT NOT NULL,
                    deployed_at TEXT NOT NULL
                );
                CREATE INDEX environment_releases_by_environment ON environment_releases(environment, id);
                """)
        }
        migrator.registerMigration("v3: attempts, actions, resumable jobs") { db in
            // A failed tag can be tried again: (repository, tag) is no longer unique, (repository, tag,
            // attempt) of a release is. Rollbacks asked through the API are jobs of kind 'rollback', run by
            // the same worker in order with releases. `images` keeps the pinned digests once built, so a
            // release stopped gracefully resumes after its build; `resume` marks such a job.
            // SQLite cannot drop a UNIQUE constraint: the table is rebuilt (foreign keys are off here).
            try db.execute(sql: """
                CREATE TABLE jobs_v3 (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    repository TEXT NOT NULL,
                    tag TEXT NOT NULL,
                    commit_sha TEXT,
                    source TEXT NOT NULL,
                    status TEXT NOT NULL,
                    stage TEXT,
                    error TEXT,
                    created_at TEXT NOT NULL,
                    started_at TEXT,
                    finished_at TEXT,
                    kind TEXT NOT NULL DEFAULT 'release',
                    attempt INTEGER NOT NULL DEFAULT 1,
                    sender TEXT,
                    environment TEXT,
                    images TEXT,
                    resume INTEGER NOT NULL DEFAULT 0
                );
                INSERT INTO jobs_v3 (id, repository, tag, commit_sha, source, status, stage, error, created_at, started_at, finished_at)
                    SELECT id, repository, tag, commit_sha, source, status, stage, error, created_at, started_at, finished_at FROM jobs;
                DROP TABLE jobs;
                ALTER TABLE jobs_v3 RENAME TO jobs;
                CREATE UNIQUE INDEX jobs_attempts ON jobs(repository, tag, attempt) WHERE kind = 'release';
                CREATE INDEX jobs_by_status ON jobs(status, id);
                CREATE INDEX jobs_by_tag ON jobs(repository, tag, id);
                ALTER TABLE stage_runs ADD COLUMN process_group TEXT;
                ALTER TABLE environment_releases ADD COLUMN manifests TEXT;
                ALTER TABLE environment_releases ADD COLUMN repository TEXT;
                """)
        }
        return migrator
    }

    /// The current time as stored (ISO 8601 with milliseconds, UTC).
    static func timestamp(_ date: Date = Date()) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
