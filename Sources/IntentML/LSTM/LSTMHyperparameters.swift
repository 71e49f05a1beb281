import Foundation

/// Every setting of the LSTM-attention classifier, with documented defaults; stored inside each bundle.
///
/// As with the n-gram model's `Hyperparameters`, a config file may give any subset of the fields and an
/// unknown field is an error. The defaults were chosen by 5-fold cross-validation on ATIS train alone
/// (`scripts/cv-atis.py --model-kind lstm-attention`), never on its test split.
public struct LSTMHyperparameters: Codable, Sendable, Equatable {
    /// Size of each word's embedding.
    public var embeddingDimension = 64
    /// Hidden size of each LSTM direction; the attention reads both, `2 x hiddenSize` per token.
    public var hiddenSize = 64
    /// Size of the attention's hidden layer (`u = tanh(W h + b)`, score `v . u`).
    public var attentionSize = 64
    /// Dropout on the embeddings and on the attention's sentence vector, training only.
    public var dropout: Float = 0.25
    /// Share of training tokens replaced by the unknown word, so the model learns what to do with words
    /// it never saw (every test set has some).
    public var wordDropout: Float = 0.1
    /// Most passes over the training data; early stopping usually ends sooner.
    public var epochs = 20
    /// Sentences per mini-batch.
    public var batchSize = 32
    /// Peak learning rate of Adam, reached after the warm-up and decayed linearly to a tenth.
    public var learningRate: Float = 0.012
    /// Share of all steps spent warming the learning rate up from zero.
    public var warmupFraction: Float = 0.05
    /// Decoupled weight decay (AdamW) on the weight matrices, not on the biases.
    public var weightDecay: Float = 0.0001
    /// The gradient is rescaled when its global L2 norm is above this.
    public var gradientClip: Float = 5
    /// Epochs without a better validation loss before training stops (the best epoch's weights are kept).
    public var patience = 4
    /// Exponent of the class weights `(N / (C * n_c))^a` in the loss: 0 weighs every sentence alike, 1
    /// balances classes fully. 0.5 as for the n-gram model; 5-fold CV on ATIS train found 0 and 0.5 alike
    /// (96.96% and 96.91%) and 1 worse (92.79%).
    public var classWeightExponent: Float = 0.5
    /// Minimum count for a word to get an embedding of its own; rarer words share the unknown word's.
    public var minCount = 1
    /// Share of the training data held out, stratified, for early stopping and calibration when no
    /// `--valid` file is given.
    public var validationFraction = 0.1
    /// Below this confidence the answer is `<unknown>`; nil means calibrate it on validation data.
    public var unknownThreshold: Float?
    /// The calibrated threshold keeps at least this share of the in-domain validation sentences that the
    /// model classifies correctly.
    public var calibrationKeepRate: Float = 0.995
    /// Separator of multi-intent labels in the data (`flight+airfare`).
    public var labelSeparator = "+"

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case embeddingDimension = "embedding_dimension"
        case hiddenSize = "hidden_size"
        case attentionSize = "attention_size"
        case dropout
        case wordDropout = "word_dropout"
        case epochs
        case batchSize = "batch_size"
        case learningRate = "learning_rate"
        case warmupFraction = "warmup_fraction"
        case weightDecay = "weight_decay"
        case gradientClip = "gradient_clip"
        case patience
        case classWeightExponent = "class_weight_exponent"
        case minCount = "min_count"
        case validationFraction = "validation_fraction"
        case unknownThreshold = "unknown_threshold"
        case calibrationKeepRate = "calibration_keep_rate"
        case labelSeparator = "label_separator"
    }

    public init(from decoder: Decoder) throws {
        try AnyKey.refuseUnknownKeys(in: decoder, known: CodingKeys.allCases.map(\.stringValue), model: "lstm-attention")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = LSTMHyperparameters()
        func value<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T {
            try container.decodeIfPresent(T.self, forKey: key) ?? fallback
        }
        embeddingDimension = try value(.embeddingDimension, defaults.embeddingDimension)
        hiddenSize = try value(.hiddenSize, defaults.hiddenSize)
        attentionSize = try value(.attentionSize, defaults.attentionSize)
        dropout = try value(.dropout, defaults.dropout)
        wordDropout = try value(.wordDropout, defaults.wordDropout)
        epochs = try value(.epochs, defaults.epochs)
        batchSize = try value(.batchSize, defaults.batchSize)
        learningRate = try value(.learningRate, defaults.learningRate)
        warmupFraction = try value(.warmupFraction, defaults.warmupFraction)
        weightDecay = try value(.weightDecay, defaults.weightDecay)
        gradientClip = try value(.gradientClip, defaults.gradientClip)
        patience = try value(.patience, defaults.patience)
        classWeightExponent = try value(.classWeightExponent, defaults.classWeightExponent)
        minCount = try value(.minCount, defaults.minCount)
        validationFraction = try value(.validationFraction, defaults.validationFraction)
        unknownThreshold = try container.decodeIfPresent(Float.self, forKey: .unknownThreshold)
        calibrationKeepRate = try value(.calibrationKeepRate, defaults.calibrationKeepRate)
        labelSeparator = try value(.labelSeparator, defaults.labelSeparator)
    }

    /// The problems with these values, each naming the field and the accepted range; empty when valid.
    public func validationProblems() -> [String] {
        var problems: [String] = []
        func check(_ ok: Bool, _ message: @autoclosure () -> String) { if !ok { problems.append(message()) } }
        check((1...1024).contains(embeddingDimension), "embedding_dimension must be in 1...1024 (got \(embeddingDimension))")
        check((1...1024).contains(hiddenSize), "hidden_size must be in 1...1024 (got \(hiddenSize))")
        check((1...1024).contains(attentionSize), "attention_size must be in 1...1024 (got \(attentionSize))")
        check(dropout >= 0 && dropout < 1, "dropout must be in [0, 1) (got \(dropout))")
        check(wordDropout >= 0 && wordDropout < 1, "word_dropout must be in [0, 1) (got \(wordDropout))")
        check((1...10_000).contains(epochs), "epochs must be in 1...10000 (got \(epochs))")
        check((1...4096).contains(batchSize), "batch_size must be in 1...4096 (got \(batchSize))")
        check(learningRate > 0 && learningRate <= 1, "learning_rate must be in (0, 1] (got \(learningRate))")
        check(warmupFraction >= 0 && warmupFraction < 1, "warmup_fraction must be in [0, 1) (got \(warmupFraction))")
        check(weightDecay >= 0 && weightDecay < 1, "weight_decay must be in [0, 1) (got \(weightDecay))")
        check(gradientClip > 0, "gradient_clip must be positive (got \(gradientClip))")
        check(patience >= 1, "patience must be at least 1 (got \(patience))")
        check(classWeightExponent >= 0 && classWeightExponent <= 2, "class_weight_exponent must be in [0, 2] (got \(classWeightExponent))")
        check(minCount >= 1, "min_count must be at least 1 (got \(minCount))")
        check(validationFraction >= 0 && validationFraction < 0.9, "validation_fraction must be in [0, 0.9) (got \(validationFraction))")
        problems += sharedSettingProblems(unknownThreshold: unknownThreshold, calibrationKeepRate: calibrationKeepRate, labelSeparator: labelSeparator)
        return problems
    }

    /// The label separator as a character (validated to be exactly one).
    public var separatorCharacter: Character { labelSeparator.first ?? "+" }
}
