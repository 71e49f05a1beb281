/// Maps hashed feature ids to rows of the embedding matrix, for the ids seen in training only.
///
/// Open addressing with linear probing over a power-of-two table kept at most half full, so a look-up is
/// one or two probes and allocates nothing. Ids never seen in training have no row: they contribute
/// nothing to the sentence vector but still count in its average, which lowers the confidence of
/// sentences made mostly of unseen material (out-of-domain input).
public struct FeatureTable: Sendable, Equatable {
    static let empty = UInt32.max

    /// The feature id of each row, in row order.
    public private(set) var ids: [UInt32]
    private var keys: [UInt32]
    private var rows: [Int32]
    private var mask: Int

    /// A table whose row `i` belongs to `ids[i]`; ids must be unique and below `UInt32.max`.
    public init(ids: [UInt32]) {
        var capacity = 16
        while capacity < ids.count * 2 { capacity <<= 1 }
        self.ids = ids
        keys = Array(repeating: FeatureTable.empty, count: capacity)
        rows = Array(repeating: -1, count: capacity)
        mask = capacity - 1
        for (row, id) in ids.enumerated() {
            precondition(id != FeatureTable.empty, "feature id UInt32.max is reserved")
            var slot = FeatureTable.slot(id, mask: mask)
            while keys[slot] != FeatureTable.empty {
                precondition(keys[slot] != id, "duplicate feature id \(id)")
                slot = (slot + 1) & mask
            }
            keys[slot] = id
            rows[slot] = Int32(row)
        }
    }

    /// The number of rows.
    public var count: Int { ids.count }

    /// The row of `id`, or -1 when the id was not seen in training.
    @inline(__always)
    public func row(of id: UInt32) -> Int32 {
        keys.withUnsafeBufferPointer { keys in
            var slot = FeatureTable.slot(id, mask: mask)
            while true {
                let key = keys[slot]
                if key == id { return rows[slot] }
                if key == FeatureTable.empty { return -1 }
                slot = (slot + 1) & mask
            }
        }
    }

    @inline(__always)
    static func slot(_ id: UInt32, mask: Int) -> Int {
        // Ids are already hash outputs; a multiplicative step spreads the low bits anyway.
        Int(truncatingIfNeeded: (UInt64(id) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    public static func == (lhs: FeatureTable, rhs: FeatureTable) -> Bool { lhs.ids == rhs.ids }
}
