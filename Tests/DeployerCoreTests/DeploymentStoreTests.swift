import Foundation
import Testing
@testable import Observability
@testable import DeployerCore

@Suite("Deployment store")
struct DeploymentStoreTests {
    static func store() throws -> DeploymentStore {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("deployer-state-\(UUID().uuidString)/state.sqlite").path
        return try DeploymentStore(path: path)
    }

    static func release(delivery: String, tag: String = "v1.2.3", repository: String = "acme/intentops") -> ReleaseRequest {
        ReleaseRequest(provider: .github, deliveryID: delivery, repository: repository, tag: tag, commit: String(repeating: "a", count: 40), event: "push")
    }

    @Test("a new delivery queues a job; a redelivery and a second delivery of the same tag do not")
    func deduplication() async throws {
        let store = try Self.store()
        let first = try await store.recordDelivery(Self.release(delivery: "d1"))
        guard case .queued(let jobID) = first else { Issue.record("expected queued, got \(first)"); return }
        #expect(try await store.recordDelivery(Self.release(delivery: "d1")) == .duplicateDelivery(jobID: jobID))
        #expect(try await store.recordDelivery(Self.release(delivery: "d2")) == .duplicateRelease(jobID: jobID))
        guard case .queued(let other) = try await store.recordDelivery(Self.release(delivery: "d3", tag: "v1.2.4")) else {
            Issue.record("a new tag must queue a new job"); return
        }
        #expect(other != jobID)
        let counts = try await store.counts()
        #expect(counts.deliveries == 3 && counts.jobs == 2)
        let jobs = try await store.jobs()
        #expect(jobs.map(\.tag) == ["v1.2.4", "v1.2.3"])
        #expect(jobs.allSatisfy { $0.status == "queued" })
    }

    @Test("the state survives reopening the database (durable before the answer)")
    func durability() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("deployer-state-\(UUID().uuidString)/state.sqlite").path
        do {
            let store = try DeploymentStore(path: path)
            _ = try await store.recordDelivery(Self.release(delivery: "d1"))
        }
        let reopened = try DeploymentStore(path: path)
        #expect(try await reopened.recordDelivery(Self.release(delivery: "d1")).jobID != nil)
        #expect(try await reopened.counts().jobs == 1)
    }

    @Test("concurrent deliveries of one tag queue exactly one job")
    func concurrentDeliveries() async throws {
        let store = try Self.store()
        let outcomes = try await withThrowingTaskGroup(of: DeliveryOutcome.self) { group in
            for index in 0..<50 { group.addTask { try await store.recordDelivery(Self.release(delivery: "d\(index)")) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { if case .queued = $0 { return true } else { return false } }.count == 1)
        #expect(Set(outcomes.compactMap(\.jobID)).count == 1)
    }

    @Test("job detail returns the job and its (empty) stages; unknown ids are nil")
    func detail() async throws {
        let store = try Self.store()
        let outcome = try await store.recordDelivery(Self.release(delivery: "d1"))
        let jobID = try #require(outcome.jobID)
        let found = try #require(try await store.job(id: jobID))
        #expect(found.job.tag == "v1.2.3" && found.stages.isEmpty)
        #expect(try await store.job(id: 999) == nil)
    }

    @Test("group commit: 200 concurrent deliveries, every one recorded once, one job per tag")
    func groupCommit() async throws {
        let store = try Self.store()
        let recorder = DeliveryRecorder(store: store)
        // 100 tags, each delivered twice under different ids, all at once.
        let outcomes = try await withThrowingTaskGroup(of: DeliveryOutcome.self) { group in
            for index in 0..<200 {
                group.addTask { try await recorder.record(Self.release(delivery: "d-\(index)", tag: "v1.0.\(index % 100)")) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { if case .queued = $0 { return true } else { return false } }.count == 100)
        #expect(outcomes.filter { if case .duplicateRelease = $0 { return true } else { return false } }.count == 100)
        let counts = try await store.counts()
        #expect(counts.deliveries == 200 && counts.jobs == 100)
        #expect(try await recorder.record(Self.release(delivery: "d-7", tag: "v1.0.7")) == .duplicateDelivery(jobID: try await store.jobs(limit: 1000).first { $0.tag == "v1.0.7" }?.id))
    }
}

@Suite("JSON log lines")
struct JSONLogHandlerTests {
    @Test("hand-written JSON escapes quotes, backslashes and control characters, and parses back")
    func escaping() throws {
        var line = ""
        JSONLogHandler.append(.dictionary(["tag": "v1\"\\\n\u{1}", "list": .array(["a", .stringConvertible(42)])]), to: &line)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(parsed["tag"] as? String == "v1\"\\\n\u{1}")
        #expect(parsed["list"] as? [String] == ["a", "42"])
        #expect(JSONLogHandler.timestamp().count == "2026-11-29T03:41:07.123Z".count)
    }
}
