import Foundation
import HTTPServing
import Hummingbird
import HummingbirdCore
import IntentML
import Logging
import NIOCore
import ServiceLifecycle

/// Builds the `intent serve` application: the prediction routes, the model's manifest, the probes and
/// the metrics, on the guarded HTTP/1 channel (connection cap, read deadlines, refusals of malformed
/// heads) with the connection registry that the drain deadline closes.
///
/// Kept apart from `@main` (as Hummingbird's examples do) so tests drive the router in process.
func buildApplication(configuration: APIConfiguration, model: ServedModel, reloader: ModelReloader, adminToken: AdminToken?,
                      requestLog: RequestLog?, logger: Logger) -> (application: some ApplicationProtocol, connections: ConnectionRegistry) {
    let connections = ConnectionRegistry(maxConnections: configuration.limits.effectiveMaxConnections())
    let metrics = APIMetrics()
    let budgets = APIBudgets(configuration: configuration)
    let serverName = "intentops"
    let predict = PredictionEndpoint(model: model, configuration: configuration, metrics: metrics, requestLog: requestLog, budgets: budgets)
    let application = Application(
        router: buildRouter(configuration: configuration, model: model, metrics: metrics, reloader: reloader, adminToken: adminToken,
                            requestLog: requestLog, budgets: budgets, connections: connections),
        // Cheap POST /v1/predict requests are answered on the event loop; everything else by the router.
        server: HTTPServerBuilder { responder in
            GuardedHTTP1Channel(responder: responder, limits: configuration.limits, registry: connections,
                                maxBodyBytes: configuration.maxBodyBytes) {
                [PredictRoute.eventLoopResponder(endpoint: predict, serverName: serverName)]
            }
        },
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: serverName,
                             backlog: configuration.limits.backlog,
                             availableConnectionsDelegate: ConnectionBudget(registry: connections)),
        // Services stop in reverse order after the server: the log is flushed once no request is in flight.
        services: requestLog.map { [$0] } ?? [],
        logger: logger)
    return (application, connections)
}

/// Runs the application until SIGTERM or SIGINT, then drains: requests in flight get the drain timeout,
/// then every connection still open is closed, and this returns.
func runAPIServer(configuration: APIConfiguration, model: ServedModel, reloader: ModelReloader, adminToken: AdminToken?,
                  requestLog: RequestLog?, logger: Logger) async throws {
    let (application, connections) = buildApplication(configuration: configuration, model: model, reloader: reloader,
                                                      adminToken: adminToken, requestLog: requestLog, logger: logger)
    // Told to shut down last first: the deadline starts, then the server drains.
    let group = ServiceGroup(configuration: .init(
        services: [application, DrainDeadline(registry: connections, timeout: configuration.limits.drainTimeout, logger: logger)],
        gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    try await group.run()
}

/// Bytes of request bodies and of answers that all requests together may hold (503 beyond them).
struct APIBudgets: Sendable {
    let bodies: ByteBudget
    let responses: ByteBudget

    init(configuration: APIConfiguration) {
        bodies = ByteBudget(capacity: configuration.maxBodyBytesInFlight)
        responses = ByteBudget(capacity: configuration.maxResponseBytesInFlight)
    }
}

/// The router alone, for in-process tests.
func buildRouter(configuration: APIConfiguration, model: ServedModel, metrics: APIMetrics = APIMetrics(),
                 reloader: ModelReloader? = nil, adminToken: AdminToken? = nil, requestLog: RequestLog? = nil,
                 budgets: APIBudgets? = nil, connections: ConnectionRegistry? = nil) -> Router<APIRequestContext> {
    let budgets = budgets ?? APIBudgets(configuration: configuration)
    let router = Router(context: APIRequestContext.self)
    // Outermost first: metrics see the status the client gets, after errors became JSON responses.
    router.add(middleware: APIMetricsMiddleware(metrics: metrics, paths: Set(servedRoutes.map(\.path))))
    router.add(middleware: RequestIDMiddleware())
    // Outside the error middleware: a HEAD gets the headers of the GET's answer, errors included.
    router.add(middleware: HeadMiddleware())
    router.add(middleware: JSONErrorMiddleware<APIRequestContext>(
        tooLarge: APIError.payloadTooLarge(limit: configuration.maxBodyBytes), routes: servedRoutes,
        metadata: { context in ["intent.request_id": "\(context.requestID)"] }))
    let predict = PredictionEndpoint(model: model, configuration: configuration, metrics: metrics, requestLog: requestLog,
                                     budgets: budgets)
    PredictRoute.register(on: router, endpoint: predict)
    router.getAndHead("/v1/model") { _, _ in try ModelEndpoint.manifest(model.current) }
    router.getAndHead("/healthz") { _, _ in ModelEndpoint.status("ok", model: nil) }
    router.getAndHead("/metrics") { _, _ in
        let manifest = model.current.manifest
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: metrics.exposition(model: (manifest.name, manifest.version), requestLog: requestLog?.queue,
                                                                      server: connections.map { ($0, budgets) }))))
    }
    // The model is loaded and checked before the server listens, so a server that answers is ready.
    router.getAndHead("/readyz") { _, _ in ModelEndpoint.status("ready", model: model.current.manifest) }
    let openAPI = ByteBuffer(string: OpenAPIDocument.json(toolVersion: ToolVersion.current))
    router.getAndHead("/openapi.json") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: openAPI))
    }
    let docs = ByteBuffer(string: OpenAPIDocument.docsPage(viewer: configuration.docsAssets != nil))
    router.getAndHead("/docs") { _, _ in
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: docs))
    }
    for file in SwaggerUIAssets.files {
        guard let body = configuration.docsAssets?.contents[file.name] else { continue }
        router.getAndHead("/docs/\(file.name)") { _, _ in
            Response(status: .ok, headers: [.contentType: file.contentType, .cacheControl: "public, max-age=86400"], body: .init(byteBuffer: body))
        }
    }
    router.post("/admin/reload") { request, _ in
        try await ModelEndpoint.reload(request, reloader: reloader, token: adminToken)
    }
    return router
}

/// Every route the server answers, with its methods; any other method on these paths (TRACE, QUERY,
/// whatever a client makes up) is a 405 with `Allow` (see `JSONErrorMiddleware`). A router test checks
/// that the OpenAPI document lists exactly these.
let servedRoutes: [(path: String, methods: [HTTPRequest.Method])] = [
    (PredictRoute.path, PredictRoute.methods), ("/v1/model", [.get]), ("/healthz", [.get]), ("/readyz", [.get]), ("/metrics", [.get]),
    ("/admin/reload", [.post]), ("/openapi.json", [.get]), ("/docs", [.get]),
]

/// `GET /v1/model`, `POST /admin/reload` and the probes' bodies.
enum ModelEndpoint {
    /// `POST /admin/reload` with `Authorization: Bearer <token>`: 200 with the new and previous versions,
    /// or 422 with why the bundle was refused (the previous model keeps serving).
    static func reload(_ request: Request, reloader: ModelReloader?, token: AdminToken?) async throws -> Response {
        // Who is asking comes first: no credentials is a 401 whether or not admin routes are on.
        let authorization = request.headers[.authorization]
        guard let reloader, let token else {
            if authorization == nil { return unauthorized() }
            throw APIError(status: .forbidden, code: "admin_disabled", message: "admin routes are off: start intent serve with --admin-token-file")
        }
        guard token.accepts(authorization: authorization) else { return unauthorized() }
        switch await reloader.reload() {
        case let .reloaded(previous, current):
            var out: [UInt8] = Array(#"{"status":"reloaded""#.utf8)
            PredictionEndpoint.appendModel(current, to: &out)
            out.append(contentsOf: #","previous_version":"#.utf8)
            JSONText.appendQuoted(previous.version, to: &out)
            out.append(UInt8(ascii: "}"))
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: out)))
        case .failed(let reason):
            throw APIError(status: .unprocessableContent, code: "reload_failed", message: "the bundle was refused and the previous model keeps serving: \(reason)")
        }
    }

    static func unauthorized() -> Response {
        var response = APIError(status: .unauthorized, code: "unauthorized", message: "send Authorization: Bearer <the admin token>").response
        response.headers[.wwwAuthenticate] = "Bearer"
        return response
    }

    /// The bundle's manifest as stored (labels, hyperparameters, metrics, training-data fingerprint).
    static func manifest(_ snapshot: ServedModel.Snapshot) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(snapshot.manifest)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func status(_ status: String, model manifest: ModelManifest?) -> Response {
        var out: [UInt8] = Array(#"{"status":"#.utf8)
        JSONText.appendQuoted(status, to: &out)
        if let manifest { PredictionEndpoint.appendModel(manifest, to: &out) }
        out.append(UInt8(ascii: "}"))
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: out)))
    }
}
