import Testing
@testable import IntentML

@Suite("LSTM dense kernels")
struct DenseKernelTests {
    /// Values with exact zeros among them (the kernels skip a zero scale, as the plain loops do).
    static func values(_ count: Int, _ random: inout SplitMix64) -> [Float] {
        (0..<count).map { _ in
            let draw = random.next() % 2001
            return draw % 5 == 0 ? 0 : Float(Int(draw) - 1000) / 997
        }
    }

    /// The first index whose bits differ, with both values (a short failure message, not two whole matrices).
    static func firstDifference(_ actual: [Float], _ expected: [Float]) -> String? {
        guard let index = actual.indices.first(where: { $0 < expected.count && actual[$0].bitPattern != expected[$0].bitPattern }) else {
            return actual.count == expected.count ? nil : "\(actual.count) values, expected \(expected.count)"
        }
        return "[\(index)]: \(actual[index]) (bits \(actual[index].bitPattern)), expected \(expected[index]) (bits \(expected[index].bitPattern))"
    }

    @Test("the register-blocked products equal one axpy per row, bit for bit, at every size around a block")
    func sameBits() {
        var random = SplitMix64(seed: 11)
        for n in [1, 7, 8, 9, 16, 31, 32, 33, 40, 64, 70, 256] {
            for k in [0, 1, 3, 64] {
                for m in [1, 3] {
                    // A B + C: A [m x k], B [k x n], C [m x n]
                    // At least one element each, so that k = 0 still has base addresses.
                    let a = Self.values(max(1, m * k), &random), b = Self.values(max(1, k * n), &random), start = Self.values(m * n, &random)
                    var expected = start
                    for i in 0..<m {
                        for p in 0..<k where a[i * k + p] != 0 {
                            for j in 0..<n { expected[i * n + j] += a[i * k + p] * b[p * n + j] }
                        }
                    }
                    var product = start
                    a.withUnsafeBufferPointer { ap in
                        b.withUnsafeBufferPointer { bp in
                            product.withUnsafeMutableBufferPointer { cp in
                                DenseKernels.multiply(rows: m, columns: n, inner: k, ap.baseAddress!, k, bp.baseAddress!, n,
                                                      into: cp.baseAddress!, n, accumulate: true)
                            }
                        }
                    }
                    #expect(Self.firstDifference(product, expected) == nil, "A B + C, m=\(m) k=\(k) n=\(n)")

                    // G += A^T D: A [m x k], D [m x n], G [k x n]
                    let d = Self.values(m * n, &random), gradient = Self.values(max(1, k * n), &random)
                    var expectedGradient = gradient
                    for i in 0..<m {
                        for p in 0..<k where a[i * k + p] != 0 {
                            for j in 0..<n { expectedGradient[p * n + j] += a[i * k + p] * d[i * n + j] }
                        }
                    }
                    var accumulated = gradient
                    a.withUnsafeBufferPointer { ap in
                        d.withUnsafeBufferPointer { dp in
                            accumulated.withUnsafeMutableBufferPointer { gp in
                                DenseKernels.accumulateTransposedA(rows: m, columns: n, inner: k, ap.baseAddress!, k, dp.baseAddress!, n,
                                                                   into: gp.baseAddress!, n)
                            }
                        }
                    }
                    #expect(Self.firstDifference(accumulated, expectedGradient) == nil, "G + A^T D, m=\(m) k=\(k) n=\(n)")
                }
            }
        }
    }
}
