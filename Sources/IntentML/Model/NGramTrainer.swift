import Foundation

/// Progress of a training run, reported through the trainer's callback (the library never prints).
public struct TrainingProgress: Sendable {
    /// 1-based epoch being run.
    public var epoch: Int
    /// Total epochs.
    public var epochs: Int
    /// Mean training loss over the epoch so far.
    public var loss: Float
    /// Current learning rate.
    public var learningRate: Float
    /// Share of all training work done, 0...1.
    public var fraction: Double
}

/// Trains an `NGramClassifier` with SGD and a linearly decaying learning rate, as fastText does.
///
/// With one thread training is deterministic: the same data, hyperparameters and seed give the same
/// weights bit for bit. With more threads, workers update shared weights without locks (Hogwild), which is
/// faster and as accurate but not bit-reproducible.
public struct NGramTrainer: Sendable {
    public var hyperparameters: Hyperparameters
    public var seed: UInt64
    public var threads: Int

    /// Cap on an example's loss weight: a class seen once would otherwise take steps hundreds of times
    /// larger than the rest and make SGD diverge.
    static let maxExampleWeight: Float = 8

    public init(hyperparameters: Hyperparameters, seed: UInt64 = 42, threads: Int = 1) {
        self.hyperparameters = hyperparameters
        self.seed = seed
        self.threads = max(1, threads)
    }

    /// Trains on `examples`; the unknown threshold is left at 0 (see `ThresholdCalibration`).
    public func train(_ examples: [LabeledExample], progress: (@Sendable (TrainingProgress) -> Void)? = nil) throws -> NGramClassifier {
        let problems = hyperparameters.validationProblems()
        guard problems.isEmpty else { throw TrainingError.invalidHyperparameters(problems) }
        guard !examples.isEmpty else { throw TrainingError.noExamples }
        let labels = LabelSpace(examples: examples, loss: hyperparameters.loss)
        let inDomain = labels.classes.filter { $0 != LabelSet.unknownLabel }
        guard !inDomain.isEmpty else { throw TrainingError.noInDomainClasses }

        let vocabulary = Vocabulary.build(from: examples.map(\.text), minCount: hyperparameters.minCount)
        let extractor = FeatureExtractor(hyperparameters: hyperparameters, vocabulary: vocabulary)
        let encoded = encode(examples, extractor: extractor, labels: labels)
        let dimension = hyperparameters.dimension

        // fastText's initialisation: E uniform in [-1/D, 1/D], W and b zero.
        var random = SplitMix64(seed: seed)
        let scale = 1 / Float(dimension)
        let embeddings = (0..<(encoded.table.count * dimension)).map { _ in (random.nextUnitFloat() * 2 - 1) * scale }
        let weights = TrainingWeights(
            embeddings: embeddings, output: Array(repeating: 0, count: labels.count * dimension),
            bias: Array(repeating: 0, count: labels.count))
        defer { weights.deallocate() }

        let totalSteps = hyperparameters.epochs * encoded.count
        var order = Array(0..<encoded.count)
        for epoch in 0..<hyperparameters.epochs {
            random.shuffle(&order)
            let loss = runEpoch(
                epoch: epoch, order: order, encoded: encoded, weights: weights, totalSteps: totalSteps,
                baseSeed: seed &+ UInt64(epoch))
            let done = Double((epoch + 1) * encoded.count) / Double(max(totalSteps, 1))
            progress?(TrainingProgress(
                epoch: epoch + 1, epochs: hyperparameters.epochs, loss: loss,
                learningRate: hyperparameters.learningRate * Float(1 - done), fraction: done))
        }
        return NGramClassifier(
            hyperparameters: hyperparameters, labels: labels, vocabulary: vocabulary, table: encoded.table,
            featureWeights: encoded.featureWeights, embeddings: weights.embeddingsArray(), output: weights.outputArray(), bias: weights.biasArray(),
            unknownThreshold: 0)
    }

    /// Feature rows and targets of every example, extracted once for all epochs.
    struct EncodedExamples: Sendable {
        var table: FeatureTable
        /// Rows of example i: rows[offsets[i]..<offsets[i+1]].
        var rows: [Int32]
        var offsets: [Int]
        /// Where each example's word n-grams and character n-grams start among its rows.
        var kindStarts: [FeatureKindStarts]
        /// The classes each example is positive for.
        var targets: [[Int32]]
        var classCount: Int
        /// Loss weight of each example (from its class's frequency).
        var weights: [Float]
        /// Supervised weight of each feature row.
        var featureWeights: [Float]
        var count: Int { targets.count }
    }

    func encode(_ examples: [LabeledExample], extractor: FeatureExtractor, labels: LabelSpace) -> EncodedExamples {
        var idToRow: [UInt32: Int32] = [:]
        var ids: [UInt32] = []
        var rows: [Int32] = []
        var offsets: [Int] = [0]
        var targets: [[Int32]] = []
        var kindStarts: [FeatureKindStarts] = []
        var scratch = FeatureScratch()
        var documentCounts: [Int64: Int32] = [:]
        var seenInSentence = Set<Int32>()
        let classIndex = Dictionary(uniqueKeysWithValues: labels.classes.enumerated().map { ($1, Int32($0)) })
        for example in examples {
            extractor.extract(example.text, into: &scratch)
            kindStarts.append(FeatureKindStarts(wordNgrams: scratch.wordNgramStart, charNgrams: scratch.charNgramStart))
            for id in scratch.features {
                if let row = idToRow[id] {
                    rows.append(row)
                } else {
                    // Rows are numbered in order of first appearance: deterministic for a given data order.
                    let row = Int32(ids.count)
                    idToRow[id] = row
                    ids.append(id)
                    rows.append(row)
                }
            }
            switch hyperparameters.loss {
            case .softmax: targets.append([classIndex[example.labels.canonical] ?? 0])
            case .oneVsAll: targets.append(example.labels.labels.compactMap { classIndex[$0] })
            }
            seenInSentence.removeAll(keepingCapacity: true)
            for row in rows[offsets[offsets.count - 1]...] where seenInSentence.insert(row).inserted {
                for target in targets[targets.count - 1] {
                    documentCounts[Int64(row) * Int64(labels.count) + Int64(target), default: 0] += 1
                }
            }
            offsets.append(rows.count)
        }
        // Weight (N / (C * n_c))^a by the rarest class of the example, so rare intents are not drowned out.
        let exponent = hyperparameters.classWeightExponent
        let total = Float(examples.count), classes = Float(max(labels.count, 1))
        let classWeights = labels.counts.map { count in powf(total / (classes * Float(max(count, 1))), exponent) }
        var weights = targets.map { target in target.map { classWeights[Int($0)] }.max() ?? 1 }
        // Normalise to a mean of 1 so the learning rate keeps its meaning whatever the exponent.
        let mean = weights.reduce(0, +) / Float(max(weights.count, 1))
        if mean > 0 { weights = weights.map { min($0 / mean, NGramTrainer.maxExampleWeight) } }
        let featureWeights = FeatureWeighting.weights(
            rowCount: ids.count, counts: documentCounts, classTotals: labels.counts,
            strength: hyperparameters.featureWeighting, smoothing: hyperparameters.featureWeightSmoothing)
        return EncodedExamples(table: FeatureTable(ids: ids), rows: rows, offsets: offsets, kindStarts: kindStarts, targets: targets,
                               classCount: labels.count, weights: weights, featureWeights: featureWeights)
    }
}

/// Why training could not start.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    case noExamples
    case noInDomainClasses
    case invalidHyperparameters([String])
    /// One intent only: a classifier would answer it to everything, at confidence 1.
    case oneClass(String)
    /// No intent has two examples (each listed with its count): nothing can be both learnt and checked.
    case tooFewExamples([String: Int])

    public var description: String {
        switch self {
        case .noExamples: return "no training examples: the data file has no labelled rows. Check --data."
        case .noInDomainClasses:
            return "every training example is labelled <unknown>: at least one real intent is needed."
        case .invalidHyperparameters(let problems):
            return "invalid hyperparameters: \(problems.joined(separator: "; "))"
        case .oneClass(let intent):
            return "every in-domain example is '\(intent)': a classifier needs at least two intents (add examples of another, or out-of-domain ones with --ood)."
        case .tooFewExamples(let counts):
            let listed = counts.sorted { $0.key < $1.key }.prefix(10).map { "\($0.key) (\($0.value))" }.joined(separator: ", ")
            return "no intent has 2 examples (\(listed)\(counts.count > 10 ? ", ..." : "")): a model needs examples to learn from and to check on. "
                + "Add examples of each intent."
        }
    }
}
