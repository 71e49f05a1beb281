import Foundation

/// Every setting of the n-gram classifier, with documented defaults; stored inside each model bundle.
///
/// A config file (`intent train --config HYPER.json`) may give any subset of the fields; the rest keep their
/// defaults. An unknown field is an error, so a typo never silently trains with a default.
public struct Hyperparameters: Codable, Sendable, Equatable {
    /// The output layer and loss: a softmax over label sets, or one sigmoid per label (one-vs-all).
    public enum Loss: String, Codable, Sendable, CaseIterable {
        case softmax, oneVsAll = "one-vs-all"

        /// An unknown name is refused with the ones there are.
        public init(from decoder: Decoder) throws {
            let name = try decoder.singleValueContainer().decode(String.self)
            guard let loss = Loss(rawValue: name) else {
                let known = Loss.allCases.map { "'\($0.rawValue)'" }.joined(separator: " or ")
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(name)' is not a loss: use \(known)"))
            }
            self = loss
        }
    }

    /// Size of the sentence embedding.
    public var dimension = 64
    /// Passes over the training data.
    public var epochs = 30
    /// Initial SGD learning rate, decayed linearly to zero over training (as fastText does).
    public var learningRate: Float = 0.5
    /// Longest word n-gram (1 = words only).
    public var wordNgrams = 3
    /// Shortest character n-gram, counting the `<` `>` word boundaries; 0 disables character n-grams.
    public var charNgramMin = 3
    /// Longest character n-gram.
    public var charNgramMax = 5
    /// Size of the hashed feature-id space. Only ids seen in training get weights, so a large space costs no
    /// memory and keeps collisions rare.
    public var hashBuckets: UInt32 = 1 << 24
    /// Minimum count for a word to get a unigram feature of its own.
    public var minCount = 1
    /// Softmax (multi-class over label sets, the default) or one-vs-all sigmoids (multi-label).
    public var loss: Loss = .softmax
    /// How far the sentence vector balances the kinds of features (words, word n-grams, character
    /// n-grams): each kind's share is proportional to its total feature weight raised to this power. 1 is
    /// one weighted mean over every feature (fastText's, and bundles' before format 3), where a sentence's
    /// ~200 character n-grams outweigh its ~10 words; 0 gives each kind the same share.
    public var poolingExponent: Float = 0.75
    /// Exponent of the class weights `(N / (C * n_c))^a`: 0 weighs every example alike, 1 balances classes
    /// fully. Rare intents otherwise lose to the majority intent on the words they share with it.
    public var classWeightExponent: Float = 0.5
    /// Strength of the supervised feature weights (see `FeatureWeighting`); 0 gives every feature weight 1.
    public var featureWeighting: Float = 3
    /// Pseudo-counts that pull a rare feature's class distribution toward the prior.
    public var featureWeightSmoothing: Float = 2
    /// Share of the training data held out, stratified, for calibration when no `--valid` file is given.
    public var validationFraction = 0.1
    /// Below this confidence the answer is `<unknown>`; nil means calibrate it on validation data.
    public var unknownThreshold: Float?
    /// The calibrated threshold keeps at least this share of the in-domain validation sentences that the
    /// model classifies correctly.
    public var calibrationKeepRate: Float = 0.995
    /// Separator of multi-intent labels in the data (`flight+airfare`).
    public var labelSeparator = "+"

    public init() {}

    // snake_case, like every other JSON the product reads and writes.
    enum CodingKeys: String, CodingKey, CaseIterable {
        case dimension, epochs
        case learningRate = "learning_rate"
        case wordNgrams = "word_ngrams"
        case charNgramMin = "char_ngram_min"
        case charNgramMax = "char_ngram_max"
        case hashBuckets = "hash_buckets"
        case minCount = "min_count"
        case loss
        case poolingExponent = "pooling_exponent"
        case classWeightExponent = "class_weight_exponent"
        case featureWeighting = "feature_weighting"
        case featureWeightSmoothing = "feature_weight_smoothing"
        case validationFraction = "validation_fraction"
        case unknownThreshold = "unknown_threshold"
        case calibrationKeepRate = "calibration_keep_rate"
        case labelSeparator = "label_separator"
    }

    public init(from decoder: Decoder) throws {
        try AnyKey.refuseUnknownKeys(in: decoder, known: CodingKeys.allCases.map(\.stringValue), model: "")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = Hyperparameters()
        dimension = try container.decodeIfPresent(Int.self, forKey: .dimension) ?? defaults.dimension
        epochs = try container.decodeIfPresent(Int.self, forKey: .epochs) ?? defaults.epochs
        learningRate = try container.decodeIfPresent(Float.self, forKey: .learningRate) ?? defaults.learningRate
        wordNgrams = try container.decodeIfPresent(Int.self, forKey: .wordNgrams) ?? defaults.wordNgrams
        charNgramMin = try container.decodeIfPresent(Int.self, forKey: .charNgramMin) ?? defaults.charNgramMin
        charNgramMax = try container.decodeIfPresent(Int.self, forKey: .charNgramMax) ?? defaults.charNgramMax
        hashBuckets = try container.decodeIfPresent(UInt32.self, forKey: .hashBuckets) ?? defaults.hashBuckets
        minCount = try container.decodeIfPresent(Int.self, forKey: .minCount) ?? defaults.minCount
        loss = try container.decodeIfPresent(Loss.self, forKey: .loss) ?? defaults.loss
        poolingExponent = try container.decodeIfPresent(Float.self, forKey: .poolingExponent) ?? defaults.poolingExponent
        classWeightExponent = try container.decodeIfPresent(Float.self, forKey: .classWeightExponent) ?? defaults.classWeightExponent
        featureWeighting = try container.decodeIfPresent(Float.self, forKey: .featureWeighting) ?? defaults.featureWeighting
        featureWeightSmoothing = try container.decodeIfPresent(Float.self, forKey: .featureWeightSmoothing) ?? defaults.featureWeightSmoothing
        validationFraction = try container.decodeIfPresent(Double.self, forKey: .validationFraction) ?? defaults.validationFraction
        unknownThreshold = try container.decodeIfPresent(Float.self, forKey: .unknownThreshold)
        calibrationKeepRate = try container.decodeIfPresent(Float.self, forKey: .calibrationKeepRate) ?? defaults.calibrationKeepRate
        labelSeparator = try container.decodeIfPresent(String.self, forKey: .labelSeparator) ?? defaults.labelSeparator
    }

    /// The problems with these values, each naming the field and the accepted range; empty when valid.
    public func validationProblems() -> [String] {
        var problems: [String] = []
        if dimension < 1 || dimension > 1024 { problems.append("dimension must be in 1...1024 (got \(dimension))") }
        if epochs < 1 || epochs > 10_000 { problems.append("epochs must be in 1...10000 (got \(epochs))") }
        if !(learningRate > 0 && learningRate <= 10) { problems.append("learning_rate must be in (0, 10] (got \(learningRate))") }
        if wordNgrams < 1 || wordNgrams > 5 { problems.append("word_ngrams must be in 1...5 (got \(wordNgrams))") }
        if charNgramMin < 0 || charNgramMin > 10 { problems.append("char_ngram_min must be in 0...10 (got \(charNgramMin))") }
        if charNgramMin > 0 && (charNgramMax < charNgramMin || charNgramMax > 10) {
            problems.append("char_ngram_max must be in char_ngram_min...10 (got \(charNgramMax))")
        }
        if hashBuckets < 1024 { problems.append("hash_buckets must be at least 1024 (got \(hashBuckets))") }
        if minCount < 1 { problems.append("min_count must be at least 1 (got \(minCount))") }
        if !(poolingExponent >= 0 && poolingExponent <= 1) { problems.append("pooling_exponent must be in [0, 1] (got \(poolingExponent))") }
        if !(classWeightExponent >= 0 && classWeightExponent <= 2) {
            problems.append("class_weight_exponent must be in [0, 2] (got \(classWeightExponent))")
        }
        if !(featureWeighting >= 0 && featureWeighting <= 100) {
            problems.append("feature_weighting must be in [0, 100] (got \(featureWeighting))")
        }
        if !(featureWeightSmoothing > 0 && featureWeightSmoothing <= 1000) {
            problems.append("feature_weight_smoothing must be in (0, 1000] (got \(featureWeightSmoothing))")
        }
        if !(validationFraction >= 0 && validationFraction < 0.9) {
            problems.append("validation_fraction must be in [0, 0.9) (got \(validationFraction))")
        }
        problems += sharedSettingProblems(unknownThreshold: unknownThreshold, calibrationKeepRate: calibrationKeepRate, labelSeparator: labelSeparator)
        return problems
    }

    /// The label separator as a character (validated to be exactly one).
    public var separatorCharacter: Character { labelSeparator.first ?? "+" }

    /// Reads a config file, reporting the file and the problem on failure.
    public static func load(path: String) throws -> Hyperparameters {
        try loadConfig(path: path, problems: { $0.validationProblems() })
    }
}

/// The checks every model kind makes of the settings they all have: the `<unknown>` threshold, its
/// calibration and the label separator.
func sharedSettingProblems(unknownThreshold: Float?, calibrationKeepRate: Float, labelSeparator: String) -> [String] {
    var problems: [String] = []
    if let threshold = unknownThreshold, !(threshold >= 0 && threshold <= 1) {
        problems.append("unknown_threshold must be in [0, 1] (got \(threshold))")
    }
    if !(calibrationKeepRate > 0 && calibrationKeepRate <= 1) {
        problems.append("calibration_keep_rate must be in (0, 1] (got \(calibrationKeepRate))")
    }
    if labelSeparator.count != 1 { problems.append("label_separator must be one character (got '\(labelSeparator)')") }
    return problems
}

/// Reads a hyperparameter config file of any model kind: any subset of the fields, unknown fields and
/// invalid values refused with the file and the reason.
func loadConfig<Settings: Decodable>(path: String, problems: (Settings) -> [String]) throws -> Settings {
    let data: Data
    do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
        throw HyperparameterError.unreadable(path: path, reason: error.localizedDescription)
    }
    let decoded: Settings
    do { decoded = try JSONDecoder().decode(Settings.self, from: data) } catch let error as DecodingError {
        throw HyperparameterError.invalid(path: path, reason: error.readableDescription)
    }
    let found = problems(decoded)
    if !found.isEmpty { throw HyperparameterError.invalid(path: path, reason: found.joined(separator: "; ")) }
    return decoded
}

/// A config file that cannot be used.
public enum HyperparameterError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String, reason: String)
    case invalid(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            return "cannot read hyperparameters from \(path): \(reason). Check the path given to --config."
        case let .invalid(path, reason):
            return "invalid hyperparameters in \(path): \(reason). Fix the field, or remove it to use its default."
        }
    }
}

/// A coding key for any field name, used to find unknown fields.
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { self.stringValue = String(intValue); self.intValue = intValue }

    /// Throws when the object `decoder` reads has a field not in `known`, naming it and every known one,
    /// so a typo in a config never silently trains with a default. `model` names the kind in the message.
    static func refuseUnknownKeys(in decoder: Decoder, known: [String], model: String) throws {
        let names = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
        guard let unknown = names.first(where: { !known.contains($0) }) else { return }
        throw DecodingError.dataCorrupted(.init(
            codingPath: decoder.codingPath,
            debugDescription: "unknown hyperparameter '\(unknown)'\(model.isEmpty ? "" : " for \(model)"); known: \(known.joined(separator: ", "))"))
    }
}

extension DecodingError {
    /// A one-line description naming the field path, for error messages.
    package var readableDescription: String {
        func path(_ context: Context) -> String {
            let joined = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return joined.isEmpty ? "" : " at '\(joined)'"
        }
        switch self {
        case let .typeMismatch(type, context): return "wrong type\(path(context)): expected \(type). \(context.debugDescription)"
        case let .valueNotFound(type, context): return "missing value\(path(context)): expected \(type)"
        case let .keyNotFound(key, context): return "missing field '\(key.stringValue)'\(path(context))"
        case let .dataCorrupted(context): return "\(context.debugDescription)\(path(context))"
        @unknown default: return String(describing: self)
        }
    }
}
