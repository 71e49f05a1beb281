/// The dense linear algebra of the LSTM: three row-major matrix products over raw buffers.
///
/// Every output element is summed over `k` in ascending order whatever the number of rows, so a sentence
/// scored alone and the same sentence inside a padded batch get bit-for-bit the same numbers (the
/// padding-invariance the LSTM promises). The inner loops run over contiguous memory: `accumulateRows`
/// keeps a block of outputs in registers while it adds the scaled rows, and the dot products keep eight
/// SIMD partial sums in a fixed order.
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
            accumulateRows(k, scales: a + i * lda, scaleStride: 1, b, ldb, into: cRow, n)
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
        for p in 0..<k {
            accumulateRows(m, scales: a + p, scaleStride: lda, d, ldd, into: g + p * ldg, n)
        }
    }

    /// y[0..<n] += sum_r scales[r * scaleStride] * rows[r * rowStride ..< + n], r ascending, rows whose
    /// scale is 0 skipped: for every element the same additions in the same order as one `axpy` per row,
    /// so the same bits. Blocks of 32 outputs stay in registers across the rows instead of being loaded
    /// and stored once per row, which is what the `axpy` form spends most of its time on.
    @inline(__always)
    static func accumulateRows(
        _ count: Int, scales: UnsafePointer<Float>, scaleStride: Int,
        _ rows: UnsafePointer<Float>, _ rowStride: Int, into y: UnsafeMutablePointer<Float>, _ n: Int
    ) {
        var j = 0
        while j + 32 <= n {
            var low = UnsafeRawPointer(y + j).loadUnaligned(as: SIMD16<Float>.self)
            var high = UnsafeRawPointer(y + j + 16).loadUnaligned(as: SIMD16<Float>.self)
            for r in 0..<count {
                let scale = scales[r * scaleStride]
                if scale == 0 { continue }
                let row = UnsafeRawPointer(rows + r * rowStride + j)
                low += scale * row.loadUnaligned(as: SIMD16<Float>.self)
                high += scale * row.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
            }
            UnsafeMutableRawPointer(y + j).storeBytes(of: low, as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(y + j + 16).storeBytes(of: high, as: SIMD16<Float>.self)
            j += 32
        }
        while j + 8 <= n {
            var block = UnsafeRawPointer(y + j).loadUnaligned(as: SIMD8<Float>.self)
            for r in 0..<count {
                let scale = scales[r * scaleStride]
                if scale == 0 { continue }
                block += scale * UnsafeRawPointer(rows + r * rowStride + j).loadUnaligned(as: SIMD8<Float>.self)
            }
            UnsafeMutableRawPointer(y + j).storeBytes(of: block, as: SIMD8<Float>.self)
            j += 8
        }
        while j < n {
            var value = y[j]
            for r in 0..<count {
                let scale = scales[r * scaleStride]
                if scale == 0 { continue }
                value += scale * rows[r * rowStride + j]
            }
            y[j] = value
            j += 1
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
