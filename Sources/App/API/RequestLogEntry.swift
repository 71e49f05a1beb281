import IntentSupport
import IntentML

/// One answered prediction, as the request log keeps it.
struct RequestLogEntry: Sendable, Equatable {
    /// Seconds since 1970.
    var time: Double
    var requestID: String
    /// The text as sent, its SHA-256 in hex, or nil, by `RequestLog.TextPolicy`.
    var text: String?
    var intent: String
    var confidence: Float
    /// Time the request spent in the handler, in microseconds (a batch's entries share it).
    var latencyMicroseconds: Int
    var modelVersion: String
}

/// What the request log keeps of each text.
enum RequestLogTextPolicy: String, Sendable, CaseIterable {
    /// The text itself.
    case full
    /// Its SHA-256 in hex: repeated questions can be counted without storing what users typed.
    case hash
    /// Nothing.
    case none

    func apply(_ text: String) -> String? {
        switch self {
        case .full: return text
        case .hash: return IntentSupport.SHA256.hexDigest(of: Array(text.utf8))
        case .none: return nil
        }
    }
}
