import Foundation

/// The hyperparameters of any model kind, as the manifest stores them under `hyperparameters`.
public enum ModelHyperparameters: Sendable, Equatable {
    case ngram(Hyperparameters)
    case lstmAttention(LSTMHyperparameters)
    case ensemble(EnsembleHyperparameters)

    /// The manifest's `model_kind` for each case.
    public var kind: String {
        switch self {
        case .ngram: return ModelManifest.ngramKind
        case .lstmAttention: return ModelManifest.lstmAttentionKind
        case .ensemble: return ModelManifest.ensembleKind
        }
    }

    /// Every kind `intent train --model-kind` accepts.
    public static let kinds = [ModelManifest.ngramKind, ModelManifest.lstmAttentionKind, ModelManifest.ensembleKind]

    /// The defaults of `kind`, or nil for a kind this version does not know.
    public static func defaults(kind: String) -> ModelHyperparameters? {
        switch kind {
        case ModelManifest.ngramKind: return .ngram(Hyperparameters())
        case ModelManifest.lstmAttentionKind: return .lstmAttention(LSTMHyperparameters())
        case ModelManifest.ensembleKind: return .ensemble(EnsembleHyperparameters())
        default: return nil
        }
    }

    /// Reads a config file for `kind` (any subset of its fields), reporting the file and the problem on failure.
    public static func load(path: String, kind: String) throws -> ModelHyperparameters {
        switch kind {
        case ModelManifest.lstmAttentionKind:
            return .lstmAttention(try loadConfig(path: path, problems: { (settings: LSTMHyperparameters) in settings.validationProblems() }))
        case ModelManifest.ensembleKind:
            return .ensemble(try loadConfig(path: path, problems: { (settings: EnsembleHyperparameters) in settings.validationProblems() }))
        default:
            return .ngram(try Hyperparameters.load(path: path))
        }
    }

    public func validationProblems() -> [String] {
        switch self {
        case .ngram(let settings): return settings.validationProblems()
        case .lstmAttention(let settings): return settings.validationProblems()
        case .ensemble(let settings): return settings.validationProblems()
        }
    }

    /// The separator of multi-intent labels.
    public var labelSeparator: String {
        get {
            switch self {
            case .ngram(let settings): return settings.labelSeparator
            case .lstmAttention(let settings): return settings.labelSeparator
            case .ensemble(let settings): return settings.labelSeparator
            }
        }
        set {
            switch self {
            case .ngram(var settings): settings.labelSeparator = newValue; self = .ngram(settings)
            case .lstmAttention(var settings): settings.labelSeparator = newValue; self = .lstmAttention(settings)
            case .ensemble(var settings): settings.labelSeparator = newValue; self = .ensemble(settings.synced)
            }
        }
    }

    /// Share of the training data held out when no validation file is given.
    public var validationFraction: Double {
        switch self {
        case .ngram(let settings): return settings.validationFraction
        case .lstmAttention(let settings): return settings.validationFraction
        case .ensemble(let settings): return settings.validationFraction
        }
    }

    /// A fixed threshold from the config, or nil to calibrate one.
    public var unknownThreshold: Float? {
        switch self {
        case .ngram(let settings): return settings.unknownThreshold
        case .lstmAttention(let settings): return settings.unknownThreshold
        case .ensemble(let settings): return settings.unknownThreshold
        }
    }

    public var calibrationKeepRate: Float {
        switch self {
        case .ngram(let settings): return settings.calibrationKeepRate
        case .lstmAttention(let settings): return settings.calibrationKeepRate
        case .ensemble(let settings): return settings.calibrationKeepRate
        }
    }

    /// Encodes the inner settings as a plain object (the manifest's `hyperparameters`).
    func encode(to container: inout KeyedEncodingContainer<ModelManifest.CodingKeys>, forKey key: ModelManifest.CodingKeys) throws {
        switch self {
        case .ngram(let settings): try container.encode(settings, forKey: key)
        case .lstmAttention(let settings): try container.encode(settings, forKey: key)
        case .ensemble(let settings): try container.encode(settings, forKey: key)
        }
    }
}
