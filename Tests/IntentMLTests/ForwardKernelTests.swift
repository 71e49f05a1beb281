import Testing
@testable import IntentML

@Suite("N-gram forward kernels")
struct ForwardKernelTests {
    /// The plain loops the kernels replace: one row at a time into h, one class at a time into z.
    static func reference(rows: [Int32], weights: [Float], embeddings: [Float], output: [Float], bias: [Float], dimension: Int) -> (h: [Float], z: [Float], total: Float) {
        var h = [Float](repeating: 0, count: dimension), total: Float = 0
        for row in rows {
            guard row >= 0 else { total += FeatureWeighting.unseenWeight; continue }
            total += weights[Int(row)]
            for d in 0..<dimension { h[d] += weights[Int(row)] * embeddings[Int(row) * dimension + d] }
        }
        if total > 0 { for d in 0..<dimension { h[d] *= 1 / total } }
        var z = [Float](repeating: 0, count: bias.count)
        for c in z.indices {
            var sum: Float = 0
            for d in 0..<dimension { sum += output[c * dimension + d] * h[d] }
            z[c] = sum + bias[c]
        }
        return (h, z, total)
    }

    @Test("the blocked mean and the eight-class logits equal the plain loops bit for bit, at every size around a block")
    func sameBits() {
        var random = SplitMix64(seed: 3)
        func value() -> Float { Float(Int(random.next() % 2001) - 1000) / 997 }
        for dimension in [1, 7, 15, 16, 17, 33, 64] {
            for classCount in [1, 2, 7, 8, 9, 16, 22] {
                let tableRows = 12
                let embeddings = (0..<(tableRows * dimension)).map { _ in value() }
                let weights = (0..<tableRows).map { _ in 0.1 + abs(value()) }
                let output = (0..<(classCount * dimension)).map { _ in value() }
                let bias = (0..<classCount).map { _ in value() }
                for rows: [Int32] in [[3, -1, 0, 11, 3, 7, -1, 5], [], [-1, -1]] {
                    let expected = Self.reference(rows: rows, weights: weights, embeddings: embeddings, output: output, bias: bias, dimension: dimension)
                    var h = [Float](repeating: .nan, count: dimension), z = [Float](repeating: .nan, count: classCount)
                    let total = h.withUnsafeMutableBufferPointer { hp in
                        rows.withUnsafeBufferPointer { r in
                            weights.withUnsafeBufferPointer { a in
                                embeddings.withUnsafeBufferPointer { e in
                                    NGramClassifier.weightedMean(r, weights: a, embeddings: e, dimension: dimension, into: hp)
                                }
                            }
                        }
                    }
                    h.withUnsafeBufferPointer { hp in
                        z.withUnsafeMutableBufferPointer { zp in
                            output.withUnsafeBufferPointer { w in bias.withUnsafeBufferPointer { b in NGramClassifier.logits(hidden: hp, output: w, bias: b, into: zp) } }
                        }
                    }
                    #expect(total == expected.total)
                    #expect(h.map(\.bitPattern) == expected.h.map(\.bitPattern), "h, D=\(dimension) C=\(classCount)")
                    #expect(z.map(\.bitPattern) == expected.z.map(\.bitPattern), "z, D=\(dimension) C=\(classCount)")
                }
            }
        }
    }
}
