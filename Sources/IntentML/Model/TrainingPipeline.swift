/// What a training run produced: the model, how it did on validation, and what it was trained on.
public struct TrainingOutcome: Sendable {
    public var classifier: IntentClassifier
    /// Accuracy (label-set match) on the validation part, before any refit; nil without validation data.
    public var validationAccuracy: Double?
    /// Validation examples used for calibration.
    public var validationCount: Int
    /// Examples the final model was trained on.
    public var trainingCount: Int
    /// Of those, out-of-domain (`<unknown>`) examples.
    public var outOfDomainCount: Int
    /// The LSTM's epochs (training and validation loss); empty for the n-gram model.
    public var epochs: [LSTMTrainer.EpochReport] = []
    /// The validation part the threshold was calibrated on (and the LSTM stopped on).
    public var validation: [LabeledExample] = []
    /// Whether the final model was refit on training + validation data (so validation figures of the
    /// final model are optimistic).
    public var refitOnValidation = false
}

/// The whole training procedure shared by `intent train` and tuning: hold out validation data, train,
/// calibrate the `<unknown>` threshold on validation, then (n-gram, by default) refit on all the data.
///
/// The LSTM (alone or in an ensemble) uses its validation part for early stopping as well, and is not
/// refit: without validation data there would be no epoch to stop at.
public struct TrainingPipeline: Sendable {
    public var model: ModelHyperparameters
    public var seed: UInt64
    public var threads: Int
    /// Retrain the n-gram model on training + validation data once the threshold is calibrated: 10% more
    /// data for the final model, at the cost of a second (sub-second) training.
    public var refitOnAllData: Bool
    /// How the `<unknown>` threshold is chosen when the settings do not fix one (`unknown_threshold`).
    public var calibration: CalibrationRule

    public init(model: ModelHyperparameters, seed: UInt64 = 42, threads: Int = 1, refitOnAllData: Bool = true,
                calibration: CalibrationRule = .auto) {
        self.model = model
        self.seed = seed
        self.threads = threads
        self.refitOnAllData = refitOnAllData
        self.calibration = calibration
    }

    public init(hyperparameters: Hyperparameters, seed: UInt64 = 42, threads: Int = 1, refitOnAllData: Bool = true) {
        self.init(model: .ngram(hyperparameters), seed: seed, threads: threads, refitOnAllData: refitOnAllData)
    }

    /// Runs the pipeline. `validation` given explicitly is used as is; otherwise a stratified share of
    /// `train` (`validationFraction`) is held out.
    public func run(
        train: [LabeledExample], validation explicitValidation: [LabeledExample]? = nil,
        progress: (@Sendable (TrainingProgress) -> Void)? = nil
    ) throws -> TrainingOutcome {
        try Self.checkClasses(train)
        let fitPart: [LabeledExample]
        let validation: [LabeledExample]
        if let explicitValidation {
            (fitPart, validation) = (train, explicitValidation)
        } else if model.validationFraction > 0 {
            (fitPart, validation) = DatasetSplit.stratified(train, validationFraction: model.validationFraction, seed: seed)
        } else {
            (fitPart, validation) = (train, [])
        }
        var classifier: IntentClassifier
        var epochs: [LSTMTrainer.EpochReport] = []
        switch model {
        case .ngram(let hyperparameters):
            classifier = .ngram(try NGramTrainer(hyperparameters: hyperparameters, seed: seed, threads: threads).train(fitPart, progress: progress))
        case .lstmAttention(let hyperparameters):
            let trained = try LSTMTrainer(hyperparameters: hyperparameters, seed: seed, threads: threads)
                .train(fitPart, validation: validation, progress: progress)
            classifier = .lstmAttention(trained.classifier)
            epochs = trained.epochs
        case .ensemble(let settings):
            // Both members on the same examples (so the same classes), the LSTM stopping on validation.
            let members = settings.members
            // The n-gram member trains on one thread (in about a second): bit-reproducible whatever --threads says.
            // Progress is the LSTM's, which takes nearly all the time (and whose epochs the run log keeps).
            let ngram = try NGramTrainer(hyperparameters: members.ngram, seed: seed, threads: 1).train(fitPart)
            let lstm = try LSTMTrainer(hyperparameters: members.lstmAttention, seed: seed, threads: threads)
                .train(fitPart, validation: validation, progress: progress)
            classifier = .ensemble(try EnsembleClassifier(ngram: ngram, lstmAttention: lstm.classifier, hyperparameters: settings, unknownThreshold: 0))
            epochs = lstm.epochs
        }

        // The trainers leave the threshold at 0, so these answers are judged before any threshold.
        var inDomain: [ThresholdCalibration.Observation] = []
        var outOfDomain: [Float] = []
        var scratch = IntentClassifier.Scratch()
        for example in validation {
            let prediction = classifier.predict(example.text, scratch: &scratch)
            if example.labels.isUnknown {
                outOfDomain.append(prediction.confidence)
            } else {
                inDomain.append(.init(confidence: prediction.confidence, correct: prediction.labels == example.labels))
            }
        }
        let threshold = model.unknownThreshold
            ?? ThresholdCalibration.threshold(rule: calibration, inDomain: inDomain, outOfDomain: outOfDomain, keepRate: model.calibrationKeepRate)
        classifier.unknownThreshold = threshold
        var correct = 0
        for example in validation where classifier.predict(example.text, scratch: &scratch).labels == example.labels { correct += 1 }
        let validationAccuracy = validation.isEmpty ? nil : Double(correct) / Double(validation.count)

        // The n-gram model, alone or as the ensemble's member, is refit on all the data; an LSTM keeps the
        // epoch it stopped at. The split keeps every class in the fit part, so the classes do not change.
        var finalTraining = fitPart
        var refit = false
        if refitOnAllData && explicitValidation == nil && !validation.isEmpty {
            switch classifier {
            case .ngram(let model):
                classifier = .ngram(try NGramTrainer(hyperparameters: model.hyperparameters, seed: seed, threads: threads).train(train, progress: progress))
                refit = true
            case .ensemble(let ensemble):
                let ngram = try NGramTrainer(hyperparameters: ensemble.ngram.hyperparameters, seed: seed, threads: 1).train(train)
                classifier = .ensemble(try EnsembleClassifier(ngram: ngram, lstmAttention: ensemble.lstmAttention,
                                                              hyperparameters: ensemble.hyperparameters, unknownThreshold: threshold))
                refit = true
            case .lstmAttention:
                break
            }
            if refit {
                finalTraining = train
                classifier.unknownThreshold = threshold
            }
        }
        return TrainingOutcome(
            classifier: classifier, validationAccuracy: validationAccuracy, validationCount: validation.count,
            trainingCount: finalTraining.count, outOfDomainCount: finalTraining.filter { $0.labels.isUnknown }.count, epochs: epochs,
            validation: validation, refitOnValidation: refit)
    }

    /// Refuses data a classifier cannot be trained on: one intent only (it would answer it to everything,
    /// at confidence 1), or no intent with two examples (nothing can be both learnt and checked, as with a
    /// single row). Returns the intents with a single example, which train but cannot be validated: a
    /// warning for the user (real datasets have some; ATIS's train split has four).
    @discardableResult
    public static func checkClasses(_ train: [LabeledExample]) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for example in train where !example.labels.isUnknown { counts[example.labels.canonical, default: 0] += 1 }
        guard !train.isEmpty else { throw TrainingError.noExamples }
        guard !counts.isEmpty else { throw TrainingError.noInDomainClasses }
        if counts.count == 1, let only = counts.keys.first, !train.contains(where: { $0.labels.isUnknown }) {
            throw TrainingError.oneClass(only)
        }
        let rare = counts.filter { $0.value < 2 }
        guard rare.count < counts.count else { throw TrainingError.tooFewExamples(rare) }
        return rare
    }

    /// Label sets of `validation` that `train` never has: the model cannot answer them, so they are always
    /// counted wrong (a warning for the user, not an error).
    public static func unseenValidationLabels(train: [LabeledExample], validation: [LabeledExample]) -> [String: Int] {
        let known = Set(train.map(\.labels.canonical))
        var unseen: [String: Int] = [:]
        for example in validation where !known.contains(example.labels.canonical) { unseen[example.labels.canonical, default: 0] += 1 }
        return unseen
    }
}
