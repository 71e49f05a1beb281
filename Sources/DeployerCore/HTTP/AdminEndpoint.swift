import Foundation
import HTTPServing
import Hummingbird
import NIOCore

/// The admin API (`/api/*`): what an operator does to a running deployer without stopping it.
///
/// - `POST /api/retry` `{"job": 12}` or `{"tag": "v1.2.0"}`: the next attempt of a failed release (202).
/// - `POST /api/unblock` `{"tag": "v1.2.0"}`: lifts a version's bad mark (200).
/// - `POST /api/rollback` `{"environment": "production", "reason": "..."}`: queues a rollback, which the
///   worker runs in order with releases (202); `GET /api/deployments/{id}` follows it.
/// - `GET /api/deployments[/{id}]`, `GET /api/blocked`: the history and the versions marked bad.
///
/// With `admin_token_file` set, every `/api/*` route needs `Authorization: Bearer <token>` (401 without);
/// without it the reads stay open and the actions answer 403. `/metrics` and the probes never need it.
struct AdminEndpoint: Sendable {
    let configuration: DeployerConfiguration
    let store: DeploymentStore
    let onQueued: @Sendable (Int64) -> Void

    /// Largest admin request body: a tag or an environment and a reason.
    static let maxBodyBytes = 16 * 1024

    /// nil when `request` may go on; else the refusal.
    func refusal(_ request: Request, action: Bool) -> Response? {
        guard let token = configuration.adminToken else {
            return action ? JSONResponse.error(.forbidden, code: "admin_disabled",
                                               message: "the admin API is off: set admin_token_file in the deployer's configuration") : nil
        }
        guard token.accepts(authorization: request.headers[.authorization]) else { return BearerToken.challenge() }
        return nil
    }

    struct ActionBody: Decodable {
        var job: Int64?
        var tag: String?
        var repository: String?
        var environment: String?
        var reason: String?
    }

    func body(_ request: Request) async throws -> ActionBody? {
        let buffer = try await request.body.collect(upTo: Self.maxBodyBytes)
        return try? JSONDecoder().decode(ActionBody.self, from: Data(buffer: buffer))
    }

    /// The configured spelling of the repository asked for, or the first one.
    func repository(_ asked: String?) -> String? {
        guard let asked else { return configuration.repositories.first }
        return configuration.repositories.first { $0.caseInsensitiveCompare(asked) == .orderedSame }
    }

    func retry(_ request: Request) async throws -> Response {
        if let refusal = refusal(request, action: true) { return refusal }
        guard let body = try await body(request), body.job != nil || body.tag != nil else {
            return JSONResponse.error(.badRequest, code: "invalid_body", message: #"send {"job": ID} or {"tag": "vX.Y.Z"}"#)
        }
        guard let repository = repository(body.repository) else {
            return JSONResponse.error(.unprocessableContent, code: "unknown_repository", message: "'\(body.repository ?? "")' is not configured")
        }
        do {
            let id = try await store.retry(jobID: body.job, repository: repository, tag: body.tag)
            onQueued(id)
            let attempt = try await store.job(id: id)?.job.attempt ?? 0
            return JSONResponse.make(.accepted, ["status": "queued", "job_id": "\(id)", "attempt": "\(attempt)"])
        } catch let error as ActionError {
            return Self.refused(error)
        }
    }

    func unblock(_ request: Request) async throws -> Response {
        if let refusal = refusal(request, action: true) { return refusal }
        guard let body = try await body(request), let tag = body.tag else {
            return JSONResponse.error(.badRequest, code: "invalid_body", message: #"send {"tag": "vX.Y.Z"}"#)
        }
        guard let repository = repository(body.repository) else {
            return JSONResponse.error(.unprocessableContent, code: "unknown_repository", message: "'\(body.repository ?? "")' is not configured")
        }
        do {
            try await store.unblock(repository: repository, tag: tag)
            return JSONResponse.make(.ok, ["status": "unblocked", "tag": tag])
        } catch let error as ActionError {
            return Self.refused(error)
        }
    }

    func rollback(_ request: Request) async throws -> Response {
        if let refusal = refusal(request, action: true) { return refusal }
        guard let body = try await body(request), let environment = body.environment else {
            return JSONResponse.error(.badRequest, code: "invalid_body", message: #"send {"environment": "production", "reason": "..."}"#)
        }
        guard configuration.environments.contains(where: { $0.name == environment }) else {
            return JSONResponse.error(.unprocessableContent, code: "unknown_environment",
                                      message: "no environment '\(environment)'; configured: \(configuration.environments.map(\.name).joined(separator: ", "))")
        }
        guard let repository = repository(body.repository) else {
            return JSONResponse.error(.unprocessableContent, code: "unknown_repository", message: "'\(body.repository ?? "")' is not configured")
        }
        let id = try await store.queueRollback(repository: repository, environment: environment, reason: body.reason ?? "rolled back by an operator")
        onQueued(id)
        return JSONResponse.make(.accepted, ["status": "queued", "job_id": "\(id)"])
    }

    static func refused(_ error: ActionError) -> Response {
        switch error {
        case .noSuchJob: return JSONResponse.error(.notFound, code: "not_found", message: error.description)
        case .notBlocked: return JSONResponse.error(.notFound, code: "not_blocked", message: error.description)
        case .notRetryable: return JSONResponse.error(.conflict, code: "not_retryable", message: error.description)
        case .blocked: return JSONResponse.error(.conflict, code: "blocked_version", message: error.description)
        }
    }
}
