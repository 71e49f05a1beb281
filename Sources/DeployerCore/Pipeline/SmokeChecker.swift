import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Checks that a freshly rolled-out environment answers.
public protocol SmokeChecker: Sendable {
    /// nil when `url` answered 2xx within `timeout` seconds, otherwise why not.
    func check(url: String, timeout: Double) async -> String?
}

/// A smoke check by HTTP GET.
public struct HTTPSmokeChecker: SmokeChecker {
    public init() {}

    public func check(url: String, timeout: Double) async -> String? {
        guard let target = URL(string: url) else { return "not a URL" }
        var request = URLRequest(url: target, timeoutInterval: timeout)
        request.httpMethod = "GET"
        do {
            let (_, response) = try await URLSession.shared.data(for: request)
            guard let status = (response as? HTTPURLResponse)?.statusCode else { return "no HTTP response" }
            return (200..<300).contains(status) ? nil : "HTTP \(status)"
        } catch {
            return error.localizedDescription
        }
    }
}
