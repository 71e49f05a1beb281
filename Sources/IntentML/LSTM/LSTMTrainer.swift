import Foundation

/// Trains an `LSTMAttentionClassifier`: mini-batches bucketed by length, word dropout and dropout, AdamW
/// with a warm-up and a linear decay, gradient clipping by global norm, and early stopping on the
/// validation loss (the best epoch's weights are kept).
///
/// Every mini-batch is cut into `shardsPerBatch` fixed shards whose gradients are summed in shard order,
/// each with its own random stream; threads only decide which shards run at once. So the same seed gives
/// the same weights bit for bit with any number of threads, one included.
public struct LSTMTrainer: Sendable {
    public var hyperparameters: LSTMHyperparameters
    public var seed: UInt64
    public var threads: Int

    /// Shards per mini-batch: the most threads a batch is split over. Fixed so results do not depend on
    /// the thread count; 2 matches the machines this ships for, more would cut batches too small.
    static let shardsPerBatch = 2
    /// Sentences sorted by length within windows of this many batches, so a batch pads little while the
    /// order stays random.
    static let bucketWindow = 20

    public init(hyperparameters: LSTMHyperparameters, seed: UInt64 = 42, threads: Int = 1) {
        self.hyperparameters = hyperparameters
        self.seed = seed
        self.threads = max(1, threads)
    }

    /// Figures of one epoch, reported to the progress callback and kept in the outcome.
    public struct EpochReport: Sendable, Equatable {
        public var epoch: Int
        public var trainingLoss: Float
        public var validationLoss: Float?
        public var validationAccuracy: Double?
    }

    /// Trains on `examples`, stopping early on `validation` (never trained on) when it is not empty.
    public func train(
        _ examples: [LabeledExample], validation: [LabeledExample] = [], progress: (@Sendable (TrainingProgress) -> Void)? = nil
    ) throws -> (classifier: LSTMAttentionClassifier, epochs: [EpochReport]) {
        let settings = hyperparameters
        guard !examples.isEmpty else { throw TrainingError.noExamples }
        let problems = settings.validationProblems()
        guard problems.isEmpty else { throw TrainingError.invalidHyperparameters(problems) }
        let labels = LabelSpace(examples: examples, loss: .softmax)
        guard labels.classes.contains(where: { $0 != LabelSet.unknownLabel }) else { throw TrainingError.noInDomainClasses }
        let vocabulary = Vocabulary.build(from: examples.map(\.text), minCount: settings.minCount)
        let network = LSTMAttentionNetwork(
            vocabularySize: vocabulary.count + 1, embeddingDimension: settings.embeddingDimension, hiddenSize: settings.hiddenSize,
            attentionSize: settings.attentionSize, classCount: labels.count)
        var parameters = network.initialParameters(seed: seed)
        let ids = LSTMAttentionClassifier.wordIDs(of: vocabulary)
        func encode(_ set: [LabeledExample]) -> [(ids: [Int32], target: Int)] {
            set.compactMap { example in labels.index(of: example.labels.canonical).map { (LSTMAttentionClassifier.wordIDs(of: example.text, in: ids), $0) } }
        }
        let training = encode(examples)
        // Weight (N / (C * n_c))^a, normalised to a mean of 1 over the training sentences.
        let classCount = Float(labels.count), total = Float(training.count)
        let rawWeights = labels.counts.map { powf(total / (classCount * Float(max($0, 1))), settings.classWeightExponent) }
        let meanWeight = training.reduce(Float(0)) { $0 + rawWeights[$1.target] } / max(1, total)
        let classWeights = meanWeight > 0 ? rawWeights.map { $0 / meanWeight } : rawWeights
        let held = encode(validation)

        var optimizer = AdamW(count: network.parameterCount, decayMask: Self.decayMask(network))
        let batchesPerEpoch = (training.count + settings.batchSize - 1) / settings.batchSize
        let totalSteps = max(1, batchesPerEpoch * settings.epochs)
        let warmupSteps = Int(Float(totalSteps) * settings.warmupFraction)
        let shards = (0..<Self.shardsPerBatch).map { _ in LSTMWorkspace() }
        let gradients = ShardGradients(shards: Self.shardsPerBatch, count: network.parameterCount)
        var generator = SplitMix64(seed: seed)
        var order = Array(training.indices)
        var reports: [EpochReport] = []
        var best: (loss: Float, parameters: [Float])?
        var epochsWithoutGain = 0
        var step = 0

        for epoch in 1...settings.epochs {
            let batches = Self.batches(order: &order, lengths: training.map(\.ids.count), batchSize: settings.batchSize, generator: &generator)
            var lossTotal: Float = 0
            for (batchIndex, members) in batches.enumerated() {
                let learningRate = Self.learningRate(step: step, total: totalSteps, warmup: warmupSteps, peak: settings.learningRate)
                let parts = Self.split(members, into: Self.shardsPerBatch)
                let streamSeed = seed &+ UInt64(epoch) &* 0x1_0000_0000 &+ UInt64(batchIndex) &* 0x100
                let losses = LossSlots(count: parts.count)
                let scale = 1 / Float(members.count)
                parameters.withUnsafeBufferPointer { p in
                    let pointer = UnsafePointerBox(p.baseAddress)
                    let run: @Sendable (Int) -> Void = { shard in
                        guard let p = pointer.value else { return }
                        var random = SplitMix64(seed: streamSeed &+ UInt64(shard))
                        let sentences = parts[shard].map { index in
                            training[index].ids.map { id in random.nextUnitFloat() < settings.wordDropout ? LSTMAttentionClassifier.unknownWordID : id }
                        }
                        guard !sentences.isEmpty else { return }
                        let batch = LSTMBatch(sentences)
                        let work = shards[shard]
                        work.prepare(network: network, steps: batch.steps, count: batch.count)
                        work.drawDropoutMasks(network: network, steps: batch.steps, count: batch.count, rate: settings.dropout, generator: &random)
                        network.forward(batch, parameters: p, work: work, input: .computed, dropout: true)
                        let targets = parts[shard].map { training[$0].target }
                        let g = gradients.shard(shard)
                        g.update(repeating: 0, count: network.parameterCount)
                        losses.set(shard, network.backward(batch, targets: targets, weights: targets.map { classWeights[$0] }, scale: scale,
                                                           parameters: p, work: work, dropout: true, into: g))
                    }
                    if threads > 1 {
                        DispatchQueue.concurrentPerform(iterations: parts.count, execute: run)
                    } else {
                        for shard in 0..<parts.count { run(shard) }
                    }
                }
                let gradient = gradients.sum(nonEmpty: parts.map { !$0.isEmpty })
                lossTotal += losses.total * Float(members.count)
                Self.clip(gradient, count: network.parameterCount, maxNorm: settings.gradientClip)
                optimizer.step(parameters: &parameters, gradient: gradient, learningRate: learningRate, weightDecay: settings.weightDecay)
                step += 1
                progress?(TrainingProgress(epoch: epoch, epochs: settings.epochs, loss: lossTotal / Float(max(1, (batchIndex + 1) * settings.batchSize)),
                                           learningRate: learningRate, fraction: Double(step) / Double(totalSteps)))
            }
            var report = EpochReport(epoch: epoch, trainingLoss: lossTotal / Float(max(1, training.count)))
            if !held.isEmpty {
                let model = LSTMAttentionClassifier(hyperparameters: settings, labels: labels, vocabulary: vocabulary, parameters: parameters, unknownThreshold: 0)
                let (loss, accuracy) = Self.evaluate(model, held)
                report.validationLoss = loss
                report.validationAccuracy = accuracy
                if loss < (best?.loss ?? .infinity) {
                    best = (loss, parameters)
                    epochsWithoutGain = 0
                } else {
                    epochsWithoutGain += 1
                }
            }
            reports.append(report)
            if epochsWithoutGain >= settings.patience { break }
        }
        let chosen = best?.parameters ?? parameters
        let classifier = LSTMAttentionClassifier(hyperparameters: settings, labels: labels, vocabulary: vocabulary, parameters: chosen, unknownThreshold: 0)
        return (classifier, reports)
    }

    /// Mean cross-entropy and accuracy on encoded examples, scored as serving scores them.
    static func evaluate(_ model: LSTMAttentionClassifier, _ examples: [(ids: [Int32], target: Int)]) -> (loss: Float, accuracy: Double) {
        let work = LSTMWorkspace()
        var loss: Float = 0, correct = 0
        var start = 0
        while start < examples.count {
            let end = min(examples.count, start + LSTMAttentionClassifier.inferenceBatchSize)
            let part = examples[start..<end]
            for (probabilities, example) in zip(model.probabilities(ofIDs: part.map(\.ids), work: work), part) {
                loss -= logf(max(probabilities[example.target], Float.leastNormalMagnitude))
                if probabilities.indices.max(by: { probabilities[$0] < probabilities[$1] }) == example.target { correct += 1 }
            }
            start = end
        }
        return (loss / Float(max(1, examples.count)), Double(correct) / Double(max(1, examples.count)))
    }

    /// A shuffled epoch in batches of similar lengths: shuffle, sort windows of `bucketWindow` batches by
    /// length, cut into batches, shuffle the batches.
    static func batches(order: inout [Int], lengths: [Int], batchSize: Int, generator: inout SplitMix64) -> [[Int]] {
        generator.shuffle(&order)
        let window = batchSize * bucketWindow
        var batches: [[Int]] = []
        var start = 0
        while start < order.count {
            let end = min(order.count, start + window)
            // Stable by length, ties by position in the shuffled order: deterministic.
            let sorted = order[start..<end].enumerated().sorted { lengths[$0.element] != lengths[$1.element] ? lengths[$0.element] < lengths[$1.element] : $0.offset < $1.offset }.map(\.element)
            var cut = 0
            while cut < sorted.count {
                batches.append(Array(sorted[cut..<min(sorted.count, cut + batchSize)]))
                cut += batchSize
            }
            start = end
        }
        generator.shuffle(&batches)
        return batches
    }

    /// `members` cut into `parts` contiguous shards (some may be empty for tiny batches).
    static func split(_ members: [Int], into parts: Int) -> [[Int]] {
        let size = (members.count + parts - 1) / parts
        return (0..<parts).map { part in Array(members[min(members.count, part * size)..<min(members.count, (part + 1) * size)]) }
    }

    /// Linear warm-up to `peak`, then linear decay to a tenth of it.
    static func learningRate(step: Int, total: Int, warmup: Int, peak: Float) -> Float {
        if step < warmup { return peak * Float(step + 1) / Float(warmup + 1) }
        let progress = Float(step - warmup) / Float(max(1, total - warmup))
        return peak * (1 - 0.9 * min(1, progress))
    }

    /// Rescales `gradient` to L2 norm `maxNorm` when it is longer.
    static func clip(_ gradient: UnsafeMutablePointer<Float>, count: Int, maxNorm: Float) {
        var squares: Double = 0
        for index in 0..<count { squares += Double(gradient[index] * gradient[index]) }
        let norm = Float(squares.squareRoot())
        guard norm > maxNorm, norm.isFinite else { return }
        let scale = maxNorm / norm
        for index in 0..<count { gradient[index] *= scale }
    }

    /// 1 where weight decay applies (weights), 0 on biases.
    static func decayMask(_ network: LSTMAttentionNetwork) -> [Float] {
        var mask = [Float](repeating: 1, count: network.parameterCount)
        for range in network.biasRanges { for index in range { mask[index] = 0 } }
        return mask
    }
}
