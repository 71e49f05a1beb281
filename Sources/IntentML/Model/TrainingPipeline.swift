/// What a training run produced: the model, how it did on validation, and what it was trained on.
public struct TrainingOutcome: Sendable {
    public var classifier: NGramClassifier
    /// Accuracy (label-set match) on the validation part, before any refit; nil without validation data.
    public var validationAccuracy: Double?
    /// Validation examples used for calibration.
    public var validationCount: Int
    /// Examples the final model was trained on.
    public var trainingCount: Int
    /// Of those, out-of-domain (`<unknown>`) examples.
    public var outOfDomainCount: Int
}

/// The whole training procedure shared by `intent train` and tuning: hold out validation data, train,
/// calibrate the `<unknown>` threshold on validation, then (by default) refit on all the data.
public struct TrainingPipeline: Sendable {
    public var hyperparameters: Hyperparameters
    public var seed: UInt64
    public var threads: Int
    /// Retrain on training + validation data once the threshold is calibrated: 10% more data for the
    /// final model, at the cost of a second (sub-second) training.
    public var refitOnAllData: Bool

    public init(hyperparameters: Hyperparameters, seed: UInt64 = 42, threads: Int = 1, refitOnAllData: Bool = true) {
        self.hyperparameters = hyperparameters
        self.seed = seed
        self.threads = threads
        self.refitOnAllData = refitOnAllData
    }

    /// Runs the pipeline. `validation` given explicitly is used as is; otherwise a stratified share of
    /// `train` (`validationFraction`) is held out.
    public func run(
        train: [LabeledExample], validation explicitValidation: [LabeledExample]? = nil,
        progress: (@Sendable (TrainingProgress) -> Void)? = nil
    ) throws -> TrainingOutcome {
        let fitPart: [LabeledExample]
        let validation: [LabeledExample]
        if let explicitValidation {
            (fitPart, validation) = (train, explicitValidation)
        } else if hyperparameters.validationFraction > 0 {
            (fitPart, validation) = DatasetSplit.stratified(train, validationFraction: hyperparameters.validationFraction, seed: seed)
        } else {
            (fitPart, validation) = (train, [])
        }
        let trainer = NGramTrainer(hyperparameters: hyperparameters, seed: seed, threads: threads)
        var model = try trainer.train(fitPart, progress: progress)

        // The trainer leaves the threshold at 0, so these answers are judged before any threshold.
        var inDomain: [ThresholdCalibration.Observation] = []
        var outOfDomain: [Float] = []
        var scratch = NGramClassifier.Scratch()
        for example in validation {
            let prediction = model.predict(example.text, scratch: &scratch)
            if example.labels.isUnknown {
                outOfDomain.append(prediction.confidence)
            } else {
                inDomain.append(.init(confidence: prediction.confidence, correct: prediction.labels == example.labels))
            }
        }
        let threshold = hyperparameters.unknownThreshold
            ?? ThresholdCalibration.threshold(inDomain: inDomain, outOfDomain: outOfDomain, keepRate: hyperparameters.calibrationKeepRate)
        model.unknownThreshold = threshold
        var correct = 0
        for example in validation where model.predict(example.text, scratch: &scratch).labels == example.labels { correct += 1 }
        let validationAccuracy = validation.isEmpty ? nil : Double(correct) / Double(validation.count)

        var finalTraining = fitPart
        if refitOnAllData && explicitValidation == nil && !validation.isEmpty {
            finalTraining = train
            model = try trainer.train(train, progress: progress)
            model.unknownThreshold = threshold
        }
        return TrainingOutcome(
            classifier: model, validationAccuracy: validationAccuracy, validationCount: validation.count,
            trainingCount: finalTraining.count, outOfDomainCount: finalTraining.filter { $0.labels.isUnknown }.count)
    }
}
