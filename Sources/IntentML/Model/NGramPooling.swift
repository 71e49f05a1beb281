import Foundation

/// Where each kind of feature starts in a sentence's feature rows (words come first, from 0).
struct FeatureKindStarts: Sendable, Equatable {
    var wordNgrams: Int
    var charNgrams: Int
}

extension NGramClassifier {
    /// The coefficient c_i of each position of `rows` in the sentence vector `h = sum_i c_i E[rows[i]]`
    /// when the kinds are balanced: each kind k present (words, word n-grams, character n-grams) gets the
    /// share `T_k^p / sum_j T_j^p` of the vector, T_k its total feature weight and p `exponent`, spread
    /// over its features by weight: `c_i = a_i * share_k / T_k`. p = 1 is one weighted mean over all
    /// features; p = 0 gives each kind the same share. An unseen feature (row < 0) counts with the neutral
    /// weight in its kind's total and gets coefficient 0.
    @inline(__always)
    static func kindBalancedCoefficients(
        _ rows: UnsafeBufferPointer<Int32>, starts: FeatureKindStarts, weights: UnsafeBufferPointer<Float>, exponent: Float,
        into coefficients: UnsafeMutableBufferPointer<Float>
    ) {
        // Three kinds at most: their bounds, totals and shares stay in registers (this runs for every
        // sentence scored and every training step, so it allocates nothing).
        let bounds = SIMD4<Int>(0, min(starts.wordNgrams, rows.count), min(starts.charNgrams, rows.count), rows.count)
        var totals = SIMD3<Float>(repeating: 0), shares = SIMD3<Float>(repeating: 0)
        for kind in 0..<3 where bounds[kind] < bounds[kind + 1] {
            for i in bounds[kind]..<bounds[kind + 1] {
                totals[kind] += rows[i] >= 0 ? weights[Int(rows[i])] : FeatureWeighting.unseenWeight
            }
            shares[kind] = powf(totals[kind], exponent)
        }
        let shareTotal = shares[0] + shares[1] + shares[2]  // left to right, as the array sum was
        guard shareTotal > 0 else { return }
        for kind in 0..<3 where bounds[kind] < bounds[kind + 1] {
            let scale = shares[kind] / (shareTotal * totals[kind])
            for i in bounds[kind]..<bounds[kind + 1] { coefficients[i] = rows[i] >= 0 ? weights[Int(rows[i])] * scale : 0 }
        }
    }

    /// h = sum_i c_i E[rows[i]] over the rows seen in training, summed in position order per element.
    @inline(__always)
    static func weightedSum(
        _ rows: UnsafeBufferPointer<Int32>, coefficients: UnsafeBufferPointer<Float>, embeddings: UnsafeBufferPointer<Float>,
        dimension: Int, into h: UnsafeMutableBufferPointer<Float>
    ) {
        guard let hBase = h.baseAddress, let eBase = embeddings.baseAddress else { return }
        let rawEmbeddings = UnsafeRawPointer(eBase)
        let block = SIMD16<Float>.scalarCount
        var offset = 0
        while offset + block <= dimension {
            var sum = SIMD16<Float>(repeating: 0)
            for (i, row) in rows.enumerated() where row >= 0 {
                let source = rawEmbeddings.loadUnaligned(fromByteOffset: (Int(row) * dimension + offset) * MemoryLayout<Float>.stride, as: SIMD16<Float>.self)
                sum += SIMD16(repeating: coefficients[i]) * source
            }
            UnsafeMutableRawPointer(hBase + offset).storeBytes(of: sum, as: SIMD16<Float>.self)
            offset += block
        }
        for d in offset..<dimension {
            var sum: Float = 0
            for (i, row) in rows.enumerated() where row >= 0 { sum += coefficients[i] * eBase[Int(row) * dimension + d] }
            hBase[d] = sum
        }
    }
}

