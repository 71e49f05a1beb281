import AsyncHTTPClient
import Foundation
import HTTPServing
import Logging
import NIOCore
import NIOHTTP1

/// Commit statuses through a forge's REST API: GitHub (`POST /repos/{owner}/{repo}/statuses/{sha}`),
/// Gitea and Forgejo (the same path and body, `Authorization: token`), GitLab (`POST
/// /projects/{id}/statuses/{sha}`, `PRIVATE-TOKEN`, its own state names).
///
/// Each status is retried (after 1 s, then 3 s) on a connection failure, a 5xx or a
/// 429, each attempt under `Limits.forgeTimeoutSeconds`; a 4xx other than 429 is not retried (the token or
/// the repository is wrong, and a retry cannot mend it). Posts are made in order, one at a time, so the
/// forge sees `pending` before the stages and the stages before the outcome.
public actor HTTPForgeNotifier: ForgeNotifier {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case github, gitea, forgejo, gitlab
    }

    let kind: Kind
    let apiURL: String
    let token: String
    let targetURL: String?
    let logger: Logger
    let client: HTTPClient
    /// Seconds before attempt 2, 3, ...: short, since a status is only useful while the release runs.
    let backoff: [Double]

    public init(kind: Kind, apiURL: String, token: String, targetURL: String?, logger: Logger,
                client: HTTPClient = .shared, backoff: [Double] = [1, 3]) {
        self.kind = kind
        self.apiURL = apiURL.hasSuffix("/") ? String(apiURL.dropLast()) : apiURL
        self.token = token
        self.targetURL = targetURL
        self.logger = logger
        self.client = client
        self.backoff = backoff
    }

    public func post(_ status: ForgeStatus) async {
        let request = makeRequest(status)
        for attempt in 0...backoff.count {
            if attempt > 0 { try? await Task.sleep(for: .milliseconds(Int64(backoff[attempt - 1] * 1000))) }
            do {
                let response = try await client.execute(request, timeout: .seconds(Int64(Limits.forgeTimeoutSeconds)))
                let code = Int(response.status.code)
                _ = try? await response.body.collect(upTo: 64 * 1024)
                if (200..<300).contains(code) { return }
                guard code >= 500 || code == 429 else {
                    logger.warning("the forge refused a commit status", metadata: [
                        "deploy.forge_status": "\(code)", "deploy.context": "\(status.context)", "deploy.commit": "\(status.commit)",
                    ])
                    return
                }
            } catch {
                if attempt == backoff.count {
                    logger.warning("cannot post a commit status to the forge", metadata: ["deploy.context": "\(status.context)", "deploy.reason": "\(error)"])
                }
            }
        }
    }

    nonisolated func makeRequest(_ status: ForgeStatus) -> HTTPClientRequest {
        var body: [String: String] = ["description": status.description]
        var path: String
        switch kind {
        case .github, .gitea, .forgejo:
            path = "/repos/\(status.repository)/statuses/\(status.commit)"
            body["state"] = status.state.rawValue
            body["context"] = status.context
        case .gitlab:
            let project = status.repository.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? status.repository
            path = "/projects/\(project)/statuses/\(status.commit)"
            body["state"] = Self.gitlabState(status.state)
            body["name"] = status.context
        }
        if let targetURL { body["target_url"] = targetURL }
        var request = HTTPClientRequest(url: apiURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "intentops-deployer")
        switch kind {
        case .github:
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.headers.add(name: "Accept", value: "application/vnd.github+json")
        case .gitea, .forgejo:
            request.headers.add(name: "Authorization", value: "token \(token)")
        case .gitlab:
            request.headers.add(name: "PRIVATE-TOKEN", value: token)
        }
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
        request.body = .bytes(ByteBuffer(bytes: data))
        return request
    }

    static func gitlabState(_ state: ForgeStatus.State) -> String {
        switch state {
        case .pending: return "running"
        case .success: return "success"
        case .failure, .error: return "failed"
        }
    }
}
