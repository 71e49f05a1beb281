import AsyncHTTPClient
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOHTTP1

/// The calls of MLflow's REST API (2.0) that logging a run needs: experiments, runs, batched params,
/// metrics and tags, and file uploads to the server's proxied artifact store (`mlflow-artifacts`).
public struct MLflowClient: Sendable {
    public let configuration: MLflowConfiguration
    private let http: HTTPClient

    public init(configuration: MLflowConfiguration, http: HTTPClient) {
        self.configuration = configuration
        self.http = http
    }

    /// Runs `body` with a client of its own HTTP connections, closed afterwards. A connection that cannot be
    /// made fails at once (10 s at most) and is retried by `call`'s own policy, rather than by the pool until
    /// the request's deadline, so an unreachable server costs seconds, not minutes.
    public static func with<T>(configuration: MLflowConfiguration, _ body: (MLflowClient) async throws -> T) async throws -> T {
        var settings = HTTPClient.Configuration()
        // The request deadline covers the wait for the answer's head; the read timeout a body that stalls.
        settings.timeout = .init(connect: .seconds(10), read: .seconds(configuration.timeoutSeconds))
        settings.connectionPool.retryConnectionEstablishment = false
        if let proxy = configuration.proxy { settings.proxy = .server(host: proxy.host, port: proxy.port) }
        let http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: settings)
        let result: T
        do {
            result = try await body(MLflowClient(configuration: configuration, http: http))
        } catch {
            try? await http.shutdown()
            throw error
        }
        // What was logged stays logged whatever closing the connections meets.
        try? await http.shutdown()
        return result
    }

    /// A key and a value, as MLflow's params and tags are.
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var value: String
        public init(_ key: String, _ value: String) {
            self.key = key
            self.value = value
        }
    }

    /// One point of a metric's history.
    public struct Metric: Sendable, Equatable {
        public var key: String
        public var value: Double
        public var step: Int
        public var timestamp: Int64
        public init(_ key: String, _ value: Double, step: Int = 0, timestamp: Int64) {
            self.key = key
            self.value = value
            self.step = step
            self.timestamp = timestamp
        }
    }

    /// A created run: its id and where its artifacts go.
    public struct Run: Sendable, Equatable {
        public var id: String
        public var artifactURI: String
    }

    // MARK: Experiments and runs

    /// The experiment's id, creating the experiment when the server has none by that name.
    public func experimentID(named name: String) async throws -> String {
        do {
            let found = try await call(.GET, "api/2.0/mlflow/experiments/get-by-name", query: ["experiment_name": name])
            if let id = (found["experiment"] as? [String: Any])?["experiment_id"] as? String { return id }
            throw MLflowError(call: "experiments/get-by-name", message: "the answer has no experiment.experiment_id")
        } catch let error as MLflowError where error.errorCode == "RESOURCE_DOES_NOT_EXIST" {
            do {
                let created = try await call(.POST, "api/2.0/mlflow/experiments/create", json: ["name": name], idempotent: false)
                guard let id = created["experiment_id"] as? String else {
                    throw MLflowError(call: "experiments/create", message: "the answer has no experiment_id")
                }
                return id
            } catch let error as MLflowError where error.errorCode == "RESOURCE_ALREADY_EXISTS" {
                // Another client created it in the meantime.
                let found = try await call(.GET, "api/2.0/mlflow/experiments/get-by-name", query: ["experiment_name": name])
                guard let id = (found["experiment"] as? [String: Any])?["experiment_id"] as? String else { throw error }
                return id
            }
        }
    }

    public func createRun(experimentID: String, name: String, startTime: Int64, tags: [Entry]) async throws -> Run {
        let answer = try await call(.POST, "api/2.0/mlflow/runs/create", json: [
            "experiment_id": experimentID, "run_name": name, "start_time": startTime,
            "tags": tags.map { ["key": $0.key, "value": $0.value] },
        ], idempotent: false)
        guard let info = (answer["run"] as? [String: Any])?["info"] as? [String: Any], let id = info["run_id"] as? String else {
            throw MLflowError(call: "runs/create", message: "the answer has no run.info.run_id")
        }
        return Run(id: id, artifactURI: info["artifact_uri"] as? String ?? "")
    }

    /// Params, metrics and tags in as many `runs/log-batch` calls as MLflow's limits need
    /// (100 params, 100 tags and 1000 entries in all per call).
    public func logBatch(runID: String, params: [Entry] = [], metrics: [Metric] = [], tags: [Entry] = []) async throws {
        var params = params[...], metrics = metrics[...], tags = tags[...]
        while !params.isEmpty || !metrics.isEmpty || !tags.isEmpty {
            let paramChunk = params.prefix(100), tagChunk = tags.prefix(100)
            let metricChunk = metrics.prefix(1000 - paramChunk.count - tagChunk.count)
            params = params.dropFirst(paramChunk.count)
            tags = tags.dropFirst(tagChunk.count)
            metrics = metrics.dropFirst(metricChunk.count)
            _ = try await call(.POST, "api/2.0/mlflow/runs/log-batch", json: [
                "run_id": runID,
                "params": paramChunk.map { ["key": $0.key, "value": $0.value] },
                "tags": tagChunk.map { ["key": $0.key, "value": $0.value] },
                "metrics": metricChunk.map { ["key": $0.key, "value": $0.value, "step": $0.step, "timestamp": $0.timestamp] as [String: Any] },
            ])
        }
    }

    /// `status`: FINISHED, FAILED or KILLED.
    public func finishRun(runID: String, status: String, endTime: Int64) async throws {
        _ = try await call(.POST, "api/2.0/mlflow/runs/update", json: ["run_id": runID, "status": status, "end_time": endTime])
    }

    // MARK: Artifacts

    /// The path under `/api/2.0/mlflow-artifacts/artifacts/` that a run's artifact URI stands for, or nil when
    /// the server does not proxy that store (an `s3://` or `file:` root can only be written by clients with
    /// direct access to it).
    public struct ArtifactRoot: Sendable, Equatable {
        /// `host[:port]` when the URI names the server that proxies the store (else the tracking server does).
        public var host: String?
        public var path: String
    }

    public static func proxiedArtifactRoot(_ artifactURI: String) -> ArtifactRoot? {
        let scheme = "mlflow-artifacts:"
        guard artifactURI.hasPrefix(scheme) else { return nil }
        var rest = artifactURI.dropFirst(scheme.count)
        var host: String?
        if rest.hasPrefix("//") {
            // mlflow-artifacts://host:port/path: that server proxies the store.
            rest = rest.dropFirst(2)
            let end = rest.firstIndex(of: "/") ?? rest.endIndex
            host = rest[..<end].isEmpty ? nil : String(rest[..<end])
            rest = rest[end...]
        }
        return ArtifactRoot(host: host, path: String(rest.drop { $0 == "/" }))
    }

    /// Uploads `data` as the artifact at `path` (relative, `/`-separated) under the run's proxied artifact root.
    public func uploadArtifact(root: ArtifactRoot, path: String, data: Data) async throws {
        let components = (root.path.split(separator: "/") + path.split(separator: "/")).map {
            String($0).addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? String($0)
        }
        var base = configuration.baseURL
        if let host = root.host, let tracking = URLComponents(string: base), let scheme = tracking.scheme {
            base = "\(scheme)://\(host)"
        }
        _ = try await call(.PUT, "api/2.0/mlflow-artifacts/artifacts/" + components.joined(separator: "/"), base: base, body: data,
                           contentType: "application/octet-stream")
    }

    // MARK: Transport

    /// One REST call with MLflow's error shape decoded, retried with a doubling wait when the connection
    /// could not be made or the server answered 429 or 503 (it did not act on the request). An idempotent
    /// call (every one but the two creates) is also retried after other transport errors and 502 or 504.
    @discardableResult
    public func call(_ method: HTTPMethod, _ path: String, query: [String: String] = [:], json: [String: Any]? = nil,
                     idempotent: Bool = true) async throws -> [String: Any] {
        let body = try json.map { try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]) }
        return try await call(method, path, query: query, body: body, contentType: "application/json", idempotent: idempotent)
    }

    private func call(_ method: HTTPMethod, _ path: String, query: [String: String] = [:], base: String? = nil, body: Data?,
                      contentType: String, idempotent: Bool = true) async throws -> [String: Any] {
        let name = path.replacingOccurrences(of: "api/2.0/mlflow/", with: "").replacingOccurrences(of: "api/2.0/", with: "")
        let base = base ?? configuration.baseURL
        var url = base + "/" + path
        if !query.isEmpty {
            var components = URLComponents()
            components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
            // Servers read a query as form data, where '+' is a space: encode it.
            url += "?" + (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        }
        var attempt = 0
        while true {
            var request = HTTPClientRequest(url: url)
            request.method = method
            request.headers.add(name: "Accept", value: "application/json")
            request.headers.add(name: "User-Agent", value: "intentops")
            if let authorization = configuration.authorization { request.headers.add(name: "Authorization", value: authorization) }
            if let body {
                request.headers.add(name: "Content-Type", value: contentType)
                request.body = .bytes(ByteBuffer(bytes: body))
            }
            let status: Int, data: Data
            do {
                let response = try await http.execute(request, timeout: .seconds(configuration.timeoutSeconds))
                status = Int(response.status.code)
                let buffer = try await response.body.collect(upTo: 64 << 20)
                data = Data(buffer.readableBytesView)
            } catch {
                let unsent = Self.connectionFailed(error)
                guard attempt < configuration.maxRetries, unsent || idempotent else {
                    let what: String
                    if let known = error as? HTTPClientError, known == .deadlineExceeded || known == .readTimeout {
                        what = "no answer from \(base) within \(configuration.timeoutSeconds) s (MLFLOW_HTTP_REQUEST_TIMEOUT)"
                    } else if unsent {
                        what = "cannot reach \(base)"
                    } else {
                        what = "the connection to \(base) failed"
                    }
                    throw MLflowError(call: name, message: "\(what) (\(attempt + 1) attempt\(attempt == 0 ? "" : "s")): \(error)")
                }
                attempt += 1
                try await pause(attempt)
                continue
            }
            if (idempotent ? [429, 502, 503, 504] : [429, 503]).contains(status) && attempt < configuration.maxRetries {
                attempt += 1
                try await pause(attempt)
                continue
            }
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
            guard (200..<300).contains(status) else {
                let code = object?["error_code"] as? String
                let said = object?["message"] as? String ?? String(decoding: data.prefix(300), as: UTF8.self)
                var message = "HTTP \(status)" + (code.map { " \($0)" } ?? "") + (said.isEmpty ? "" : ": \(said)")
                if status == 401 || status == 403 {
                    message += " (set MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD)"
                }
                throw MLflowError(call: name, message: message, status: status, errorCode: code)
            }
            return object ?? [:]
        }
    }

    private func pause(_ attempt: Int) async throws {
        let seconds = min(60, configuration.retryDelaySeconds * Double(1 << min(attempt - 1, 10)))
        try await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
    }

    /// True when the request cannot have reached the server: the connection itself was refused, unroutable
    /// or timed out.
    static func connectionFailed(_ error: Error) -> Bool {
        if let known = error as? HTTPClientError, known == .connectTimeout { return true }
        if let io = error as? IOError { return [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH].contains(io.errnoCode) }
        return false
    }
}
