import Foundation
import IntentML

/// Predicts a stream of sentences in fixed-size chunks on several threads, keeping input order.
///
/// Memory stays constant whatever the input size: one chunk of sentences and one chunk of output bytes
/// per thread are alive at a time.
struct BatchPredictor: Sendable {
    /// Sentences per chunk: large enough to amortise thread hand-off, small enough to keep memory flat.
    static let chunkSize = 16_384

    let classifier: IntentClassifier
    let formatter: PredictionFormatter
    let topK: Int
    let threads: Int

    /// Formats the predictions of `texts`, in order, as one byte buffer.
    func process(_ texts: [String]) -> [UInt8] {
        let workers = max(1, min(threads, texts.count / 256 + 1))
        let slices = OutputSlices(count: workers)
        let perWorker = (texts.count + workers - 1) / workers
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let start = worker * perWorker, end = min(texts.count, start + perWorker)
            guard start < end else { return }
            var scratch = IntentClassifier.Scratch()
            var out: [UInt8] = []
            out.reserveCapacity((end - start) * 160)
            for index in start..<end {
                let prediction = classifier.predict(texts[index], topK: topK, scratch: &scratch)
                formatter.append(text: texts[index], prediction: prediction, to: &out)
            }
            slices.set(worker, out)
        }
        return slices.joined()
    }
}

/// One output buffer per worker; each worker writes only its own slot.
final class OutputSlices: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<[UInt8]>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: [])
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    func set(_ index: Int, _ value: [UInt8]) { slots[index] = value }

    func joined() -> [UInt8] {
        var all: [UInt8] = []
        all.reserveCapacity(slots.reduce(0) { $0 + $1.count })
        for slot in slots { all.append(contentsOf: slot) }
        return all
    }
}
