import Foundation
import HTTPServing
import Hummingbird
import HummingbirdCore
import IntentML
import Logging
import NIOCore
import ServiceLifecycle

/// What `intent serve` is built from besides its settings, each behind a protocol so that tests pass
/// in-memory doubles: where the model comes from, where answers are recorded, who may call the admin
/// routes, and where the server logs.
struct APIDependencies: Sendable {
    var modelSource: any ModelSource
    /// Opens the prediction log (nil: none); called once the model has loaded, so a server that cannot
    /// start leaves no log file behind.
    var openPredictionLog: @Sendable () throws -> (any PredictionLog)?
    var adminToken: AdminToken?
    var logger: Logger

    init(modelSource: any ModelSource = BundleModelSource(), predictionLog: (any PredictionLog)? = nil, adminToken: AdminToken? = nil,
         logger: Logger = Logger(label: "intent.serve", factory: { _ in SwiftLogNoOpLogHandler() })) {
        self.modelSource = modelSource
        openPredictionLog = { predictionLog }
        self.adminToken = adminToken
        self.logger = logger
    }

    /// What `intent serve` runs with: bundles on disk, the SQLite request log `configuration` names (none
    /// when it is `none`), the admin token in its token file. A log or token that cannot be used is an
    /// error naming the flag, before anything listens.
    static func production(configuration: APIConfiguration, logger: Logger) throws -> APIDependencies {
        var dependencies = APIDependencies(adminToken: try configuration.adminTokenFile.map { try AdminToken(file: $0) }, logger: logger)
        let path = configuration.requestLogPath
        guard path != "none" else { return dependencies }
        let settings = RequestLog.Settings(path: path, textPolicy: configuration.requestLogText,
                                           maxAgeSeconds: configuration.requestLogMaxAgeSeconds, maxRows: configuration.requestLogMaxRows)
        dependencies.openPredictionLog = {
            do { return try RequestLog(settings: settings, logger: logger) } catch {
                throw APIConfigurationError.invalid(
                    "cannot open the request log \(path): \(Self.reason(error)). Pass --request-log PATH (a writable place) or --request-log none")
            }
        }
        return dependencies
    }

    /// The system's reason for a file error ("Permission denied"), not Foundation's whole error domain.
    static func reason(_ error: any Error) -> String {
        if let file = error as? CocoaError, let posix = file.underlying as? POSIXError {
            let reason = String(cString: strerror(posix.code.rawValue))
            return file.filePath.map { "\($0): \(reason)" } ?? reason
        }
        return "\(error)"
    }
}

/// The composition root of `intent serve`: loads the model from the source, and puts the routes, the
/// prediction log, the reloader and the guarded HTTP/1 channel (connection cap, read deadlines,
/// refusals of malformed heads) together. Kept apart from the command, as Hummingbird's examples do, so
/// tests build the same server in process with in-memory dependencies.
func buildApplication(configuration: APIConfiguration, dependencies: APIDependencies) throws -> APIServer<some ApplicationProtocol> {
    let logger = dependencies.logger
    let model = ServedModel(try dependencies.modelSource.load(path: configuration.modelPath))
    let reloader = ModelReloader(model: model, source: dependencies.modelSource, logger: logger)
    let connections = ConnectionRegistry(maxConnections: configuration.limits.effectiveMaxConnections())
    let log = try dependencies.openPredictionLog()
    let metrics = APIMetrics()
    let budgets = APIBudgets(configuration: configuration)
    let serverName = "intentops"
    let predict = PredictionEndpoint(model: model, configuration: configuration, metrics: metrics, requestLog: log, budgets: budgets)
    let application = Application(
        router: buildRouter(configuration: configuration, model: model, metrics: metrics, reloader: reloader, adminToken: dependencies.adminToken,
                            requestLog: log, budgets: budgets, connections: connections),
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
        services: log.map { [$0] } ?? [],
        logger: logger)
    return APIServer(application: application, connections: connections, model: model, reloader: reloader,
                     configuration: configuration, predictionLog: log, logger: logger)
}

/// `intent serve` put together by `buildApplication`: the application (which tests drive in process),
/// with what running it as a process adds: signals and the drain deadline.
struct APIServer<App: ApplicationProtocol>: Sendable {
    let application: App
    /// Open connections, which the drain deadline closes.
    let connections: ConnectionRegistry
    let model: ServedModel
    let reloader: ModelReloader
    let configuration: APIConfiguration
    let predictionLog: (any PredictionLog)?
    let logger: Logger

    /// Serves until SIGTERM or SIGINT, then drains: requests in flight get the drain timeout, then every
    /// connection still open is closed, the prediction log is flushed, and this returns. SIGHUP reloads
    /// the model from its directory meanwhile.
    func run() async throws {
        logger.info("serving", metadata: [
            "intent.model": "\(model.current.manifest.name)", "intent.version": "\(model.current.manifest.version)",
            "intent.address": "\(configuration.host):\(configuration.port)", "intent.request_log": "\(predictionLog?.destination ?? "off")",
            "http.max_connections": "\(configuration.limits.effectiveMaxConnections())",
            "http.docs_viewer": "\(configuration.docsAssets?.directory ?? "not installed")",
        ])
        // SIGHUP's default action ends the process: ignored before the socket opens, handled once HangupReload runs.
        signal(SIGHUP, SIG_IGN)
        // Told to shut down last first: the deadline starts, then the server drains, then SIGHUP is let go.
        let group = ServiceGroup(configuration: .init(
            services: [HangupReload(reloader: reloader), application,
                       DrainDeadline(registry: connections, timeout: configuration.limits.drainTimeout, logger: logger)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// SIGHUP reloads the bundle from its directory (write the new one there atomically first), for as
/// long as the server runs. `APIServer.run` ignores the signal before anything starts, so a SIGHUP before
/// this runs, or after it stops, cannot kill the server.
struct HangupReload: Service {
    let reloader: ModelReloader

    func run() async throws {
        let hangup = DispatchSource.makeSignalSource(signal: SIGHUP)
        let reloader = reloader
        hangup.setEventHandler { Task { _ = await reloader.reload() } }
        hangup.resume()
        defer { hangup.cancel() }
        try? await gracefulShutdown()
    }
}
