import Foundation

/// How the n-gram model pools the vectors of a sentence's features into one sentence vector.
public enum Pooling: String, Codable, Sendable, CaseIterable {
    /// One weighted mean over every feature: `h = sum_r a_r E[r] / sum_r a_r`. A sentence has many more
    /// character n-grams than words, so they carry most of the mean.
    case mean
    /// The mean of the weighted means of each kind present (words, word n-grams, character n-grams), so
    /// each kind has the same say whatever its count, as when TF-IDF blocks are normalised one by one.
    case perKind = "per-kind"

    /// An unknown name is refused with the ones there are.
    public init(from decoder: Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let pooling = Pooling(rawValue: name) else {
            let known = Pooling.allCases.map { "'\($0.rawValue)'" }.joined(separator: " or ")
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(name)' is not a pooling: use \(known)"))
        }
        self = pooling
    }
}

/// Where each kind of feature starts in a sentence's feature rows (words come first, from 0).
struct FeatureKindStarts: Sendable, Equatable {
    var wordNgrams: Int
    var charNgrams: Int
}

extension NGramClassifier {
    /// The coefficient c_i of each position of `rows` in the sentence vector `h = sum_i c_i E[rows[i]]`
    /// under per-kind pooling: `a_i / (K * total of its kind)`, K the number of kinds present. An unseen
    /// feature (row < 0) counts with the neutral weight in its kind's total and gets coefficient 0.
    @inline(__always)
    static func perKindCoefficients(
        _ rows: UnsafeBufferPointer<Int32>, starts: FeatureKindStarts, weights: UnsafeBufferPointer<Float>,
        into coefficients: UnsafeMutableBufferPointer<Float>
    ) {
        let bounds = [0, min(starts.wordNgrams, rows.count), min(starts.charNgrams, rows.count), rows.count]
        var present = 0
        for kind in 0..<3 where bounds[kind] < bounds[kind + 1] { present += 1 }
        guard present > 0 else { return }
        for kind in 0..<3 where bounds[kind] < bounds[kind + 1] {
            var total: Float = 0
            for i in bounds[kind]..<bounds[kind + 1] {
                total += rows[i] >= 0 ? weights[Int(rows[i])] : FeatureWeighting.unseenWeight
            }
            let scale = 1 / (Float(present) * total)
            for i in bounds[kind]..<bounds[kind + 1] {
                coefficients[i] = rows[i] >= 0 ? weights[Int(rows[i])] * scale : 0
            }
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

