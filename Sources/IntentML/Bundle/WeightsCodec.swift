import Foundation

/// The binary layout of `weights.bin`: a small header, then the arrays, all little-endian.
///
/// ```
/// "INTW"  u32 layout=1  u32 D  u32 R  u32 C
/// u32[R]  feature ids        f32[R]   feature weights
/// f32[R*D] embeddings E      f32[C*D] output W      f32[C] bias b
/// ```
/// The size is fully determined by the header, so a truncated file is detected before any parsing.
enum WeightsCodec {
    static let magic: [UInt8] = Array("INTW".utf8)
    static let layoutVersion: UInt32 = 1
    static let headerBytes = 20

    /// The expected size of a weights file with these dimensions.
    static func byteCount(dimension: Int, rows: Int, classes: Int) -> Int {
        headerBytes + 4 * rows * 2 + 4 * rows * dimension + 4 * classes * dimension + 4 * classes
    }

    static func encode(_ model: NGramClassifier) -> Data {
        let dimension = model.dimension, rows = model.table.count, classes = model.labels.count
        var data = Data(capacity: byteCount(dimension: dimension, rows: rows, classes: classes))
        data.append(contentsOf: magic)
        for value in [layoutVersion, UInt32(dimension), UInt32(rows), UInt32(classes)] { append(value, to: &data) }
        for id in model.table.ids { append(id, to: &data) }
        for array in [model.featureWeights, model.embeddings, model.output, model.bias] {
            for value in array { append(value.bitPattern, to: &data) }
        }
        return data
    }

    /// The decoded arrays; sizes are checked against the header and against `expected` dimensions.
    struct Decoded {
        var ids: [UInt32]
        var featureWeights: [Float]
        var embeddings: [Float]
        var output: [Float]
        var bias: [Float]
    }

    static func decode(_ data: Data, dimension: Int, classes: Int, rows expectedRows: Int, path: String) throws -> Decoded {
        guard data.count >= headerBytes else {
            throw ModelBundleError.truncated(path: path, expected: headerBytes, found: data.count)
        }
        let bytes = [UInt8](data)
        guard Array(bytes[0..<4]) == magic else {
            throw ModelBundleError.inconsistent(path: path, reason: "it does not start with the INTW marker")
        }
        let header = (0..<4).map { readUInt32(bytes, at: 4 + 4 * $0) }
        guard header[0] == layoutVersion else {
            throw ModelBundleError.inconsistent(path: path, reason: "unknown weights layout \(header[0])")
        }
        let (fileDimension, rows, fileClasses) = (Int(header[1]), Int(header[2]), Int(header[3]))
        guard fileDimension == dimension, fileClasses == classes, rows == expectedRows else {
            throw ModelBundleError.inconsistent(
                path: path,
                reason: "weights are D=\(fileDimension) rows=\(rows) classes=\(fileClasses), manifest says D=\(dimension) rows=\(expectedRows) classes=\(classes)")
        }
        let expected = byteCount(dimension: dimension, rows: rows, classes: classes)
        guard bytes.count == expected else {
            throw ModelBundleError.truncated(path: path, expected: expected, found: bytes.count)
        }
        var offset = headerBytes
        func floats(_ count: Int) -> [Float] {
            defer { offset += 4 * count }
            return (0..<count).map { Float(bitPattern: readUInt32(bytes, at: offset + 4 * $0)) }
        }
        let ids = (0..<rows).map { readUInt32(bytes, at: offset + 4 * $0) }
        offset += 4 * rows
        let weights = floats(rows)
        let embeddings = floats(rows * dimension)
        let output = floats(classes * dimension)
        let bias = floats(classes)
        guard Set(ids).count == ids.count, !ids.contains(UInt32.max) else {
            throw ModelBundleError.inconsistent(path: path, reason: "duplicate or reserved feature ids")
        }
        return Decoded(ids: ids, featureWeights: weights, embeddings: embeddings, output: output, bias: bias)
    }

    private static func append(_ value: UInt32, to data: inout Data) {
        let little = value.littleEndian
        withUnsafeBytes(of: little) { data.append(contentsOf: $0) }
    }

    private static func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }
}
