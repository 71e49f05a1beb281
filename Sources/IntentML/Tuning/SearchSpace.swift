import Foundation

/// The hyperparameters a tuning study may vary, and how each is drawn.
///
/// Read from a JSON object whose keys are hyperparameter names of the model kind (snake_case, as in a
/// `--config` file) and whose values say how to draw them:
/// ```json
/// {"learning_rate": {"log_uniform": [0.002, 0.02]}, "dropout": {"uniform": [0.1, 0.5]},
///  "hidden_size": {"choice": [32, 64, 96]}, "epochs": {"int_uniform": [10, 30]}}
/// ```
/// A name the model kind does not know is refused when the space is read, not after a trial ran.
public struct SearchSpace: Sendable, Equatable {
    /// How one hyperparameter is drawn.
    public enum Distribution: Sendable, Equatable {
        case uniform(Double, Double)
        case logUniform(Double, Double)
        case intUniform(Int, Int)
        /// Any JSON scalars (numbers, strings, booleans), kept as their JSON text.
        case choice([String])
    }

    /// Parameters in name order, so draws do not depend on the file's key order.
    public let parameters: [(name: String, distribution: Distribution)]

    public static func == (lhs: SearchSpace, rhs: SearchSpace) -> Bool {
        lhs.parameters.map(\.name) == rhs.parameters.map(\.name) && lhs.parameters.map(\.distribution) == rhs.parameters.map(\.distribution)
    }

    /// Parses `data` (the space file's bytes) for `kind`; `path` is for messages.
    public init(data: Data, kind: String, path: String) throws {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw TuningError.invalidSpace(path: path, reason: "not a JSON object of hyperparameter names")
        }
        guard !object.isEmpty else { throw TuningError.invalidSpace(path: path, reason: "it names no hyperparameter to vary") }
        let known = try Self.knownNames(kind: kind)
        var parameters: [(String, Distribution)] = []
        for name in object.keys.sorted() {
            guard known.contains(name) else {
                throw TuningError.invalidSpace(path: path, reason: "'\(name)' is not a hyperparameter of the \(kind) kind; known: \(known.sorted().joined(separator: ", "))")
            }
            guard let spec = object[name] as? [String: Any], spec.count == 1, let (how, value) = spec.first else {
                throw TuningError.invalidSpace(path: path, reason: "'\(name)' needs exactly one of uniform, log_uniform, int_uniform, choice")
            }
            parameters.append((name, try Self.distribution(how, value, name: name, path: path)))
        }
        self.parameters = parameters
    }

    /// Draws one value per parameter, as JSON fragments (`0.0042`, `64`, `"softmax"`).
    public func draw(using generator: inout SplitMix64) -> [String: String] {
        var values: [String: String] = [:]
        for (name, distribution) in parameters {
            let unit = Double(generator.nextUnitFloat())
            switch distribution {
            case let .uniform(low, high): values[name] = Self.format(low + (high - low) * unit)
            case let .logUniform(low, high): values[name] = Self.format(exp(log(low) + (log(high) - log(low)) * unit))
            case let .intUniform(low, high): values[name] = String(low + generator.nextIndex(below: high - low + 1))
            case let .choice(options): values[name] = options[generator.nextIndex(below: options.count)]
            }
        }
        return values
    }

    /// Six significant digits: enough for any hyperparameter, and stable in reports.
    package static func format(_ value: Double) -> String {
        String(format: "%.6g", value)
    }

    static func knownNames(kind: String) throws -> Set<String> {
        guard let defaults = ModelHyperparameters.defaults(kind: kind) else {
            throw TuningError.invalidSpace(path: "--model-kind", reason: "unknown model kind '\(kind)'")
        }
        var names = Set(ModelHyperparameters.flattened(try defaults.jsonObject()).keys)
        names.insert("unknown_threshold")  // optional, so absent from the defaults' JSON
        return names
    }

    static func distribution(_ how: String, _ value: Any, name: String, path: String) throws -> Distribution {
        func pair() throws -> (Double, Double) {
            guard let bounds = value as? [NSNumber], bounds.count == 2, bounds[0].doubleValue <= bounds[1].doubleValue else {
                throw TuningError.invalidSpace(path: path, reason: "'\(name)': \(how) needs [low, high] with low <= high")
            }
            return (bounds[0].doubleValue, bounds[1].doubleValue)
        }
        switch how {
        case "uniform":
            let (low, high) = try pair()
            return .uniform(low, high)
        case "log_uniform":
            let (low, high) = try pair()
            guard low > 0 else { throw TuningError.invalidSpace(path: path, reason: "'\(name)': log_uniform needs low > 0") }
            return .logUniform(low, high)
        case "int_uniform":
            let (low, high) = try pair()
            guard low == low.rounded(), high == high.rounded() else {
                throw TuningError.invalidSpace(path: path, reason: "'\(name)': int_uniform needs whole numbers")
            }
            return .intUniform(Int(low), Int(high))
        case "choice":
            guard let options = value as? [Any], !options.isEmpty else {
                throw TuningError.invalidSpace(path: path, reason: "'\(name)': choice needs a non-empty list")
            }
            return .choice(try options.map { option in
                let data = try JSONSerialization.data(withJSONObject: option, options: [.fragmentsAllowed])
                return String(decoding: data, as: UTF8.self)
            })
        default:
            throw TuningError.invalidSpace(path: path, reason: "'\(name)': unknown distribution '\(how)'; use uniform, log_uniform, int_uniform or choice")
        }
    }
}
