import Foundation

/// The settings of the `ensemble` model kind: an n-gram model and an LSTM with self-attention trained on
/// the same data, whose class probabilities are averaged.
///
/// The two models err on different sentences (on ATIS, 5-fold cross-validation on train.tsv: 96.8% for
/// the n-gram model and 96.9% for the LSTM alone, 97.65% for the ensemble), at the LSTM's training and
/// prediction cost. The split, the `<unknown>` calibration and the label separator (`sharedKeys`) are the
/// ensemble's own and are copied into both members.
public struct EnsembleHyperparameters: Codable, Sendable, Equatable {
    /// The n-gram member's settings (any subset in a config file; its `loss` must stay `softmax`).
    public var ngram = Hyperparameters()
    /// The LSTM member's settings.
    public var lstmAttention = LSTMHyperparameters()
    /// Weight of the n-gram model's probabilities; the LSTM's get `1 - ngram_weight`. 0.5 was the best of
    /// 0.35...0.65 in 5-fold cross-validation on ATIS train.tsv.
    public var ngramWeight: Float = 0.5
    /// Share of the training data held out, stratified, for the LSTM's early stopping and for calibration
    /// when no `--valid` file is given.
    public var validationFraction = 0.1
    /// Below this confidence the answer is `<unknown>`; nil means calibrate it on validation data.
    public var unknownThreshold: Float?
    /// The calibrated threshold keeps at least this share of the correctly answered validation sentences.
    public var calibrationKeepRate: Float = 0.995
    /// Separator of multi-intent labels in the data.
    public var labelSeparator = "+"

    /// The settings the ensemble sets for both members; a member's own copy must agree or be left out.
    public static let sharedKeys: Set<String> = ["validation_fraction", "unknown_threshold", "calibration_keep_rate", "label_separator"]

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case ngram
        case lstmAttention = "lstm_attention"
        case ngramWeight = "ngram_weight"
        case validationFraction = "validation_fraction"
        case unknownThreshold = "unknown_threshold"
        case calibrationKeepRate = "calibration_keep_rate"
        case labelSeparator = "label_separator"
    }

    public init(from decoder: Decoder) throws {
        try AnyKey.refuseUnknownKeys(in: decoder, known: CodingKeys.allCases.map(\.stringValue), model: ModelManifest.ensembleKind)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = EnsembleHyperparameters()
        ngram = try container.decodeIfPresent(Hyperparameters.self, forKey: .ngram) ?? defaults.ngram
        lstmAttention = try container.decodeIfPresent(LSTMHyperparameters.self, forKey: .lstmAttention) ?? defaults.lstmAttention
        ngramWeight = try container.decodeIfPresent(Float.self, forKey: .ngramWeight) ?? defaults.ngramWeight
        validationFraction = try container.decodeIfPresent(Double.self, forKey: .validationFraction) ?? defaults.validationFraction
        unknownThreshold = try container.decodeIfPresent(Float.self, forKey: .unknownThreshold)
        calibrationKeepRate = try container.decodeIfPresent(Float.self, forKey: .calibrationKeepRate) ?? defaults.calibrationKeepRate
        labelSeparator = try container.decodeIfPresent(String.self, forKey: .labelSeparator) ?? defaults.labelSeparator
        // A shared setting given inside a member would be overridden: refuse it unless it agrees (manifests
        // store the members with the ensemble's values).
        func shared(_ fraction: Double, _ threshold: Float?, _ keepRate: Float, _ separator: String) -> [String: String] {
            ["validation_fraction": "\(fraction)", "unknown_threshold": threshold.map { "\($0)" } ?? "none",
             "calibration_keep_rate": "\(keepRate)", "label_separator": separator]
        }
        let mine = shared(validationFraction, unknownThreshold, calibrationKeepRate, labelSeparator)
        let members: [(CodingKeys, [String: String])] = [
            (.ngram, shared(ngram.validationFraction, ngram.unknownThreshold, ngram.calibrationKeepRate, ngram.labelSeparator)),
            (.lstmAttention, shared(lstmAttention.validationFraction, lstmAttention.unknownThreshold, lstmAttention.calibrationKeepRate,
                                    lstmAttention.labelSeparator)),
        ]
        for (member, theirs) in members where container.contains(member) {
            let given = try container.nestedContainer(keyedBy: AnyKey.self, forKey: member).allKeys.map(\.stringValue)
            for key in given.sorted() where Self.sharedKeys.contains(key) && theirs[key] != mine[key] {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: decoder.codingPath,
                    debugDescription: "'\(member.stringValue).\(key)' is set by the ensemble for both members: give '\(key)' at the top level instead"))
            }
        }
        self = synced
    }

    /// These settings with the ensemble's split, calibration and separator copied into both members.
    public var synced: EnsembleHyperparameters {
        var settings = self
        settings.ngram.validationFraction = validationFraction
        settings.lstmAttention.validationFraction = validationFraction
        settings.ngram.unknownThreshold = unknownThreshold
        settings.lstmAttention.unknownThreshold = unknownThreshold
        settings.ngram.calibrationKeepRate = calibrationKeepRate
        settings.lstmAttention.calibrationKeepRate = calibrationKeepRate
        settings.ngram.labelSeparator = labelSeparator
        settings.lstmAttention.labelSeparator = labelSeparator
        return settings
    }

    /// The problems with these values (the members' included, prefixed with their field); empty when valid.
    public func validationProblems() -> [String] {
        var problems: [String] = []
        if !(ngramWeight >= 0 && ngramWeight <= 1) { problems.append("ngram_weight must be in [0, 1] (got \(ngramWeight))") }
        if !(validationFraction > 0 && validationFraction < 0.9) {
            problems.append("validation_fraction must be in (0, 0.9): the LSTM member stops early on validation data (got \(validationFraction))")
        }
        problems += sharedSettingProblems(unknownThreshold: unknownThreshold, calibrationKeepRate: calibrationKeepRate, labelSeparator: labelSeparator)
        if ngram.loss != .softmax { problems.append("ngram.loss must be 'softmax': the LSTM member's probabilities are a softmax over label sets") }
        problems += ngram.validationProblems().map { "ngram.\($0)" }
        problems += lstmAttention.validationProblems().map { "lstm_attention.\($0)" }
        return problems
    }

    /// The members' settings with the ensemble's split, calibration and separator put in.
    public var members: (ngram: Hyperparameters, lstmAttention: LSTMHyperparameters) {
        let settings = synced
        return (settings.ngram, settings.lstmAttention)
    }
}
