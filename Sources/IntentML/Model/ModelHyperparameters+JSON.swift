import Foundation

/// Hyperparameters as JSON objects, for tuning: read the settings, put drawn values in, validate.
extension ModelHyperparameters {
    /// The settings as a JSON object (snake_case keys).
    func jsonObject() throws -> [String: Any] {
        let encoder = JSONEncoder()
        let data: Data
        switch self {
        case .ngram(let settings): data = try encoder.encode(settings)
        case .lstmAttention(let settings): data = try encoder.encode(settings)
        case .ensemble(let settings): data = try encoder.encode(settings)
        }
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    /// These settings with `values` (JSON fragments by name) put in; the result is validated. A dotted name
    /// (`ngram.dimension`) sets a field of an ensemble's member.
    public func overriding(_ values: [String: String]) throws -> ModelHyperparameters {
        var object = try jsonObject()
        for (name, fragment) in values {
            let value = try JSONSerialization.jsonObject(with: Data(fragment.utf8), options: [.fragmentsAllowed])
            if let dot = name.firstIndex(of: "."), var member = object[String(name[..<dot])] as? [String: Any] {
                member[String(name[name.index(after: dot)...])] = value
                object[String(name[..<dot])] = member
            } else {
                object[name] = value
            }
        }
        let data = try JSONSerialization.data(withJSONObject: object)
        let result: ModelHyperparameters
        switch self {
        case .ngram: result = .ngram(try JSONDecoder().decode(Hyperparameters.self, from: data))
        case .lstmAttention: result = .lstmAttention(try JSONDecoder().decode(LSTMHyperparameters.self, from: data))
        case .ensemble: result = .ensemble(try JSONDecoder().decode(EnsembleHyperparameters.self, from: data))
        }
        let problems = result.validationProblems()
        guard problems.isEmpty else { throw TrainingError.invalidHyperparameters(problems) }
        return result
    }

    /// Settings by name, as `intent tune`, `intent runs compare` and MLflow name them: an ensemble's member
    /// settings with a dot (`ngram.dimension`), leaving out the members' copies of the settings the
    /// ensemble sets for both (`EnsembleHyperparameters.sharedKeys`). `overriding` reads the same names.
    public static func flattened(_ object: [String: Any]) -> [String: Any] {
        var flat: [String: Any] = [:]
        for (key, value) in object {
            if let member = value as? [String: Any] {
                for (inner, innerValue) in member where !EnsembleHyperparameters.sharedKeys.contains(inner) {
                    flat["\(key).\(inner)"] = innerValue
                }
            } else {
                flat[key] = value
            }
        }
        return flat
    }

    /// Passes over the data (the budget successive halving cuts).
    public var epochs: Int {
        get {
            switch self {
            case .ngram(let settings): return settings.epochs
            case .lstmAttention(let settings): return settings.epochs
            // Successive halving cuts the LSTM member's budget; the n-gram member keeps its epochs.
            case .ensemble(let settings): return settings.lstmAttention.epochs
            }
        }
        set {
            switch self {
            case .ngram(var settings): settings.epochs = newValue; self = .ngram(settings)
            case .lstmAttention(var settings): settings.epochs = newValue; self = .lstmAttention(settings)
            case .ensemble(var settings): settings.lstmAttention.epochs = newValue; self = .ensemble(settings)
            }
        }
    }
}
