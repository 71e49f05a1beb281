import Foundation

/// The binary layout of an LSTM-attention bundle's `weights.bin`, little-endian:
///
/// ```
/// "INTL"  u32 layout=1  u32 V  u32 D  u32 H  u32 A  u32 C
/// f32[P]  every parameter, in `LSTMAttentionNetwork`'s order (P follows from the header)
/// ```
/// The size is fully determined by the header, so a truncated file is detected before any parsing.
enum LSTMWeightsCodec {
    static let magic: [UInt8] = Array("INTL".utf8)
    static let layoutVersion: UInt32 = 1
    static let headerBytes = 28

    static func encode(_ model: LSTMAttentionClassifier) -> Data {
        let network = model.network
        var data = Data(capacity: headerBytes + 4 * network.parameterCount)
        data.append(contentsOf: magic)
        let header = [layoutVersion, UInt32(network.vocabularySize), UInt32(network.embeddingDimension), UInt32(network.hiddenSize),
                      UInt32(network.attentionSize), UInt32(network.classCount)]
        for value in header { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        for value in model.parameters { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    /// The parameters, after checking the header against the shapes the manifest implies.
    static func decode(_ data: Data, expected network: LSTMAttentionNetwork, path: String) throws -> [Float] {
        guard data.count >= headerBytes else { throw ModelBundleError.truncated(path: path, expected: headerBytes, found: data.count) }
        let bytes = [UInt8](data)
        guard Array(bytes[0..<4]) == magic else {
            throw ModelBundleError.inconsistent(path: path, reason: "it does not start with the INTL marker of an lstm-attention model")
        }
        func word(_ index: Int) -> UInt32 {
            let offset = 4 + 4 * index
            return UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
        }
        guard word(0) == layoutVersion else { throw ModelBundleError.inconsistent(path: path, reason: "unknown weights layout \(word(0))") }
        let found = (1...5).map { Int(word($0)) }
        let wanted = [network.vocabularySize, network.embeddingDimension, network.hiddenSize, network.attentionSize, network.classCount]
        guard found == wanted else {
            throw ModelBundleError.inconsistent(path: path, reason: "weights are V,D,H,A,C=\(found), the manifest implies \(wanted)")
        }
        let expected = headerBytes + 4 * network.parameterCount
        guard bytes.count == expected else { throw ModelBundleError.truncated(path: path, expected: expected, found: bytes.count) }
        return (0..<network.parameterCount).map { index in
            let offset = headerBytes + 4 * index
            return Float(bitPattern: UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24)
        }
    }
}
