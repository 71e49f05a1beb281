import Foundation

/// The per-shard plumbing of a training step: each shard's worker owns a gradient buffer and a loss slot.
extension LSTMTrainer {
    /// Per-shard losses written from worker threads, each to its own slot.
    final class LossSlots: @unchecked Sendable {
        private var values: [Float]
        private let lock = NSLock()
        init(count: Int) { values = [Float](repeating: 0, count: count) }
        func set(_ index: Int, _ value: Float) { lock.lock(); values[index] = value; lock.unlock() }
        var total: Float { lock.lock(); defer { lock.unlock() }; return values.reduce(0, +) }
    }

    /// A read-only parameter pointer handed to the shard workers for the duration of one step.
    struct UnsafePointerBox: @unchecked Sendable {
        let value: UnsafePointer<Float>?
        init(_ value: UnsafePointer<Float>?) { self.value = value }
    }

    /// Each shard's gradient buffer, written by that shard's worker only, then summed in shard order.
    final class ShardGradients: @unchecked Sendable {
        private let buffers: [UnsafeMutablePointer<Float>]
        let count: Int

        init(shards: Int, count: Int) {
            self.count = count
            buffers = (0..<shards).map { _ in
                let buffer = UnsafeMutablePointer<Float>.allocate(capacity: count)
                buffer.initialize(repeating: 0, count: count)
                return buffer
            }
        }

        deinit { for buffer in buffers { buffer.deallocate() } }

        func shard(_ index: Int) -> UnsafeMutablePointer<Float> { buffers[index] }

        /// The first shard's buffer, holding the sum of every shard that ran (in shard order).
        func sum(nonEmpty: [Bool]) -> UnsafeMutablePointer<Float> {
            let total = buffers[0]
            for shard in 1..<buffers.count where nonEmpty[shard] { DenseKernels.axpy(1, buffers[shard], total, count) }
            return total
        }
    }
}
