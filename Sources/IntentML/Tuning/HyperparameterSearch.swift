import Foundation

/// Seeded random search with successive halving, over the hyperparameters of any model kind
/// (an ensemble's member settings by dotted name: `ngram.dimension`).
///
/// Trial 0 is the kind's defaults (the baseline every study reports against); trials 1... are drawn from
/// the space, each from its own generator seeded by (study seed, trial number), so a trial's values do not
/// depend on how many trials run or in what order. Every trial trains on the fit part and is scored by
/// its accuracy on the validation part (label-set match, no `<unknown>` threshold). Rung r trains the survivors with `1 / eta^(rungs - 1 - r)` of
/// their epochs and keeps the best third (ties to the lower trial number); the last rung uses the full
/// budget; trial 0 runs every rung, so the study always reports the defaults at the full budget beside
/// the winner. Each trial trains with one thread, so it is deterministic, and `parallel` only decides how
/// many run at once: the same seed gives the same trials in the same order with the same results.
public struct HyperparameterSearch: Sendable {
    public var base: ModelHyperparameters
    public var space: SearchSpace
    public var trials: Int
    public var seed: UInt64
    public var parallel: Int
    /// Survivors per rung: one in `eta`.
    public var eta = 3
    /// Rungs of successive halving; the first trains with `1 / eta^(rungs - 1)` of the epochs.
    public var rungs = 3

    public init(base: ModelHyperparameters, space: SearchSpace, trials: Int, seed: UInt64, parallel: Int) {
        self.base = base
        self.space = space
        self.trials = trials
        self.seed = seed
        self.parallel = max(1, parallel)
    }

    /// One trial's values and how it did at each rung it reached.
    public struct Trial: Sendable, Equatable {
        public var number: Int
        /// The drawn values as JSON fragments (empty for trial 0, the defaults).
        public var values: [String: String]
        /// Validation accuracy and epochs per rung reached, in rung order.
        public var rungs: [RungResult] = []
        /// Why the trial could not run (invalid drawn values), if so.
        public var failure: String?
    }

    public struct RungResult: Sendable, Equatable {
        public var epochs: Int
        public var validationAccuracy: Double
        public var seconds: Double
    }

    /// Progress: (rung, trials done in the rung, trials in the rung).
    public typealias Progress = @Sendable (Int, Int, Int) -> Void

    /// Runs the study on `fit`, scoring on `validation`; returns every trial, in trial order.
    public func run(fit: [LabeledExample], validation: [LabeledExample], progress: Progress? = nil) throws -> [Trial] {
        guard !validation.isEmpty else { throw TuningError.noValidationData }
        var all: [Trial] = (0..<max(1, trials)).map { number in
            guard number > 0 else { return Trial(number: 0, values: [:]) }
            var generator = SplitMix64(seed: seed &+ UInt64(number) &* 0x9E37_79B9_7F4A_7C15)
            return Trial(number: number, values: space.draw(using: &generator))
        }
        var settings: [Int: ModelHyperparameters] = [:]
        for index in all.indices {
            do { settings[index] = try base.overriding(all[index].values) } catch { all[index].failure = "\(error)" }
        }
        var alive = all.indices.filter { all[$0].failure == nil }
        for rung in 0..<rungs {
            let divisor = Int(pow(Double(eta), Double(rungs - 1 - rung)))
            let results = ResultSlots(count: alive.count)
            var done = 0
            for chunkStart in stride(from: 0, to: alive.count, by: parallel) {
                let chunk = Array(alive[chunkStart..<min(alive.count, chunkStart + parallel)])
                let work: @Sendable (Int) -> Void = { [base = settings, seed] offset in
                    let index = chunk[offset]
                    guard var trialSettings = base[index] else { return }
                    trialSettings.epochs = max(1, (trialSettings.epochs + divisor - 1) / divisor)
                    let started = Date()
                    let pipeline = TrainingPipeline(model: trialSettings, seed: seed, threads: 1, refitOnAllData: false)
                    let accuracy = (try? pipeline.run(train: fit, validation: validation)).map { Self.accuracy($0.classifier, on: validation) }
                    results.set(chunkStart + offset, RungResult(
                        epochs: trialSettings.epochs, validationAccuracy: accuracy ?? 0, seconds: Date().timeIntervalSince(started)))
                }
                if chunk.count > 1 { DispatchQueue.concurrentPerform(iterations: chunk.count, execute: work) } else { work(0) }
                done += chunk.count
                progress?(rung, done, alive.count)
            }
            for (position, index) in alive.enumerated() {
                if let result = results.value(position) { all[index].rungs.append(result) }
            }
            guard rung < rungs - 1 else { break }
            let keep = max(1, (alive.count + eta - 1) / eta)
            alive = alive.sorted { lhs, rhs in
                let (a, b) = (all[lhs].rungs.last?.validationAccuracy ?? 0, all[rhs].rungs.last?.validationAccuracy ?? 0)
                return a != b ? a > b : lhs < rhs
            }.prefix(keep) + (alive.contains(0) ? [0] : [])
            // Trial 0, the defaults, runs every rung as the baseline the study is judged against.
            alive = Array(Set(alive)).sorted()
        }
        return all
    }

    /// Label-set accuracy with no `<unknown>` threshold: short budgets give low confidences, and a
    /// threshold calibrated on them would judge the calibration rather than the model.
    static func accuracy(_ classifier: IntentClassifier, on examples: [LabeledExample]) -> Double {
        var model = classifier
        model.unknownThreshold = 0
        var scratch = IntentClassifier.Scratch()
        let correct = examples.filter { model.predict($0.text, scratch: &scratch).labels == $0.labels }.count
        return Double(correct) / Double(max(1, examples.count))
    }

    /// The trial that reached the last rung with the best validation accuracy (ties: lower number).
    public static func best(of trials: [Trial]) -> Trial? {
        let finalists = trials.filter { $0.rungs.count == (trials.map(\.rungs.count).max() ?? 0) && $0.failure == nil }
        return finalists.min { lhs, rhs in
            let (a, b) = (lhs.rungs.last?.validationAccuracy ?? 0, rhs.rungs.last?.validationAccuracy ?? 0)
            return a != b ? a > b : lhs.number < rhs.number
        }
    }
}

extension HyperparameterSearch {
    /// Rung results written by concurrent trials, each to its own slot.
    final class ResultSlots: @unchecked Sendable {
        private var values: [RungResult?]
        private let lock = NSLock()
        init(count: Int) { values = [RungResult?](repeating: nil, count: count) }
        func set(_ index: Int, _ value: RungResult) { lock.lock(); values[index] = value; lock.unlock() }
        func value(_ index: Int) -> RungResult? { lock.lock(); defer { lock.unlock() }; return values[index] }
    }
}
