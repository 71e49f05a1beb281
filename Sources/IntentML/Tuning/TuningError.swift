/// A tuning study that cannot run.
public enum TuningError: Error, CustomStringConvertible, Equatable {
    case invalidSpace(path: String, reason: String)
    case noValidationData

    public var description: String {
        switch self {
        case let .invalidSpace(path, reason): return "invalid search space in \(path): \(reason)."
        case .noValidationData: return "tuning needs validation data: give --valid or keep validation_fraction above 0."
        }
    }
}
