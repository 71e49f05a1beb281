/// Scoring labelled data for evaluation.
extension NGramClassifier {
    /// The model's answer and scores for every example, in order, ready for `Evaluator`.
    public func scoredExamples(_ examples: [LabeledExample]) -> [ScoredExample] {
        var scratch = Scratch()
        return examples.map { example in
            let prediction = predict(example.text, topK: 1, scratch: &scratch)
            return ScoredExample(
                gold: example.labels, goldRaw: example.rawLabel.trimmingWhitespace(), predicted: prediction.labels,
                predictedRaw: prediction.intent, confidence: prediction.confidence, scores: scratch.probabilities)
        }
    }

    /// The confidence of each sentence, for out-of-domain metrics.
    public func confidences<S: Sequence>(_ texts: S) -> [Float] where S.Element == String {
        var scratch = Scratch()
        return texts.map { predict($0, topK: 1, scratch: &scratch).confidence }
    }
}
