import ArgumentParser
import Foundation
import HTTPServing
import Hummingbird
import IntentML
import Logging
import Observability

extension RequestLogTextPolicy: ExpressibleByArgument {}

/// `intent serve`: the JSON HTTP API over one model bundle.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a model over HTTP (JSON API, probes, metrics, OpenAPI document and /docs).",
        discussion: """
            Routes: \(servedRoutes.map { route in route.methods.map(\.rawValue).joined(separator: "/") + " " + route.path }.joined(separator: ", ")).

            With no --model, serves ./models/default, training it on the built-in dataset first when it \
            does not exist yet. HOST and PORT in the environment set the address (flags win). SIGTERM or \
            SIGINT stops accepting connections, lets requests in flight finish, and exits 0. SIGHUP (or an \
            authenticated POST /admin/reload) reloads the bundle from its directory without downtime; a \
            bundle that fails to load is refused and the previous model keeps serving.
            """)

    @Option(help: "Model bundle directory (default: models/default, trained on the built-in dataset if missing).")
    var model: String?

    @Option(help: "Listen address (default: HOST, else 127.0.0.1; use 0.0.0.0 in a container).")
    var host: String?

    @Option(help: "Listen port (default: PORT, else 8080).")
    var port: Int?

    @Option(help: "File holding the bearer token for POST /admin/reload (admin routes are off without it).")
    var adminTokenFile: String?

    @Option(help: ArgumentHelp(
        "SQLite file of the request log: every prediction, written in batches off the request path ('none' turns it off).",
        discussion: "Default: INTENT_REQUEST_LOG, else intent-requests.sqlite in the working directory."))
    var requestLog: String?

    @Option(help: "What the request log keeps of each text: full, hash (its SHA-256) or none.")
    var requestLogText: RequestLogTextPolicy = .full

    @Option(help: "Request-log rows kept at most; the oldest go first.")
    var requestLogMaxRows = RequestLog.Settings.defaultMaxRows

    @Option(help: "Request-log rows older than this many days are deleted.")
    var requestLogMaxAgeDays = RequestLog.Settings.defaultMaxAgeDays

    @Option(help: ArgumentHelp("Seconds a keep-alive connection may stay idle before it is closed.", valueName: "seconds"))
    var idleTimeout = ServeCommand.seconds(ServerLimits.Defaults.idleTimeout)

    @Option(help: ArgumentHelp("Seconds from a request's first byte to the end of its head (then 408).", valueName: "seconds"))
    var headerTimeout = ServeCommand.seconds(ServerLimits.Defaults.headerTimeout)

    @Option(help: ArgumentHelp("Seconds from the end of a request's head to the end of its body (then 408).", valueName: "seconds"))
    var bodyTimeout = ServeCommand.seconds(ServerLimits.Defaults.bodyTimeout)

    @Option(help: ArgumentHelp("After SIGTERM, seconds that requests in flight get before their connections are closed.",
                               valueName: "seconds"))
    var drainTimeout = ServeCommand.seconds(ServerLimits.Defaults.drainTimeout)

    @Option(help: ArgumentHelp(
        "Connections open at once, at most; idle ones are closed to make room.",
        discussion: "Lowered to the descriptor limit (ulimit -n) less \(ServerLimits.Defaults.reservedDescriptors) kept for the process itself."))
    var maxConnections = ServerLimits.Defaults.maxConnections

    @Option(help: ArgumentHelp("Connections the kernel queues before the server accepts them (capped by net.core.somaxconn).",
                               valueName: "connections"))
    var listenBacklog = ServerLimits.Defaults.backlog

    @Option(help: ArgumentHelp(
        "Directory with Swagger UI's swagger-ui-bundle.js and swagger-ui.css for /docs (scripts/install-swagger-ui.sh DIR).",
        discussion: "Default: INTENTOPS_SWAGGER_UI, else \(SwaggerUIAssets.installedDirectory) or \(SwaggerUIAssets.systemDirectory) when they hold them; "
            + "without them /docs lists the routes. Nothing is loaded from the network.",
        valueName: "dir"))
    var docsAssets: String?

    @Option(help: "Bytes of request bodies all requests may hold at once; beyond it 503 with Retry-After.")
    var maxBodyBytesInFlight = APILimits.maxBodyBytesInFlight

    @Option(help: "Bytes of answers being built that all requests may hold at once; beyond it 503 with Retry-After.")
    var maxResponseBytesInFlight = APILimits.maxResponseBytesInFlight

    static func seconds(_ duration: Duration) -> Double { APIConfiguration.Overrides.seconds(duration) }

    /// What the flags set, for `APIConfiguration.load`.
    var overrides: APIConfiguration.Overrides {
        APIConfiguration.Overrides(
            model: model, adminTokenFile: adminTokenFile, host: host, port: port, requestLog: requestLog, requestLogText: requestLogText, requestLogMaxRows: requestLogMaxRows,
            requestLogMaxAgeDays: requestLogMaxAgeDays, idleTimeout: idleTimeout, headerTimeout: headerTimeout, bodyTimeout: bodyTimeout,
            drainTimeout: drainTimeout, maxConnections: maxConnections, listenBacklog: listenBacklog, docsAssets: docsAssets,
            maxBodyBytesInFlight: maxBodyBytesInFlight, maxResponseBytesInFlight: maxResponseBytesInFlight)
    }

    func run() async throws {
        // Everything is checked before anything starts (the model, the request log, the socket).
        do {
            let configuration = try APIConfiguration.load(environment: ProcessInfo.processInfo.environment, overrides: overrides)
            if model == nil { try await Self.trainDefaultModel(at: configuration.modelPath) }
            // JSON lines when standard error is not a terminal (containers, systemd), plain text on one.
            JSONLogHandler.bootstrap()
            let dependencies = try APIDependencies.production(configuration: configuration, logger: Logger(label: "intent.serve"))
            try await buildApplication(configuration: configuration, dependencies: dependencies).run()
        } catch let error as APIConfigurationError {
            throw ValidationError("\(error).")
        }
    }

    /// With no --model, the built-in dataset's model, trained on first use.
    static func trainDefaultModel(at path: String) async throws {
        guard !FileManager.default.fileExists(atPath: "\(path)/\(ModelBundle.manifestFile)") else { return }
        printError("no model at \(path): training one on the built-in dataset first")
        try await TrainCommand.parse(["--output", path]).run()
    }
}
