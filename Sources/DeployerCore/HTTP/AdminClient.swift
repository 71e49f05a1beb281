import AsyncHTTPClient
import Foundation
import HTTPServing
import NIOCore
import NIOHTTP1

/// The admin API of a running `deployer serve`, as `deployer retry`, `unblock` and `rollback` call it with
/// `--server URL --admin-token-file F`: from an operator's machine, with no access to the server's state.
public struct AdminClient: Sendable {
    public let server: String
    let token: BearerToken
    let client: HTTPClient

    public init(server: String, tokenFile: String, client: HTTPClient = .shared) throws {
        guard let url = URL(string: server), url.scheme == "http" || url.scheme == "https", url.host != nil else {
            throw AdminClientError.badServer(server)
        }
        do { token = try BearerToken(file: tokenFile) } catch { throw AdminClientError.token(error.description) }
        self.server = server.hasSuffix("/") ? String(server.dropLast()) : server
        self.client = client
    }

    /// The body of an admin action: what `POST /api/retry`, `/api/unblock` and `/api/rollback` read.
    public struct Action: Encodable, Sendable {
        public var job: Int64?
        public var tag: String?
        public var environment: String?
        public var reason: String?

        public init(job: Int64? = nil, tag: String? = nil, environment: String? = nil, reason: String? = nil) {
            self.job = job
            self.tag = tag
            self.environment = environment
            self.reason = reason
        }
    }

    /// POSTs `action` to `path`; returns the answer's JSON object, or throws with the server's refusal.
    public func post(_ path: String, _ action: Action) async throws -> [String: Any] {
        try await send(.POST, path, body: try JSONEncoder().encode(action))
    }

    /// GETs `path`; returns the answer's JSON object.
    public func get(_ path: String) async throws -> [String: Any] {
        try await send(.GET, path, body: nil)
    }

    /// Follows job `id` until it is neither queued nor running; returns its record (`GET /api/deployments/{id}`).
    public func waitForJob(_ id: String, poll: Duration = .milliseconds(500)) async throws -> [String: Any] {
        while true {
            let job = try await get("/api/deployments/\(id)")["deployment"] as? [String: Any] ?? [:]
            let status = job["status"] as? String ?? ""
            if status != "queued" && status != "running" { return job }
            try await Task.sleep(for: poll)
        }
    }

    func send(_ method: HTTPMethod, _ path: String, body: Data?) async throws -> [String: Any] {
        var request = HTTPClientRequest(url: server + path)
        request.method = method
        request.headers.add(name: "Authorization", value: token.authorization)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .seconds(30))
        } catch {
            throw AdminClientError.unreachable(server: server, reason: "\(error)")
        }
        let bytes = try await response.body.collect(upTo: 1 << 20)
        let object = (try? JSONSerialization.jsonObject(with: Data(buffer: bytes))) as? [String: Any] ?? [:]
        guard (200..<300).contains(Int(response.status.code)) else {
            let error = object["error"] as? [String: Any]
            throw AdminClientError.refused(status: Int(response.status.code), code: error?["code"] as? String ?? "",
                                           message: error?["message"] as? String ?? response.status.reasonPhrase)
        }
        return object
    }
}

/// Why an admin call did not happen.
public enum AdminClientError: Error, CustomStringConvertible, Equatable {
    case badServer(String)
    case token(String)
    case unreachable(server: String, reason: String)
    case refused(status: Int, code: String, message: String)

    public var description: String {
        switch self {
        case .badServer(let server): return "--server '\(server)' is not an http(s) URL such as http://deployer:8090"
        case .token(let problem): return "--admin-token-file: \(problem)"
        case let .unreachable(server, reason): return "the deployer at \(server) did not answer: \(reason)"
        case let .refused(status, code, message): return "the deployer refused (\(status) \(code)): \(message)"
        }
    }
}
