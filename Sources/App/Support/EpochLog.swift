import Foundation
import IntentML

/// The last progress report of each epoch of the final training, for `epochs.jsonl`.
final class EpochLog: @unchecked Sendable {
    private let lock = NSLock()
    private var epochs: [Int: (loss: Float, learningRate: Float)] = [:]
    private var lastEpoch = 0

    func record(_ step: TrainingProgress) {
        lock.lock()
        defer { lock.unlock() }
        // A new training (the n-gram refit) starts again at epoch 1: keep only the final training's epochs.
        if step.epoch < lastEpoch { epochs.removeAll() }
        lastEpoch = step.epoch
        epochs[step.epoch] = (step.loss, step.learningRate)
    }

    /// One line per epoch; the LSTM's reports add the epoch's training loss and validation figures.
    func lines(merging reports: [LSTMTrainer.EpochReport]) -> [[String: Any]] {
        lock.lock()
        defer { lock.unlock() }
        let byEpoch = Dictionary(reports.map { ($0.epoch, $0) }, uniquingKeysWith: { $1 })
        return epochs.keys.sorted().map { epoch in
            var line: [String: Any] = ["epoch": epoch, "loss": Double(epochs[epoch]?.loss ?? 0), "learning_rate": Double(epochs[epoch]?.learningRate ?? 0)]
            if let report = byEpoch[epoch] {
                line["loss"] = Double(report.trainingLoss)
                if let loss = report.validationLoss { line["validation_loss"] = Double(loss) }
                if let accuracy = report.validationAccuracy { line["validation_accuracy"] = accuracy }
            }
            return line
        }
    }
}
