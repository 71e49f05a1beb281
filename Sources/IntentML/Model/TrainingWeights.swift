/// The weights of an `NGramClassifier` during training, in raw buffers that worker threads share.
///
/// Hogwild training updates these buffers from several threads without locks; races only lose an
/// occasional small update, which SGD tolerates. Hence `@unchecked Sendable`: the type is safe to share for
/// that use and for single-threaded training, and nothing else.
final class TrainingWeights: @unchecked Sendable {
    /// E: [rows x D].
    let embeddings: UnsafeMutableBufferPointer<Float>
    /// W: [C x D].
    let output: UnsafeMutableBufferPointer<Float>
    /// b: [C].
    let bias: UnsafeMutableBufferPointer<Float>

    init(embeddings: [Float], output: [Float], bias: [Float]) {
        self.embeddings = .allocate(capacity: embeddings.count)
        _ = self.embeddings.initialize(from: embeddings)
        self.output = .allocate(capacity: output.count)
        _ = self.output.initialize(from: output)
        self.bias = .allocate(capacity: bias.count)
        _ = self.bias.initialize(from: bias)
    }

    func embeddingsArray() -> [Float] { Array(embeddings) }
    func outputArray() -> [Float] { Array(output) }
    func biasArray() -> [Float] { Array(bias) }

    func deallocate() {
        embeddings.deallocate()
        output.deallocate()
        bias.deallocate()
    }
}
