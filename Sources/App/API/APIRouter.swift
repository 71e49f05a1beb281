import Foundation
import HTTPServing
import Hummingbird
import IntentML
import NIOCore

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
                 reloader: ModelReloader? = nil, adminToken: AdminToken? = nil, requestLog: (any PredictionLog)? = nil,
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
                        body: .init(byteBuffer: ByteBuffer(string: metrics.exposition(model: (manifest.name, manifest.version), requestLog: requestLog,
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

