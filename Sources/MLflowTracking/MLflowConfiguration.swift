import Foundation

/// Where and how to reach an MLflow tracking server, read from MLflow's own environment variables:
///
/// - `MLFLOW_TRACKING_URI`: the server's `http://` or `https://` address (a path prefix is kept)
/// - `MLFLOW_EXPERIMENT_NAME`: the experiment runs go to (created when missing; default `intentops`)
/// - `MLFLOW_TRACKING_TOKEN` (bearer) or `MLFLOW_TRACKING_USERNAME` and `MLFLOW_TRACKING_PASSWORD` (basic)
/// - `MLFLOW_HTTP_REQUEST_TIMEOUT` (seconds per request, default 120) and `MLFLOW_HTTP_REQUEST_MAX_RETRIES`
///   (retries of a request that could not be sent or got 429/5xx, default 3)
public struct MLflowConfiguration: Sendable, Equatable {
    public static let defaultExperiment = "intentops"

    /// The tracking URI without a trailing slash.
    public var baseURL: String
    public var experimentName: String
    public var authorization: String?
    public var timeoutSeconds: Int64
    public var maxRetries: Int
    /// The first wait between retries; it doubles with each retry, up to a minute.
    public var retryDelaySeconds: Double
    /// From `HTTPS_PROXY`/`HTTP_PROXY` (by the tracking URI's scheme) unless `NO_PROXY` names its host.
    public var proxy: Proxy?

    public struct Proxy: Sendable, Equatable {
        public var host: String
        public var port: Int
    }

    public init(baseURL: String, experimentName: String = defaultExperiment, authorization: String? = nil,
                timeoutSeconds: Int64 = 120, maxRetries: Int = 3, retryDelaySeconds: Double = 0.5) {
        self.baseURL = baseURL
        self.experimentName = experimentName
        self.authorization = authorization
        self.timeoutSeconds = timeoutSeconds
        self.maxRetries = maxRetries
        self.retryDelaySeconds = retryDelaySeconds
    }

    /// nil when `MLFLOW_TRACKING_URI` is unset or empty (tracking is off); a clear error when a variable is malformed.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> MLflowConfiguration? {
        guard let uri = environment["MLFLOW_TRACKING_URI"]?.trimmingCharacters(in: .whitespaces), !uri.isEmpty else { return nil }
        guard let components = URLComponents(string: uri), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty else {
            throw MLflowError(call: "configuration", message: """
                MLFLOW_TRACKING_URI=\(uri) is not an http:// or https:// address. IntentOps logs through the REST API \
                of an `mlflow server` (for example http://127.0.0.1:5000); local file stores and other schemes are not \
                supported, and the local runs registry (--runs-dir) keeps every run anyway. Unset it to turn tracking off.
                """)
        }
        guard components.query == nil, components.fragment == nil, components.user == nil else {
            throw MLflowError(call: "configuration", message: """
                MLFLOW_TRACKING_URI=\(uri) has a query, fragment or user part; give the server's address only and put \
                credentials in MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD.
                """)
        }
        var configuration = MLflowConfiguration(baseURL: uri.hasSuffix("/") ? String(uri.dropLast()) : uri)
        if let name = environment["MLFLOW_EXPERIMENT_NAME"], !name.isEmpty { configuration.experimentName = name }
        if let token = environment["MLFLOW_TRACKING_TOKEN"], !token.isEmpty {
            configuration.authorization = "Bearer \(token)"
        } else if let user = environment["MLFLOW_TRACKING_USERNAME"], !user.isEmpty {
            let password = environment["MLFLOW_TRACKING_PASSWORD"] ?? ""
            configuration.authorization = "Basic \(Data("\(user):\(password)".utf8).base64EncodedString())"
        }
        if let text = environment["MLFLOW_HTTP_REQUEST_TIMEOUT"] {
            guard let seconds = Int64(text), seconds > 0 else {
                throw MLflowError(call: "configuration", message: "MLFLOW_HTTP_REQUEST_TIMEOUT=\(text) is not a positive number of seconds.")
            }
            configuration.timeoutSeconds = seconds
        }
        if let text = environment["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] {
            guard let retries = Int(text), (0...100).contains(retries) else {
                throw MLflowError(call: "configuration", message: "MLFLOW_HTTP_REQUEST_MAX_RETRIES=\(text) is not a whole number in 0...100.")
            }
            configuration.maxRetries = retries
        }
        configuration.proxy = try proxy(for: scheme, host: host, environment: environment)
        return configuration
    }
}

extension MLflowConfiguration {
    /// The proxy the usual variables name for `scheme`, upper or lower case, unless `NO_PROXY` (`*`, hosts,
    /// or `.domain` suffixes, comma-separated) covers `host`.
    static func proxy(for scheme: String, host: String, environment: [String: String]) throws -> Proxy? {
        func value(_ name: String) -> String? {
            (environment[name.uppercased()] ?? environment[name.lowercased()]).flatMap { $0.isEmpty ? nil : $0 }
        }
        guard let text = value(scheme == "https" ? "HTTPS_PROXY" : "HTTP_PROXY") else { return nil }
        let exempt = (value("NO_PROXY") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let lowered = host.lowercased()
        if exempt.contains(where: { $0 == "*" || $0 == lowered || ($0.hasPrefix(".") ? lowered.hasSuffix($0) : lowered.hasSuffix("." + $0)) }) {
            return nil
        }
        let withScheme = text.contains("://") ? text : "http://\(text)"
        guard let components = URLComponents(string: withScheme), let proxyHost = components.host, !proxyHost.isEmpty else {
            throw MLflowError(call: "configuration", message: "\(scheme == "https" ? "HTTPS_PROXY" : "HTTP_PROXY")=\(text) is not a proxy address (host:port).")
        }
        return Proxy(host: proxyHost, port: components.port ?? 80)
    }
}

/// A call to the tracking server that failed: which call, and what the server (or the network) said.
public struct MLflowError: Error, CustomStringConvertible, Sendable {
    public let call: String
    public let message: String
    /// The HTTP status when the server answered, and MLflow's `error_code` when it gave one.
    public var status: Int?
    public var errorCode: String?

    public init(call: String, message: String, status: Int? = nil, errorCode: String? = nil) {
        self.call = call
        self.message = message
        self.status = status
        self.errorCode = errorCode
    }

    public var description: String { "MLflow \(call): \(message)" }
}
