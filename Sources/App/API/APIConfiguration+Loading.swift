import Foundation
import HTTPServing

/// The one place `intent serve`'s settings are put together and checked: flags > environment > defaults.
extension APIConfiguration {
    /// What the command line gives; nil where a flag was not given.
    struct Overrides: Sendable {
        var model: String?
        var adminTokenFile: String?
        var host: String?
        var port: Int?
        var requestLog: String?
        var requestLogText: RequestLogTextPolicy = .full
        var requestLogMaxRows = RequestLog.Settings.defaultMaxRows
        var requestLogMaxAgeDays = RequestLog.Settings.defaultMaxAgeDays
        /// Timeouts in seconds, as the flags give them.
        var idleTimeout = seconds(ServerLimits.Defaults.idleTimeout)
        var headerTimeout = seconds(ServerLimits.Defaults.headerTimeout)
        var bodyTimeout = seconds(ServerLimits.Defaults.bodyTimeout)
        var drainTimeout = seconds(ServerLimits.Defaults.drainTimeout)
        var maxConnections = ServerLimits.Defaults.maxConnections
        var listenBacklog = ServerLimits.Defaults.backlog
        var docsAssets: String?
        var maxBodyBytesInFlight = APILimits.maxBodyBytesInFlight
        var maxResponseBytesInFlight = APILimits.maxResponseBytesInFlight

        static func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }
    }

    /// The settings from `environment` (`HOST`, `PORT`, `INTENT_REQUEST_LOG`, `INTENTOPS_SWAGGER_UI`) with
    /// `overrides` on top, checked: every problem names the flag or variable and the accepted range.
    static func load(environment: [String: String], overrides: Overrides) throws -> APIConfiguration {
        var configuration = try fromEnvironment(environment)
        if let model = overrides.model { configuration.modelPath = model }
        configuration.adminTokenFile = overrides.adminTokenFile
        if let host = overrides.host { configuration.host = host }
        if let port = overrides.port {
            guard (1...65535).contains(port) else { throw APIConfigurationError.invalid("--port must be in 1...65535, got \(port)") }
            configuration.port = port
        }
        for (flag, value) in [("--idle-timeout", overrides.idleTimeout), ("--header-timeout", overrides.headerTimeout),
                              ("--body-timeout", overrides.bodyTimeout), ("--drain-timeout", overrides.drainTimeout)] {
            guard value.isFinite, value >= 0, value <= 86_400 else {
                throw APIConfigurationError.invalid("\(flag) must be a number of seconds in 0...86400, got \(value)")
            }
        }
        func milliseconds(_ seconds: Double) -> Duration { .milliseconds(Int64((seconds * 1000).rounded())) }
        configuration.limits.idleTimeout = milliseconds(overrides.idleTimeout)
        configuration.limits.headerTimeout = milliseconds(overrides.headerTimeout)
        configuration.limits.bodyTimeout = milliseconds(overrides.bodyTimeout)
        configuration.limits.drainTimeout = milliseconds(overrides.drainTimeout)
        configuration.limits.maxConnections = overrides.maxConnections
        configuration.limits.backlog = overrides.listenBacklog
        if let problem = configuration.limits.problems(naming: { "--\($0)" }).first { throw APIConfigurationError.invalid(problem) }
        for (flag, value) in [("--max-body-bytes-in-flight", overrides.maxBodyBytesInFlight),
                              ("--max-response-bytes-in-flight", overrides.maxResponseBytesInFlight)] {
            guard value >= APILimits.maxBodyBytes else {
                throw APIConfigurationError.invalid("\(flag) must be at least \(APILimits.maxBodyBytes) (one largest request), got \(value)")
            }
        }
        configuration.maxBodyBytesInFlight = overrides.maxBodyBytesInFlight
        configuration.maxResponseBytesInFlight = overrides.maxResponseBytesInFlight
        guard overrides.requestLogMaxRows >= 1 else {
            throw APIConfigurationError.invalid("--request-log-max-rows must be at least 1, got \(overrides.requestLogMaxRows)")
        }
        guard overrides.requestLogMaxAgeDays > 0, overrides.requestLogMaxAgeDays.isFinite else {
            throw APIConfigurationError.invalid("--request-log-max-age-days must be a positive number of days, got \(overrides.requestLogMaxAgeDays)")
        }
        if let path = overrides.requestLog { configuration.requestLogPath = path }
        configuration.requestLogText = overrides.requestLogText
        configuration.requestLogMaxRows = overrides.requestLogMaxRows
        configuration.requestLogMaxAgeSeconds = overrides.requestLogMaxAgeDays * 86_400
        do {
            configuration.docsAssets = try SwaggerUIAssets.locate(explicit: overrides.docsAssets, environment: environment)
        } catch {
            throw APIConfigurationError.invalid("\(error)")
        }
        return configuration
    }
}
