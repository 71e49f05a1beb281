import Foundation
import HTTPTypes
import HummingbirdTesting
import Hummingbird
import Logging
import NIOCore
import Testing
@testable import DeployerCore

/// A fake forge in process: records every commit status it is sent, and fails the first `failFirst`.
final class FakeForge: @unchecked Sendable {
    struct Call: Sendable {
        var path: String
        var authorization: String?
        var body: [String: String]
    }

    private let lock = NSLock()
    private var recorded: [Call] = []
    private var failuresLeft: Int

    init(failFirst: Int = 0) { failuresLeft = failFirst }

    var calls: [Call] { lock.withLock { recorded } }

    var router: Router<BasicRequestContext> {
        let router = Router()
        router.post("/**") { request, _ -> Response in
            let buffer = try await request.body.collect(upTo: 1 << 20)
            let body = (try? JSONSerialization.jsonObject(with: Data(buffer: buffer))) as? [String: String] ?? [:]
            let failing = self.lock.withLock { () -> Bool in
                if self.failuresLeft > 0 { self.failuresLeft -= 1; return true }
                self.recorded.append(Call(path: request.uri.path, authorization: request.headers[.authorization] ?? request.headers[HTTPField.Name("PRIVATE-TOKEN")!], body: body))
                return false
            }
            return Response(status: failing ? .serviceUnavailable : .created)
        }
        return router
    }

    /// Runs `body` with the fake forge listening on 127.0.0.1; gives its base URL.
    func serve<T: Sendable>(_ body: @escaping @Sendable (String) async throws -> T) async throws -> T {
        let application = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                                      logger: Logger(label: "forge", factory: { _ in SwiftLogNoOpLogHandler() }))
        return try await application.test(.live) { client in
            try await body("http://127.0.0.1:\(try #require(client.port))")
        }
    }
}

@Suite("Commit statuses back to the forge")
struct ForgeStatusTests {
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Waits until the forge has `count` calls (the reporter posts off the release's path).
    static func waitFor(_ forge: FakeForge, count: Int) async throws {
        for _ in 0..<400 where forge.calls.count < count { try await Task.sleep(for: .milliseconds(25)) }
    }

    @Test("a signed GitHub tag push: pending, then one status per stage, then success, in order, on the tag's commit")
    func githubRelease() async throws {
        let forge = FakeForge(failFirst: 1)  // the first post gets a 503 and is retried
        try await forge.serve { url in
            let reporter = ForgeReporter(notifier: HTTPForgeNotifier(kind: .github, apiURL: url, token: "ghp-test-token", targetURL: "https://deployer.example/api",
                                                                     logger: Self.quiet, backoff: [0.05, 0.05]))
            let harness = try PipelineHarness(secrets: [WebhookFixtures.secret], forge: reporter)
            let commit = "5f2c1d9e8b7a6f5e4d3c2b1a09f8e7d6c5b4a392"
            harness.world.set(tag: "v1.4.0", commit: commit)
            // The delivery as GitHub signs it, through the receiver's router.
            let router = try buildDeployerRouter(configuration: harness.configuration, store: harness.store, logger: Self.quiet)
            let app = Application(router: router, logger: Self.quiet)
            let request = WebhookFixtures.github(WebhookFixtures.payload("github-tag-push"))
            try await app.test(.router) { client in
                var headers = HTTPFields()
                for (name, value) in request.headers { if let field = HTTPField.Name(name) { headers[field] = value } }
                try await client.execute(uri: "/webhook", method: .post, headers: headers, body: ByteBuffer(bytes: request.body)) { response in
                    #expect(response.status == .accepted)
                }
            }
            await harness.worker.drain()
            #expect(try await harness.status("v1.4.0") == "succeeded")
            await reporter.finish()
            let calls = forge.calls
            #expect(calls.allSatisfy { $0.path == "/repos/acme/intentops/statuses/\(commit)" && $0.authorization == "Bearer ghp-test-token" })
            #expect(calls.allSatisfy { $0.body["target_url"] == "https://deployer.example/api" })
            let sequence = calls.map { "\($0.body["context"] ?? "?") \($0.body["state"] ?? "?")" }
            #expect(sequence.first == "intentops/release pending", "\(sequence)")
            #expect(sequence.last == "intentops/release success", "\(sequence)")
            let stages = sequence.dropFirst().dropLast()
            for expected in ["intentops/checkout success", "intentops/unit-tests success", "intentops/model-gate success", "intentops/build base success",
                             "intentops/push api success", "intentops/deploy staging success", "intentops/deploy smoke staging success",
                             "intentops/deploy production success", "intentops/deploy smoke production success"] {
                #expect(stages.contains(expected), "\(expected) missing from \(sequence)")
            }
            // In the order the stages ran.
            let order = ["intentops/model-gate success", "intentops/build base success", "intentops/deploy staging success", "intentops/deploy production success"]
                .compactMap { stages.firstIndex(of: $0) }
            #expect(order == order.sorted() && order.count == 4)
        }
    }

    @Test("a failing stage: its own failure status, then the release's failure naming it")
    func failure() async throws {
        let forge = FakeForge()
        try await forge.serve { url in
            let reporter = ForgeReporter(notifier: HTTPForgeNotifier(kind: .gitea, apiURL: url + "/api/v1", token: "gitea-token", targetURL: nil,
                                                                     logger: Self.quiet, backoff: []))
            let harness = try PipelineHarness(forge: reporter)
            harness.world.fail(when: "model-gate")
            try await harness.queue("v2.0.0", commit: PipelineHarness.sha("c"))
            await harness.worker.drain()
            await reporter.finish()
            let calls = forge.calls
            #expect(calls.allSatisfy { $0.path.hasPrefix("/api/v1/repos/acme/intentops/statuses/") && $0.authorization == "token gitea-token" })
            let sequence = calls.map { "\($0.body["context"] ?? "?") \($0.body["state"] ?? "?")" }
            #expect(sequence.suffix(2) == ["intentops/model-gate failure", "intentops/release failure"], "\(sequence)")
            #expect(calls.last?.body["description"]?.contains("model-gate") == true, "\(calls.last?.body ?? [:])")
        }
    }

    @Test("GitLab gets its own path, header and state names")
    func gitlab() throws {
        let notifier = HTTPForgeNotifier(kind: .gitlab, apiURL: "https://gitlab.example/api/v4/", token: "glpat", targetURL: nil, logger: Self.quiet)
        let request = notifier.makeRequest(ForgeStatus(repository: "acme/intentops", commit: "abc", state: .pending, context: "intentops/release", description: "x"))
        #expect(request.url == "https://gitlab.example/api/v4/projects/acme%2Fintentops/statuses/abc")
        #expect(request.headers.first(name: "PRIVATE-TOKEN") == "glpat")
        #expect(HTTPForgeNotifier.gitlabState(.pending) == "running" && HTTPForgeNotifier.gitlabState(.failure) == "failed")
    }
}
