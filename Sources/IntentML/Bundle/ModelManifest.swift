/// The `manifest.json` of a model bundle: everything about a model except its weights.
///
/// The JSON is a contract with other tools and with older and newer versions of `intent`, so its keys are
/// spelled out (snake_case) and its `format_version` is checked on load.
public struct ModelManifest: Codable, Sendable, Equatable {
    /// The bundle layout this version of the library writes; it reads this one and every earlier one.
    /// 2: `vocabulary.txt` words are escaped (`VocabularyCodec`); 1 wrote them raw.
    /// 3: the n-gram settings give their `pooling_exponent`; bundles before it pooled by one mean (exponent 1).
    public static let currentFormatVersion = 3
    /// The model kind of the n-gram classifier.
    public static let ngramKind = "ngram"
    /// The model kind of the LSTM with self-attention.
    public static let lstmAttentionKind = "lstm-attention"
    /// The n-gram model and the LSTM together (`EnsembleClassifier`).
    public static let ensembleKind = "ensemble"

    /// Hashing and vocabulary parameters, enough to reproduce the features of a sentence.
    public struct Features: Codable, Sendable, Equatable {
        public var hashing = "fnv1a-64+splitmix64"
        public var hashBuckets: UInt32
        public var wordNgrams: Int
        public var charNgramMin: Int
        public var charNgramMax: Int
        public var vocabularySize: Int
        public var vocabularyMinCount: Int
        /// Feature ids seen in training, each with an embedding row.
        public var rows: Int

        enum CodingKeys: String, CodingKey {
            case hashing, rows
            case hashBuckets = "hash_buckets", wordNgrams = "word_ngrams", charNgramMin = "char_ngram_min"
            case charNgramMax = "char_ngram_max", vocabularySize = "vocabulary_size", vocabularyMinCount = "vocabulary_min_count"
        }
    }

    /// What the model was trained on.
    public struct TrainingData: Codable, Sendable, Equatable {
        /// sha256 of the training data files' bytes, in the order given (or of the built-in dataset).
        public var sha256: String
        /// The files (or `<built-in>`).
        public var sources: [String]
        public var examples: Int
        public var validationExamples: Int
        public var outOfDomainExamples: Int

        public init(sha256: String, sources: [String], examples: Int, validationExamples: Int, outOfDomainExamples: Int) {
            self.sha256 = sha256
            self.sources = sources
            self.examples = examples
            self.validationExamples = validationExamples
            self.outOfDomainExamples = outOfDomainExamples
        }

        enum CodingKeys: String, CodingKey {
            case sha256, sources, examples
            case validationExamples = "validation_examples", outOfDomainExamples = "out_of_domain_examples"
        }
    }

    /// Size and checksum of one file of the bundle.
    public struct FileDigest: Codable, Sendable, Equatable {
        public var sha256: String
        public var bytes: Int
    }

    public var formatVersion: Int
    public var modelKind: String
    public var name: String
    /// Content version: the start of the weights' sha256, so the same weights always get the same version.
    public var version: String
    public var createdAt: String
    public var toolVersion: String
    /// The kind's own settings (`Hyperparameters`, `LSTMHyperparameters` or `EnsembleHyperparameters`),
    /// chosen by `model_kind`.
    public var hyperparameters: ModelHyperparameters
    public var seed: UInt64
    public var threads: Int
    public var labels: LabelSpace
    public var unknownThreshold: Float
    public var features: Features
    public var trainingData: TrainingData
    /// Named figures measured at training time (validation accuracy, ...).
    public var metrics: [String: Double]
    /// The other files of the bundle by name.
    public var files: [String: FileDigest]

    enum CodingKeys: String, CodingKey {
        case name, version, hyperparameters, seed, threads, labels, features, metrics, files
        case formatVersion = "format_version", modelKind = "model_kind", createdAt = "created_at"
        case toolVersion = "tool_version", unknownThreshold = "unknown_threshold", trainingData = "training_data"
    }

    public init(
        formatVersion: Int, modelKind: String, name: String, version: String, createdAt: String, toolVersion: String,
        hyperparameters: ModelHyperparameters, seed: UInt64, threads: Int, labels: LabelSpace, unknownThreshold: Float,
        features: Features, trainingData: TrainingData, metrics: [String: Double], files: [String: FileDigest]
    ) {
        self.formatVersion = formatVersion
        self.modelKind = modelKind
        self.name = name
        self.version = version
        self.createdAt = createdAt
        self.toolVersion = toolVersion
        self.hyperparameters = hyperparameters
        self.seed = seed
        self.threads = threads
        self.labels = labels
        self.unknownThreshold = unknownThreshold
        self.features = features
        self.trainingData = trainingData
        self.metrics = metrics
        self.files = files
    }

    /// `hyperparameters` is read as the settings of `model_kind`.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        formatVersion = try container.decode(Int.self, forKey: .formatVersion)
        modelKind = try container.decode(String.self, forKey: .modelKind)
        switch modelKind {
        case Self.lstmAttentionKind:
            hyperparameters = .lstmAttention(try container.decode(LSTMHyperparameters.self, forKey: .hyperparameters))
        case Self.ngramKind:
            hyperparameters = .ngram(try container.decode(Hyperparameters.self, forKey: .hyperparameters))
        case Self.ensembleKind:
            hyperparameters = .ensemble(try container.decode(EnsembleHyperparameters.self, forKey: .hyperparameters))
        default:
            throw DecodingError.dataCorruptedError(forKey: .modelKind, in: container, debugDescription: "unknown model kind '\(modelKind)'")
        }
        if formatVersion < 3 {
            // Written before pooling was a setting: the n-gram model (alone or in an ensemble) pooled by one mean.
            switch hyperparameters {
            case .ngram(var settings):
                settings.poolingExponent = 1
                hyperparameters = .ngram(settings)
            case .ensemble(var settings):
                settings.ngram.poolingExponent = 1
                hyperparameters = .ensemble(settings)
            case .lstmAttention: break
            }
        }
        name = try container.decode(String.self, forKey: .name)
        version = try container.decode(String.self, forKey: .version)
        createdAt = try container.decode(String.self, forKey: .createdAt)
        toolVersion = try container.decode(String.self, forKey: .toolVersion)
        seed = try container.decode(UInt64.self, forKey: .seed)
        threads = try container.decode(Int.self, forKey: .threads)
        labels = try container.decode(LabelSpace.self, forKey: .labels)
        unknownThreshold = try container.decode(Float.self, forKey: .unknownThreshold)
        features = try container.decode(Features.self, forKey: .features)
        trainingData = try container.decode(TrainingData.self, forKey: .trainingData)
        metrics = try container.decode([String: Double].self, forKey: .metrics)
        files = try container.decode([String: FileDigest].self, forKey: .files)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(formatVersion, forKey: .formatVersion)
        try container.encode(modelKind, forKey: .modelKind)
        try hyperparameters.encode(to: &container, forKey: .hyperparameters)
        try container.encode(name, forKey: .name)
        try container.encode(version, forKey: .version)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(toolVersion, forKey: .toolVersion)
        try container.encode(seed, forKey: .seed)
        try container.encode(threads, forKey: .threads)
        try container.encode(labels, forKey: .labels)
        try container.encode(unknownThreshold, forKey: .unknownThreshold)
        try container.encode(features, forKey: .features)
        try container.encode(trainingData, forKey: .trainingData)
        try container.encode(metrics, forKey: .metrics)
        try container.encode(files, forKey: .files)
    }
}
