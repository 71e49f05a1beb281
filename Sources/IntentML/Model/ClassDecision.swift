/// Turning class probabilities into an answer: the chosen intent, its confidence, top-k and `<unknown>`.
///
/// Shared by every model kind, so an n-gram model, an LSTM and an ensemble with the same probabilities answer alike.
struct ClassDecision: Sendable {
    let labels: LabelSpace
    /// The label set of each class, precomputed so deciding allocates no sets.
    let classLabelSets: [LabelSet]
    let loss: Hyperparameters.Loss
    let labelSeparator: String

    init(labels: LabelSpace, loss: Hyperparameters.Loss, labelSeparator: String) {
        self.labels = labels
        self.loss = loss
        self.labelSeparator = labelSeparator
        let separator = labelSeparator.first ?? "+"
        classLabelSets = labels.classes.map { LabelSet(parsing: $0, separator: separator) }
    }

    /// Decides the answer from `probabilities` (one per class), `<unknown>` below `unknownThreshold`.
    func decide(probabilities: [Float], topK: Int, unknownThreshold: Float) -> Prediction {
        let unknownIndex = labels.unknownIndex
        var best = -1
        var confidence: Float = -1
        for (index, probability) in probabilities.enumerated() where index != unknownIndex && probability > confidence {
            best = index
            confidence = probability
        }
        guard best >= 0 else {
            return Prediction(intent: LabelSet.unknownLabel, labels: LabelSet([LabelSet.unknownLabel]), confidence: 0, isUnknown: true, topK: [])
        }
        let unknownWins = unknownIndex.map { probabilities[$0] > confidence } ?? false
        let isUnknown = unknownWins || confidence < unknownThreshold
        let top = topClasses(probabilities, count: topK, excluding: unknownIndex)
        if isUnknown {
            return Prediction(intent: LabelSet.unknownLabel, labels: LabelSet([LabelSet.unknownLabel]),
                              confidence: confidence, isUnknown: true, topK: top)
        }
        switch loss {
        case .softmax:
            return Prediction(intent: labels.displayNames[best], labels: classLabelSets[best],
                              confidence: confidence, isUnknown: false, topK: top)
        case .oneVsAll:
            // Every label over one half is part of the answer; at least the best one.
            var chosen: [String] = []
            for (index, probability) in probabilities.enumerated() where index != unknownIndex && probability >= 0.5 {
                chosen.append(labels.classes[index])
            }
            if chosen.isEmpty { chosen = [labels.classes[best]] }
            let set = LabelSet(chosen)
            return Prediction(intent: set.labels.joined(separator: labelSeparator), labels: set,
                              confidence: confidence, isUnknown: false, topK: top)
        }
    }

    /// The `count` most probable classes other than `excluding`, best first (ties: lower index first).
    func topClasses(_ probabilities: [Float], count: Int, excluding: Int?) -> [ScoredLabel] {
        let wanted = min(max(count, 0), probabilities.count - (excluding == nil ? 0 : 1))
        guard wanted > 0 else { return [] }
        var chosen: [Int] = []
        chosen.reserveCapacity(wanted)
        // Partial selection: k is small (usually 1-5), so k passes beat a full sort.
        for _ in 0..<wanted {
            var best = -1
            for index in probabilities.indices where index != excluding && !chosen.contains(index) {
                if best < 0 || probabilities[index] > probabilities[best] { best = index }
            }
            if best < 0 { break }
            chosen.append(best)
        }
        return chosen.map { ScoredLabel(label: labels.displayNames[$0], score: probabilities[$0]) }
    }
}

extension NGramClassifier {
    /// Decides the answer from `probabilities` (one per class, as `score` computes them).
    public func decide(probabilities: [Float], topK: Int) -> Prediction {
        decision.decide(probabilities: probabilities, topK: topK, unknownThreshold: unknownThreshold)
    }
}
