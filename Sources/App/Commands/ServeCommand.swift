import ArgumentParser
import Foundation
import Hummingbird
import IntentML
import Logging

/// `intent serve`: the JSON HTTP API over one model bundle.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a model over HTTP: POST/GET /v1/predict, GET /v1/model, /healthz, /readyz.",
        discussion: """
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

    func validate() throws {
        if let port, !(1...65535).contains(port) { throw ValidationError("--port must be in 1...65535, got \(port).") }
    }

    func run() async throws {
        var configuration = try APIConfiguration.fromEnvironment()
        if let host { configuration.host = host }
        if let port { configuration.port = port }
        let path = model ?? "models/default"
        if model == nil, !FileManager.default.fileExists(atPath: "\(path)/\(ModelBundle.manifestFile)") {
            printError("no model at \(path): training one on the built-in dataset first")
            let train = try TrainCommand.parse(["--output", path])
            try await train.run()
        }
        let adminToken = try adminTokenFile.map { try AdminToken(file: $0) }
        let served = ServedModel(try ServedModel.load(path: path))
        let logger = Logger(label: "intent.serve")
        let reloader = ModelReloader(model: served, logger: logger)
        // SIGHUP reloads the bundle from its directory (write the new one there atomically first).
        signal(SIGHUP, SIG_IGN)
        let hangup = DispatchSource.makeSignalSource(signal: SIGHUP)
        hangup.setEventHandler { Task { _ = await reloader.reload() } }
        hangup.resume()
        defer { hangup.cancel() }
        let application = buildApplication(configuration: configuration, model: served, reloader: reloader, adminToken: adminToken, logger: logger)
        logger.info("serving", metadata: [
            "intent.model": "\(served.current.manifest.name)", "intent.version": "\(served.current.manifest.version)",
            "intent.address": "\(configuration.host):\(configuration.port)",
        ])
        try await application.runService()
    }
}
