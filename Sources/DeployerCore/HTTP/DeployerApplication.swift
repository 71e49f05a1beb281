import Foundation
import HTTPServing
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// Builds the deployer's HTTP application: the webhook receiver, probes, metrics and the deployments API.
///
/// Kept apart from `@main` (as Hummingbird's examples do) so tests can drive the router in process.
public func buildDeployerApplication(
    configuration: DeployerConfiguration,
    store: DeploymentStore,
    logger: Logger,
    metrics: DeployerMetrics = DeployerMetrics(),
    onQueued: @escaping @Sendable (Int64) -> Void = { _ in }
) throws -> some ApplicationProtocol {
    let router = try buildDeployerRouter(configuration: configuration, store: store, logger: logger, metrics: metrics, onQueued: onQueued)
    let limits = configuration.serverLimits
    let connections = ConnectionRegistry(maxConnections: limits.effectiveMaxConnections())
    return Application(
        router: router,
        // The same guarded channel as intent serve: a connection idle, a head or a body slower than the read
        // timeout is closed (408 for the last two), heads the parser refuses get the JSON error shape,
        // HTTP/1.0 is closed after its answer, and connections are capped under the descriptor limit.
        server: HTTPServerBuilder { responder in
            GuardedHTTP1Channel(responder: responder, limits: limits, registry: connections, maxBodyBytes: configuration.maxBodyBytes)
        },
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "intentops-deployer",
                             backlog: limits.backlog,
                             availableConnectionsDelegate: ConnectionBudget(registry: connections)),
        logger: logger)
}

/// The router alone, for in-process tests.
public func buildDeployerRouter(
    configuration: DeployerConfiguration,
    store: DeploymentStore,
    logger: Logger,
    metrics: DeployerMetrics = DeployerMetrics(),
    onQueued: @escaping @Sendable (Int64) -> Void = { _ in }
) throws -> Router<BasicRequestContext> {
    let webhook = WebhookEndpoint(
        handler: WebhookHandler(policy: try WebhookPolicy(configuration: configuration)),
        recorder: DeliveryRecorder(store: store), maxBodyBytes: configuration.maxBodyBytes,
        readTimeout: .milliseconds(Int64(configuration.readTimeoutSeconds * 1000)), logger: logger, metrics: metrics, onQueued: onQueued)
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: JSONErrorMiddleware<BasicRequestContext>(logName: "the deployer's log"))
    for method in [HTTPRequest.Method.post, .get, .put, .patch, .delete, .head, .options] {
        router.on("/webhook", method: method) { request, _ in try await webhook.respond(to: request) }
    }
    router.get("/healthz") { _, _ in JSONResponse.make(.ok, ["status": "ok"]) }
    router.get("/readyz") { _, _ in
        // Ready when the state database answers.
        do {
            _ = try await store.counts()
            return JSONResponse.make(.ok, ["status": "ready"])
        } catch {
            return JSONResponse.error(.serviceUnavailable, code: "state_unavailable", message: "the state database does not answer")
        }
    }
    router.get("/metrics") { _, _ in
        let finished = (try? await store.finishedJobCounts()) ?? [:]
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: metrics.exposition(finishedJobs: finished))))
    }
    let admin = AdminEndpoint(configuration: configuration, store: store, onQueued: onQueued)
    router.post("/api/retry") { request, _ in try await admin.retry(request) }
    router.post("/api/unblock") { request, _ in try await admin.unblock(request) }
    router.post("/api/rollback") { request, _ in try await admin.rollback(request) }
    router.get("/api/blocked") { request, _ in
        if let refusal = admin.refusal(request, action: false) { return refusal }
        let blocked = try await store.blockedVersions().map { ["repository": $0.repository, "tag": $0.tag, "reason": $0.reason] }
        return try JSONResponse.make(.ok, ["blocked": blocked])
    }
    router.get("/api/deployments") { request, _ in
        if let refusal = admin.refusal(request, action: false) { return refusal }
        let limit = request.uri.queryParameters.get("limit", as: Int.self) ?? Limits.defaultHistoryLimit
        guard (1...1000).contains(limit) else {
            return JSONResponse.error(.badRequest, code: "invalid_limit", message: "limit must be in 1...1000")
        }
        return try JSONResponse.make(.ok, DeploymentList(deployments: try await store.jobs(limit: limit)))
    }
    router.get("/api/deployments/{id}") { request, context in
        if let refusal = admin.refusal(request, action: false) { return refusal }
        guard let id = context.parameters.get("id", as: Int64.self) else {
            return JSONResponse.error(.badRequest, code: "invalid_id", message: "the deployment id must be a number")
        }
        guard let found = try await store.job(id: id) else {
            return JSONResponse.error(.notFound, code: "not_found", message: "no deployment \(id)")
        }
        return try JSONResponse.make(.ok, DeploymentDetail(deployment: found.job, stages: found.stages))
    }
    return router
}

/// The body of `GET /api/deployments`.
struct DeploymentList: Codable, Sendable {
    var deployments: [JobRecord]
}

/// The body of `GET /api/deployments/{id}`.
struct DeploymentDetail: Codable, Sendable {
    var deployment: JobRecord
    var stages: [StageRunRecord]
}
