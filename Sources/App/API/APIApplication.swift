import Foundation
import Hummingbird
import IntentML
import Logging
import NIOCore

/// Builds the `intent serve` application: the prediction routes, the model's manifest, the probes and
/// the metrics.
///
/// Kept apart from `@main` (as Hummingbird's examples do) so tests drive the router in process.
func buildApplication(configuration: APIConfiguration, model: ServedModel, reloader: ModelReloader, adminToken: AdminToken?,
                      logger: Logger) -> some ApplicationProtocol {
    Application(
        router: buildRouter(configuration: configuration, model: model, metrics: APIMetrics(), reloader: reloader, adminToken: adminToken),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "intentops"),
        logger: logger)
}

/// The router alone, for in-process tests.
func buildRouter(configuration: APIConfiguration, model: ServedModel, metrics: APIMetrics = APIMetrics(),
                 reloader: ModelReloader? = nil, adminToken: AdminToken? = nil) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    // Outermost first: metrics see the status the client gets, after errors became JSON responses.
    router.add(middleware: APIMetricsMiddleware(metrics: metrics))
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: APIErrorMiddleware(maxBodyBytes: configuration.maxBodyBytes))
    let predict = PredictionEndpoint(model: model, configuration: configuration, metrics: metrics)
    router.post("/v1/predict") { request, _ in try await predict.post(request) }
    router.get("/v1/predict") { request, _ in try predict.get(request) }
    router.get("/v1/model") { _, _ in try ModelEndpoint.manifest(model.current) }
    router.get("/healthz") { _, _ in ModelEndpoint.status("ok", model: nil) }
    router.get("/metrics") { _, _ in
        let manifest = model.current.manifest
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: metrics.exposition(model: (manifest.name, manifest.version)))))
    }
    // The model is loaded and checked before the server listens, so a server that answers is ready.
    router.get("/readyz") { _, _ in ModelEndpoint.status("ready", model: model.current.manifest) }
    router.post("/admin/reload") { request, _ in
        try await ModelEndpoint.reload(request, reloader: reloader, token: adminToken)
    }
    let allowed: [(String, [HTTPRequest.Method])] = [
        ("/admin/reload", [.post]),
        ("/v1/predict", [.get, .post]), ("/v1/model", [.get]), ("/healthz", [.get]), ("/readyz", [.get]), ("/metrics", [.get]),
    ]
    for (path, methods) in allowed {
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] where !methods.contains(method) {
            router.on(RouterPath(path), method: method) { _, _ -> Response in
                var response = APIError(status: .methodNotAllowed, code: "method_not_allowed",
                                        message: "\(method) is not allowed on \(path); use \(methods.map(\.rawValue).joined(separator: " or "))").response
                response.headers[.allow] = methods.map(\.rawValue).joined(separator: ", ")
                return response
            }
        }
    }
    return router
}

/// `GET /v1/model`, `POST /admin/reload` and the probes' bodies.
enum ModelEndpoint {
    /// `POST /admin/reload` with `Authorization: Bearer <token>`: 200 with the new and previous versions,
    /// or 422 with why the bundle was refused (the previous model keeps serving).
    static func reload(_ request: Request, reloader: ModelReloader?, token: AdminToken?) async throws -> Response {
        guard let reloader, let token else {
            throw APIError(status: .forbidden, code: "admin_disabled", message: "admin routes are off: start intent serve with --admin-token-file")
        }
        guard token.accepts(authorization: request.headers[.authorization]) else {
            var response = APIError(status: .unauthorized, code: "unauthorized", message: "send Authorization: Bearer <the admin token>").response
            response.headers[.wwwAuthenticate] = "Bearer"
            return response
        }
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
