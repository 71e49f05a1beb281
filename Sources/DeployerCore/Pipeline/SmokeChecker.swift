import AsyncHTTPClient
import Foundation

/// Checks that a freshly rolled-out environment answers.
public protocol SmokeChecker: Sendable {
    /// nil when `url` answered 2xx within `timeout` seconds, otherwise why not.
    func check(url: String, timeout: Double) async -> String?
}

/// A smoke check by HTTP GET, with AsyncHTTPClient on SwiftNIO: waiting for an answer costs no CPU
/// (Foundation's URLSession kept 65-80% of a core busy while `deployer deploy` waited on one here).
public struct HTTPSmokeChecker: SmokeChecker {
    let client: HTTPClient

    public init(client: HTTPClient = .shared) {
        self.client = client
    }

    public func check(url: String, timeout: Double) async -> String? {
        guard URL(string: url)?.scheme?.hasPrefix("http") == true else { return "not an http(s) URL" }
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        do {
            let response = try await client.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
            _ = try? await response.body.collect(upTo: 1 << 20)
            let status = Int(response.status.code)
            return (200..<300).contains(status) ? nil : "HTTP \(status)"
        } catch {
            return "\(error)"
        }
    }
}
