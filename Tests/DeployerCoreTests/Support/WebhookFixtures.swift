import Foundation
@testable import DeployerCore

/// Recorded payloads from `Fixtures/webhooks` and signed requests built from them.
enum WebhookFixtures {
    static let secret = Array("It's a Secret to Everybody".utf8)
    static let rotatedSecret = Array("the-new-secret-after-rotation".utf8)

    /// The bytes of fixture `name` (without `.json`).
    static func payload(_ name: String) -> [UInt8] {
        guard let url = Bundle.module.url(forResource: "Fixtures/webhooks/\(name)", withExtension: "json"),
              let data = try? Data(contentsOf: url) else {
            fatalError("missing fixture \(name).json")
        }
        return [UInt8](data)
    }

    /// `payload` (a fixture) with `edit` applied to its JSON object, re-serialised.
    static func edited(_ name: String, _ edit: (inout [String: Any]) -> Void) -> [UInt8] {
        guard var object = (try? JSONSerialization.jsonObject(with: Data(payload(name)))) as? [String: Any] else {
            fatalError("fixture \(name).json is not an object")
        }
        edit(&object)
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { fatalError("cannot encode") }
        return [UInt8](data)
    }

    /// The signature computed here, independently of the code under test.
    static func hmac(_ body: [UInt8], secret: [UInt8] = secret) -> String {
        WebhookHandler.signature(body: body, secret: secret)
    }

    /// A GitHub delivery of `body`, signed with `secret` unless `signature` overrides the header.
    static func github(_ body: [UInt8], event: String = "push", delivery: String? = "72d3162e-cc78-11e3-81ab-4c9367dc0958",
                       signature: String? = nil, secret: [UInt8] = secret, extra: [(String, String)] = [],
                       method: String = "POST") -> WebhookRequest {
        var headers: [(String, String)] = [("Content-Type", "application/json"), ("X-GitHub-Event", event), ("User-Agent", "GitHub-Hookshot/abc")]
        if let delivery { headers.append(("X-GitHub-Delivery", delivery)) }
        headers.append(("X-Hub-Signature-256", signature ?? "sha256=" + hmac(body, secret: secret)))
        return WebhookRequest(method: method, headers: headers + extra, body: body)
    }
}
