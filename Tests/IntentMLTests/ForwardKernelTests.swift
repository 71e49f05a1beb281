import Testing
@testable import IntentML

@Suite("N-gram forward kernels")
struct ForwardKernelTests {
    /// The plain loops the kernels replace: one row at a time into h, one class at a time into z.
    static func reference(rows: [Int32], coefficients: [Float], embeddings: [Float], output: [Float], bias: [Float], dimension: Int) -> (h: [Float], z: [Float]) {
        var h = [Float](repeating: 0, count: dimension)
        for (i, row) in rows.enumerated() where row >= 0 {
            for d in 0..<dimension { h[d] += coefficients[i] * embeddings[Int(row) * dimension + d] }
        }
        var z = [Float](repeating: 0, count: bias.count)
        for c in z.indices {
            var sum: Float = 0
            for d in 0..<dimension { sum += output[c * dimension + d] * h[d] }
            z[c] = sum + bias[c]
        }
        return (h, z)
    }

    @Test("the blocked weighted sum and the eight-class logits equal the plain loops bit for bit, at every size around a block")
    func sameBits() {
        var random = SplitMix64(seed: 3)
        func value() -> Float { Float(Int(random.next() % 2001) - 1000) / 997 }
        for dimension in [1, 7, 15, 16, 17, 33, 64] {
            for classCount in [1, 2, 7, 8, 9, 16, 22] {
                let tableRows = 12
                let embeddings = (0..<(tableRows * dimension)).map { _ in value() }
                let coefficients = (0..<8).map { _ in 0.1 + abs(value()) }
                let output = (0..<(classCount * dimension)).map { _ in value() }
                let bias = (0..<classCount).map { _ in value() }
                for rows: [Int32] in [[3, -1, 0, 11, 3, 7, -1, 5], [], [-1, -1]] {
                    let expected = Self.reference(rows: rows, coefficients: coefficients, embeddings: embeddings, output: output, bias: bias, dimension: dimension)
                    var h = [Float](repeating: .nan, count: dimension), z = [Float](repeating: .nan, count: classCount)
                    h.withUnsafeMutableBufferPointer { hp in
                        rows.withUnsafeBufferPointer { r in
                            coefficients.withUnsafeBufferPointer { c in
                                embeddings.withUnsafeBufferPointer { e in
                                    NGramClassifier.weightedSum(r, coefficients: c, embeddings: e, dimension: dimension, into: hp)
                                }
                            }
                        }
                    }
                    h.withUnsafeBufferPointer { hp in
                        z.withUnsafeMutableBufferPointer { zp in
                            output.withUnsafeBufferPointer { w in bias.withUnsafeBufferPointer { b in NGramClassifier.logits(hidden: hp, output: w, bias: b, into: zp) } }
                        }
                    }
                    #expect(h.map(\.bitPattern) == expected.h.map(\.bitPattern), "h, D=\(dimension) C=\(classCount)")
                    #expect(z.map(\.bitPattern) == expected.z.map(\.bitPattern), "z, D=\(dimension) C=\(classCount)")
                }
            }
        }
    }
}
