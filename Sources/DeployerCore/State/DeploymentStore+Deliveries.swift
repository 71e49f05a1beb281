import Foundation
import GRDB

/// What happened to a delivery when it was recorded.
public enum DeliveryOutcome: Sendable, Equatable {
    /// A new release job was queued.
    case queued(jobID: Int64)
    /// The same delivery id was seen before (a redelivery): nothing new happens.
    case duplicateDelivery(jobID: Int64?)
    /// A new delivery for a (repository, tag) that already has a job: nothing new happens.
    case duplicateRelease(jobID: Int64)
    /// The tag was marked bad after a failed release: automation never deploys it again.
    case blockedVersion(reason: String)

    /// The `result` label of `deployer_webhook_deliveries_total`.
    public var metricLabel: String {
        switch self {
        case .queued: return "queued"
        case .duplicateDelivery: return "duplicate_delivery"
        case .duplicateRelease: return "duplicate_release"
        case .blockedVersion: return "blocked_version"
        }
    }

    /// The job the delivery is attached to, if any.
    public var jobID: Int64? {
        switch self {
        case .queued(let id), .duplicateRelease(let id): return id
        case .duplicateDelivery(let id): return id
        case .blockedVersion: return nil
        }
    }
}

/// Recording accepted webhook deliveries, deduplicated, in one durable transaction.
extension DeploymentStore {
    /// Records `release` (delivery id, repository, tag) and queues a job unless it is a duplicate.
    ///
    /// Deduplication: by delivery id (a redelivery) and by (repository, tag): a tag is released once,
    /// unless its last attempt failed and it is not marked bad, when a redelivery or a new delivery queues
    /// the next attempt. A tag moved to another commit is refused later by the pipeline, which re-resolves it.
    public func recordDelivery(_ release: ReleaseRequest, source: String = "webhook") async throws -> DeliveryOutcome {
        try await recordDeliveries([release], source: source)[0]
    }

    /// Records several deliveries in one transaction (one fsync), in order; each later one sees the
    /// earlier ones, so duplicates inside the batch are recognised too.
    public func recordDeliveries(_ releases: [ReleaseRequest], source: String = "webhook") async throws -> [DeliveryOutcome] {
        let now = DeploymentStore.timestamp()
        return try await database.write { db in
            try releases.map { try Self.record($0, source: source, now: now, in: db) }
        }
    }

    // Statements are compiled once per connection (GRDB's cache): compiling them per delivery was the
    // largest part of the write in a profile of the webhook path.
    private static func record(_ release: ReleaseRequest, source: String, now: String, in db: Database) throws -> DeliveryOutcome {
        let seen = try db.cachedStatement(sql: "SELECT job_id FROM deliveries WHERE id = ?")
        let bad = try db.cachedStatement(sql: "SELECT reason FROM bad_versions WHERE repository = ? AND tag = ?")
        if let row = try Row.fetchOne(seen, arguments: [release.deliveryID]) {
            // A redelivery (the forge's "Redeliver" button repeats the id) of a tag whose last attempt
            // failed, and that is not marked bad, is a request to try again.
            let jobID: Int64? = row["job_id"]
            guard try String.fetchOne(bad, arguments: [release.repository, release.tag]) == nil,
                  let latest = try latestAttempt(repository: release.repository, tag: release.tag, in: db),
                  latest.status == JobStatus.failed.rawValue, latest.id == jobID else {
                return .duplicateDelivery(jobID: jobID)
            }
            let retried = try queueAttempt(release, attempt: latest.attempt + 1, source: source, now: now, in: db)
            try db.execute(sql: "UPDATE deliveries SET job_id = ? WHERE id = ?", arguments: [retried, release.deliveryID])
            return .queued(jobID: retried)
        }
        let insertDelivery = try db.cachedStatement(
            sql: "INSERT INTO deliveries (id, provider, event, repository, tag, commit_sha, received_at, job_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        if let reason = try String.fetchOne(bad, arguments: [release.repository, release.tag]) {
            try insertDelivery.execute(arguments: [release.deliveryID, release.provider.rawValue, release.event, release.repository,
                                                   release.tag, release.commit, now, nil])
            return .blockedVersion(reason: reason)
        }
        let latest = try latestAttempt(repository: release.repository, tag: release.tag, in: db)
        let outcome: DeliveryOutcome
        if let latest, latest.status != JobStatus.failed.rawValue {
            // Queued, running, released or rolled back: a tag is released once unless its attempt failed.
            outcome = .duplicateRelease(jobID: latest.id)
        } else {
            outcome = .queued(jobID: try queueAttempt(release, attempt: (latest?.attempt ?? 0) + 1, source: source, now: now, in: db))
        }
        try insertDelivery.execute(arguments: [release.deliveryID, release.provider.rawValue, release.event, release.repository,
                                               release.tag, release.commit, now, outcome.jobID])
        return outcome
    }

    /// The newest release attempt of (repository, tag).
    static func latestAttempt(repository: String, tag: String, in db: Database) throws -> (id: Int64, attempt: Int, status: String)? {
        let statement = try db.cachedStatement(
            sql: "SELECT id, attempt, status FROM jobs WHERE repository = ? AND tag = ? AND kind = 'release' ORDER BY attempt DESC LIMIT 1")
        return try Row.fetchOne(statement, arguments: [repository, tag]).map { ($0["id"], $0["attempt"], $0["status"]) }
    }

    /// Queues attempt `attempt` of `release`; returns the job's id.
    static func queueAttempt(_ release: ReleaseRequest, attempt: Int, source: String, now: String, in db: Database) throws -> Int64 {
        try db.cachedStatement(sql: """
            INSERT INTO jobs (repository, tag, commit_sha, source, status, created_at, kind, attempt, sender)
            VALUES (?, ?, ?, ?, 'queued', ?, 'release', ?, ?)
            """).execute(arguments: [release.repository, release.tag, release.commit, source, now, attempt, release.sender])
        return db.lastInsertedRowID
    }

    /// Counts of deliveries and jobs, for tests and `/readyz`.
    public func counts() async throws -> (deliveries: Int, jobs: Int) {
        try await database.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM deliveries") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM jobs") ?? 0)
        }
    }
}
