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

    /// The plain loops: for every A[i, p] that is not 0 (A is [m x k]), one axpy of A[i, p] times row
    /// `source(i, p)` of `rows` into row `target(i, p)` of `output` (rows of n).
    static func axpyPerRow(_ a: [Float], m: Int, k: Int, n: Int, rows: [Float], into output: [Float],
                           source: (Int, Int) -> Int, target: (Int, Int) -> Int) -> [Float] {
        var result = output
        for i in 0..<m {
            for p in 0..<k where a[i * k + p] != 0 {
                for j in 0..<n { result[target(i, p) * n + j] += a[i * k + p] * rows[source(i, p) * n + j] }
            }
        }
        return result
    }

    /// `output` after `kernel` ran on it, given the base addresses of `left` and `right` (neither empty).
    static func applying(_ left: [Float], _ right: [Float], to output: [Float],
                         _ kernel: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void) -> [Float] {
        var result = output
        left.withUnsafeBufferPointer { l in
            right.withUnsafeBufferPointer { r in
                result.withUnsafeMutableBufferPointer { o in kernel(l.baseAddress!, r.baseAddress!, o.baseAddress!) }
            }
        }
        return result
    }

    @Test("the register-blocked products equal one axpy per row, bit for bit, at every size around a block")
    func sameBits() {
        var random = SplitMix64(seed: 11)
        for n in [1, 7, 8, 9, 16, 31, 32, 33, 40, 64, 70, 256] {
            for k in [0, 1, 3, 64] {
                for m in [1, 3] {
                    // At least one element each, so that k = 0 still has base addresses.
                    let a = Self.values(max(1, m * k), &random)

                    // C + A B: A [m x k], B [k x n], C [m x n]
                    let b = Self.values(max(1, k * n), &random), c = Self.values(m * n, &random)
                    let product = Self.applying(a, b, to: c) { a, b, c in
                        DenseKernels.multiply(rows: m, columns: n, inner: k, a, k, b, n, into: c, n, accumulate: true)
                    }
                    let expected = Self.axpyPerRow(a, m: m, k: k, n: n, rows: b, into: c, source: { _, p in p }, target: { i, _ in i })
                    #expect(Self.firstDifference(product, expected) == nil, "C + A B, m=\(m) k=\(k) n=\(n)")

                    // G + A^T D: A [m x k], D [m x n], G [k x n]
                    let d = Self.values(m * n, &random), g = Self.values(max(1, k * n), &random)
                    let accumulated = Self.applying(a, d, to: g) { a, d, g in
                        DenseKernels.accumulateTransposedA(rows: m, columns: n, inner: k, a, k, d, n, into: g, n)
                    }
                    let expectedGradient = Self.axpyPerRow(a, m: m, k: k, n: n, rows: d, into: g, source: { i, _ in i }, target: { _, p in p })
                    #expect(Self.firstDifference(accumulated, expectedGradient) == nil, "G + A^T D, m=\(m) k=\(k) n=\(n)")
                }
            }
        }
    }
}
