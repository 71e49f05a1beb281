/// The dense linear algebra of the LSTM: three row-major matrix products over raw buffers.
///
/// Every output element is summed over `k` in ascending order whatever the number of rows, so a sentence
/// scored alone and the same sentence inside a padded batch get bit-for-bit the same numbers (the
/// padding-invariance the LSTM promises). The inner loops run over contiguous memory: the `axpy` form
/// vectorises as written, and the dot products keep eight SIMD partial sums in a fixed order.
enum DenseKernels {
    /// C[i, :] = (accumulate ? C[i, :] : 0) + sum_k A[i, k] B[k, :]
    // A: [M x K] (row stride lda), B: [K x N] (ldb), C: [M x N] (ldc)
    @inline(__always)
    static func multiply(
        rows m: Int, columns n: Int, inner k: Int,
        _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
        into c: UnsafeMutablePointer<Float>, _ ldc: Int, accumulate: Bool
    ) {
        for i in 0..<m {
            let cRow = c + i * ldc
            if !accumulate { cRow.update(repeating: 0, count: n) }
            let aRow = a + i * lda
            for p in 0..<k {
                let scale = aRow[p]
                if scale == 0 { continue }
                axpy(scale, b + p * ldb, cRow, n)
            }
        }
    }

    /// G[p, :] += sum_i A[i, p] D[i, :]   (the weight gradient A^T D)
    // A: [M x K] (lda), D: [M x N] (ldd), G: [K x N] (ldg)
    @inline(__always)
    static func accumulateTransposedA(
        rows m: Int, columns n: Int, inner k: Int,
        _ a: UnsafePointer<Float>, _ lda: Int, _ d: UnsafePointer<Float>, _ ldd: Int,
        into g: UnsafeMutablePointer<Float>, _ ldg: Int
    ) {
        for i in 0..<m {
            let aRow = a + i * lda, dRow = d + i * ldd
            for p in 0..<k {
                let scale = aRow[p]
                if scale == 0 { continue }
                axpy(scale, dRow, g + p * ldg, n)
            }
        }
    }

    /// X[i, p] = (accumulate ? X[i, p] : 0) + sum_j D[i, j] B[p, j]   (the input gradient D B^T)
    // D: [M x N] (ldd), B: [K x N] (ldb), X: [M x K] (ldx)
    @inline(__always)
    static func multiplyTransposedB(
        rows m: Int, columns n: Int, inner k: Int,
        _ d: UnsafePointer<Float>, _ ldd: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
        into x: UnsafeMutablePointer<Float>, _ ldx: Int, accumulate: Bool
    ) {
        for i in 0..<m {
            let dRow = d + i * ldd, xRow = x + i * ldx
            for p in 0..<k {
                let value = dot(dRow, b + p * ldb, n)
                xRow[p] = accumulate ? xRow[p] + value : value
            }
        }
    }

    /// y[0..<n] += alpha * x[0..<n]
    @inline(__always)
    static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        for j in 0..<n { y[j] += alpha * x[j] }
    }

    /// sum_j x[j] y[j], with eight partial sums combined in a fixed order.
    @inline(__always)
    static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) -> Float {
        var partial = SIMD8<Float>(repeating: 0)
        var j = 0
        while j + 8 <= n {
            let xs = UnsafeRawPointer(x + j).loadUnaligned(as: SIMD8<Float>.self)
            let ys = UnsafeRawPointer(y + j).loadUnaligned(as: SIMD8<Float>.self)
            partial += xs * ys
            j += 8
        }
        var total = partial.sum()
        while j < n {
            total += x[j] * y[j]
            j += 1
        }
        return total
    }
}
