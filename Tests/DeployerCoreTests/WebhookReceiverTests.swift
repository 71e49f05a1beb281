import Foundation
import Testing
@testable import DeployerCore

/// One delivery and what the receiver must answer: the status, and whether a job may exist afterwards.
struct WebhookCase: Sendable, CustomTestStringConvertible {
    var name: String
    var request: WebhookRequest
    var status: Int
    /// Jobs in the database afterwards (0 for every refused or ignored delivery).
    var jobs: Int = 0
    /// The error code or acknowledgement status the body must carry.
    var code: String
    var testDescription: String { name }
}

extension WebhookCase {
    typealias F = WebhookFixtures
    static let tagPush = F.payload("github-tag-push")

    /// A tag push of `tag` (ref `refs/tags/<tag>`), signed.
    static func tagNamed(_ tag: String) -> WebhookRequest {
        F.github(F.edited("github-tag-push") { $0["ref"] = "refs/tags/" + tag })
    }

    // Built in groups: one huge array literal overflows a test thread's stack in debug builds.
    static var all: [WebhookCase] { accepted + signatures + transport + bodies + events + hostileTags }

    static let accepted: [WebhookCase] = [
        // Accepted (positive controls: the same harness does create a job for these).
        .init(name: "GitHub tag push", request: F.github(tagPush), status: 202, jobs: 1, code: "queued"),
        .init(name: "GitHub create event for a tag", request: F.github(F.payload("github-create-tag"), event: "create"), status: 202, jobs: 1, code: "queued"),
        .init(name: "signed with the rotated second secret", request: F.github(tagPush, secret: F.rotatedSecret), status: 202, jobs: 1, code: "queued"),
        .init(name: "Gitea tag push (bare hex signature)", request: WebhookRequest(method: "POST", headers: [
            ("Content-Type", "application/json"), ("X-Gitea-Event", "push"), ("X-Gitea-Delivery", "d-gitea-1"),
            ("X-Gitea-Signature", F.hmac(F.payload("gitea-tag-push"))),
            // Gitea also sends GitHub's headers; a stale GitHub signature must not be what counts.
            ("X-GitHub-Event", "push"), ("X-Hub-Signature-256", "sha256=" + String(repeating: "0", count: 64)),
        ], body: F.payload("gitea-tag-push")), status: 202, jobs: 1, code: "queued"),
        .init(name: "Forgejo tag push", request: WebhookRequest(method: "POST", headers: [
            ("Content-Type", "application/json"), ("X-Forgejo-Event", "push"), ("X-Forgejo-Delivery", "d-forgejo-1"),
            ("X-Forgejo-Signature", F.hmac(F.payload("gitea-tag-push")).uppercased()),
        ], body: F.payload("gitea-tag-push")), status: 202, jobs: 1, code: "queued"),
        .init(name: "GitLab tag push with the token", request: WebhookRequest(method: "POST", headers: [
            ("Content-Type", "application/json"), ("X-Gitlab-Event", "Tag Push Hook"), ("X-Gitlab-Event-UUID", "gl-1"),
            ("X-Gitlab-Token", String(decoding: F.secret, as: UTF8.self)),
        ], body: F.payload("gitlab-tag-push")), status: 202, jobs: 1, code: "queued"),

    ]

    static let signatures: [WebhookCase] = [
        // Signatures.
        .init(name: "no signature header", request: {
            var request = F.github(tagPush)
            request.headers.removeAll { $0.0 == "X-Hub-Signature-256" }
            return request
        }(), status: 401, code: "missing_signature"),
        .init(name: "signature made with a wrong secret", request: F.github(tagPush, secret: Array("wrong".utf8)), status: 401, code: "bad_signature"),
        .init(name: "SHA-1 signature (wrong algorithm)", request: F.github(tagPush, signature: "sha1=" + String(repeating: "ab", count: 20)), status: 401, code: "malformed_signature"),
        .init(name: "SHA-1 header name only", request: {
            var request = F.github(tagPush)
            request.headers.removeAll { $0.0 == "X-Hub-Signature-256" }
            request.headers.append(("X-Hub-Signature", "sha1=" + String(repeating: "ab", count: 20)))
            return request
        }(), status: 401, code: "missing_signature"),
        .init(name: "signature not hex", request: F.github(tagPush, signature: "sha256=" + String(repeating: "zz", count: 32)), status: 401, code: "malformed_signature"),
        .init(name: "signature truncated", request: F.github(tagPush, signature: "sha256=" + String(F.hmac(tagPush).dropLast(2))), status: 401, code: "malformed_signature"),
        .init(name: "empty signature", request: F.github(tagPush, signature: ""), status: 401, code: "malformed_signature"),
        .init(name: "body changed after signing", request: {
            var request = F.github(tagPush)
            request.body = F.edited("github-tag-push") { $0["ref"] = "refs/tags/v9.9.9" }
            return request
        }(), status: 401, code: "bad_signature"),
        .init(name: "two signature headers", request: F.github(tagPush, extra: [("X-Hub-Signature-256", "sha256=" + F.hmac(tagPush))]), status: 400, code: "ambiguous_header"),
        .init(name: "Gitea signature with GitHub's prefix", request: WebhookRequest(method: "POST", headers: [
            ("X-Gitea-Event", "push"), ("X-Gitea-Delivery", "d-gitea-2"), ("X-Gitea-Signature", "sha256=" + F.hmac(F.payload("gitea-tag-push"))),
        ], body: F.payload("gitea-tag-push")), status: 401, code: "malformed_signature"),
        .init(name: "GitLab wrong token", request: WebhookRequest(method: "POST", headers: [
            ("X-Gitlab-Event", "Tag Push Hook"), ("X-Gitlab-Event-UUID", "gl-2"), ("X-Gitlab-Token", "guess"),
        ], body: F.payload("gitlab-tag-push")), status: 401, code: "bad_signature"),
        .init(name: "GitLab without a token", request: WebhookRequest(method: "POST", headers: [
            ("X-Gitlab-Event", "Tag Push Hook"), ("X-Gitlab-Event-UUID", "gl-3"),
        ], body: F.payload("gitlab-tag-push")), status: 401, code: "missing_signature"),
        .init(name: "ping with a bad signature", request: F.github(F.payload("github-ping"), event: "ping", secret: Array("x".utf8)), status: 401, code: "bad_signature"),

    ]

    static let transport: [WebhookCase] = [
        // Transport.
        .init(name: "GET", request: F.github(tagPush, method: "GET"), status: 405, code: "method_not_allowed"),
        .init(name: "PUT", request: F.github(tagPush, method: "PUT"), status: 405, code: "method_not_allowed"),
        .init(name: "oversized body (declared length)", request: {
            let big = F.edited("github-tag-push") { $0["padding"] = String(repeating: "x", count: 20_000) }
            return F.github(big)
        }(), status: 413, code: "payload_too_large"),
        .init(name: "form-encoded body, correctly signed", request: {
            let form = Array(("payload=" + (String(decoding: tagPush, as: UTF8.self).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")).utf8)
            var request = F.github(form)
            request.headers.removeAll { $0.0 == "Content-Type" }
            request.headers.append(("Content-Type", "application/x-www-form-urlencoded"))
            return request
        }(), status: 415, code: "unsupported_media_type"),
        .init(name: "no event header", request: {
            var request = F.github(tagPush)
            request.headers.removeAll { $0.0 == "X-GitHub-Event" }
            return request
        }(), status: 400, code: "unknown_provider"),
        .init(name: "no delivery id", request: F.github(tagPush, delivery: nil), status: 400, code: "missing_delivery_id"),
        .init(name: "delivery id with a control character", request: F.github(tagPush, delivery: "abc\u{1}def"), status: 400, code: "invalid_delivery_id"),
        .init(name: "delivery id of 4 KiB", request: F.github(tagPush, delivery: String(repeating: "a", count: 4096)), status: 400, code: "invalid_delivery_id"),

    ]

    static let bodies: [WebhookCase] = [
        // Body.
        .init(name: "truncated JSON", request: F.github(Array(tagPush.prefix(tagPush.count / 2))), status: 400, code: "invalid_json"),
        .init(name: "empty body", request: F.github([]), status: 400, code: "invalid_json"),
        .init(name: "JSON array", request: F.github(Array("[1,2,3]".utf8)), status: 400, code: "invalid_json"),
        .init(name: "invalid UTF-8", request: F.github([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D]), status: 400, code: "invalid_json"),
        .init(name: "created is a string", request: F.github(F.edited("github-tag-push") { $0["created"] = "yes" }), status: 422, code: "invalid_field"),
        .init(name: "after is not an object id", request: F.github(F.edited("github-tag-push") { $0["after"] = "HEAD~1" }), status: 422, code: "invalid_field"),
        .init(name: "no repository", request: F.github(F.edited("github-tag-push") { $0["repository"] = nil }), status: 422, code: "invalid_field"),

    ]

    static let events: [WebhookCase] = [
        // Events that are not releases.
        .init(name: "ping", request: F.github(F.payload("github-ping"), event: "ping"), status: 200, code: "pong"),
        .init(name: "branch push", request: F.github(F.payload("github-branch-push")), status: 202, code: "ignored"),
        .init(name: "tag deleted", request: F.github(F.payload("github-tag-delete")), status: 202, code: "ignored"),
        .init(name: "existing tag force-moved", request: F.github(F.edited("github-tag-push") {
            $0["created"] = false
            $0["forced"] = true
            $0["before"] = "1111111111111111111111111111111111111111"
        }), status: 202, code: "ignored"),
        .init(name: "branch created", request: F.github(F.edited("github-create-tag") { $0["ref_type"] = "branch" }, event: "create"), status: 202, code: "ignored"),
        .init(name: "issues event", request: F.github(Array(#"{"action":"opened"}"#.utf8), event: "issues"), status: 202, code: "ignored"),
        .init(name: "unknown repository", request: F.github(F.edited("github-tag-push") {
            $0["repository"] = ["full_name": "mallory/intentops", "clone_url": "https://evil.example.com/x.git"]
        }), status: 202, code: "ignored"),
        .init(name: "tag not matching the pattern", request: tagNamed("release-2026"), status: 202, code: "ignored"),
        .init(name: "tag with four numbers", request: tagNamed("v1.2.3.4"), status: 202, code: "ignored"),

    ]

    static let hostileTags: [WebhookCase] = [
        // Hostile tag names: never queued, whatever the pattern.
        .init(name: "tag with a semicolon command", request: tagNamed("v1.2.3;rm"), status: 202, code: "ignored"),
        .init(name: "tag with command substitution", request: tagNamed("v1.2.3-$(touch /tmp/pwned)"), status: 422, code: "unsafe_tag"),
        .init(name: "tag with backticks", request: tagNamed("v1.2.3-`id`"), status: 202, code: "ignored"),
        .init(name: "tag with a newline", request: tagNamed("v1.2.3\nv9.9.9"), status: 422, code: "unsafe_tag"),
        .init(name: "tag with path traversal", request: tagNamed("../../heads/main"), status: 422, code: "unsafe_tag"),
        .init(name: "tag that is an option (--upload-pack)", request: tagNamed("--upload-pack=/tmp/evil"), status: 422, code: "unsafe_tag"),
        .init(name: "create event with an option as the tag", request: F.github(F.edited("github-create-tag") { $0["ref"] = "-c core.sshCommand=evil" }, event: "create"), status: 422, code: "unsafe_tag"),
        .init(name: "tag with a NUL byte", request: tagNamed("v1.2.3\u{0}"), status: 422, code: "unsafe_tag"),
    ]
}

@Suite("Webhook receiver")
struct WebhookReceiverTests {
    @Test("each delivery gets its status, and only accepted ones create a job or run a command", arguments: WebhookCase.all)
    func delivery(_ testCase: WebhookCase) async throws {
        let harness = try ReceiverHarness()
        let response = try await harness.send(testCase.request)
        #expect(response.status == testCase.status, "\(response.body)")
        #expect(response.body.contains("\"\(testCase.code)\""), "\(response.body)")
        #expect(try await harness.store.counts().jobs == testCase.jobs)
        #expect(harness.queued.all.count == testCase.jobs)
        await harness.worker.drain()
        #expect(harness.runner.commands.isEmpty == (testCase.jobs == 0))
    }

    @Test("the table holds at least 30 hostile or odd cases")
    func coverage() {
        #expect(WebhookCase.all.filter { $0.jobs == 0 }.count >= 30)
    }

    @Test("a redelivery and a second delivery of the same tag never queue a second release")
    func replay() async throws {
        let harness = try ReceiverHarness()
        let first = try await harness.send(WebhookFixtures.github(WebhookCase.tagPush))
        let replayed = try await harness.send(WebhookFixtures.github(WebhookCase.tagPush))
        let again = try await harness.send(WebhookFixtures.github(WebhookCase.tagPush, delivery: "another-delivery-id"))
        #expect(first.body.contains("\"queued\"") && replayed.body.contains("duplicate_delivery") && again.body.contains("duplicate_release"))
        #expect(first.status == 202 && replayed.status == 202 && again.status == 202)
        let counts = try await harness.store.counts()
        #expect(counts.deliveries == 2 && counts.jobs == 1)
        #expect(harness.queued.all == [1])
    }

    @Test("the queued job names the configured repository, never a URL from the payload")
    func remoteComesFromConfiguration() async throws {
        let harness = try ReceiverHarness()
        let body = WebhookFixtures.edited("github-tag-push") {
            $0["repository"] = ["full_name": "ACME/IntentOps", "clone_url": "--upload-pack=touch /tmp/pwned"]
        }
        let response = try await harness.send(WebhookFixtures.github(body))
        #expect(response.status == 202)
        await harness.worker.drain()
        let commands = harness.runner.commands
        #expect(commands.first == ["git", "clone", "--mirror", "--quiet", "--", "/srv/git/intentops.git", harness.configuration.workDirectory + "/mirror.git"])
        #expect(!commands.joined().joined().contains("upload-pack"))
        #expect(try await harness.store.jobs().first?.repository == "acme/intentops")
    }

    @Test("the signature is the HMAC-SHA256 of GitHub's documented example")
    func knownSignature() {
        // From GitHub's "Validating webhook deliveries" documentation.
        let signature = WebhookHandler.signature(body: Array("Hello, World!".utf8), secret: Array("It's a Secret to Everybody".utf8))
        #expect(signature == "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")
    }

    @Test("probes, metrics and unknown routes answer JSON")
    func probes() async throws {
        let harness = try ReceiverHarness()
        _ = try await harness.send(WebhookFixtures.github(WebhookCase.tagPush, signature: "sha256=00"))
        let get = WebhookRequest(method: "GET", headers: [], body: [])
        #expect(try await harness.send(get, path: "/healthz").status == 200)
        #expect(try await harness.send(get, path: "/readyz").status == 200)
        let metrics = try await harness.send(get, path: "/metrics")
        #expect(metrics.body.contains("deployer_webhook_deliveries_total{result=\"malformed_signature\"} 1"))
        let missing = try await harness.send(get, path: "/nope")
        #expect(missing.status == 404 && missing.body.contains("\"not_found\""))
        #expect(try await harness.send(get, path: "/api/deployments/abc").status == 400)
        #expect(try await harness.send(get, path: "/api/deployments/42").status == 404)
        #expect(try await harness.send(get, path: "/api/deployments?limit=0").status == 400)
    }
}
