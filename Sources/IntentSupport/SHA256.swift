/// A streaming SHA-256 hasher (FIPS 180-4), in plain Swift because CryptoKit does not exist on Linux.
///
/// Feed bytes in any number of `update` calls, then call `finalize()` once for the 32-byte digest:
///
///     var hasher = SHA256()
///     hasher.update(bytes: Array("abc".utf8))
///     let hex = SHA256.hex(hasher.finalize())  // "ba7816bf..."
///
/// It fingerprints datasets and checks model files; it is not meant for secrets (no constant-time claims).
public struct SHA256: Sendable {
    /// Bytes per compression block.
    static let blockSize = 64
    /// Bytes in a digest.
    public static let digestSize = 32

    /// The first 32 bits of the fractional parts of the cube roots of the first 64 primes.
    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    /// The first 32 bits of the fractional parts of the square roots of the first 8 primes.
    private static let initialState: [UInt32] = [
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19,
    ]

    private var state: [UInt32] = SHA256.initialState
    /// Bytes waiting for a full block; always fewer than `blockSize` between calls.
    private var pending: [UInt8] = []
    /// Message length so far, in bytes.
    private var totalBytes: UInt64 = 0
    /// The message schedule, kept to avoid an allocation per block.
    private var schedule = [UInt32](repeating: 0, count: 64)

    /// A hasher with nothing fed yet.
    public init() {
        pending.reserveCapacity(SHA256.blockSize)
    }

    /// Feeds raw bytes.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        totalBytes &+= UInt64(bytes.count)
        var offset = 0
        if !pending.isEmpty {
            let take = min(SHA256.blockSize - pending.count, bytes.count)
            pending.append(contentsOf: bytes[0..<take])
            offset = take
            guard pending.count == SHA256.blockSize else { return }
            // Swap the buffer out so that compressing it does not overlap an access to `self`.
            var block: [UInt8] = []
            swap(&block, &pending)
            block.withUnsafeBytes { SHA256.compress(block: $0, state: &state, schedule: &schedule) }
            block.removeAll(keepingCapacity: true)
            pending = block
        }
        while bytes.count - offset >= SHA256.blockSize {
            let block = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + SHA256.blockSize)])
            SHA256.compress(block: block, state: &state, schedule: &schedule)
            offset += SHA256.blockSize
        }
        if offset < bytes.count { pending.append(contentsOf: bytes[offset...]) }
    }

    /// Feeds any collection of bytes (`[UInt8]`, `Data`, a slice, `String.UTF8View`).
    public mutating func update<D: Collection>(bytes: D) where D.Element == UInt8 {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if done == nil {
            Array(bytes).withUnsafeBytes { update($0) }
        }
    }

    /// Pads the message and returns the 32-byte digest. Call once; the hasher is spent afterwards.
    public mutating func finalize() -> [UInt8] {
        let bitLength = totalBytes &* 8
        var tail: [UInt8] = [0x80]
        // Pad with zeros until 8 bytes short of a block boundary, then append the big-endian bit length.
        let used = (pending.count + 1) % SHA256.blockSize
        let zeros = used <= 56 ? 56 - used : 64 + 56 - used
        tail.append(contentsOf: repeatElement(0, count: zeros))
        for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        let savedTotal = totalBytes
        tail.withUnsafeBytes { update($0) }
        totalBytes = savedTotal
        precondition(pending.isEmpty, "padding must end on a block boundary")
        var digest: [UInt8] = []
        digest.reserveCapacity(SHA256.digestSize)
        for word in state {
            digest.append(UInt8(truncatingIfNeeded: word >> 24))
            digest.append(UInt8(truncatingIfNeeded: word >> 16))
            digest.append(UInt8(truncatingIfNeeded: word >> 8))
            digest.append(UInt8(truncatingIfNeeded: word))
        }
        return digest
    }

    /// The digest of `bytes` in one call.
    public static func digest<D: Collection>(of bytes: D) -> [UInt8] where D.Element == UInt8 {
        var hasher = SHA256()
        hasher.update(bytes: bytes)
        return hasher.finalize()
    }

    /// The digest of `bytes` as 64 lowercase hex digits.
    public static func hexDigest<D: Collection>(of bytes: D) -> String where D.Element == UInt8 {
        hex(digest(of: bytes))
    }

    /// Lowercase hex of any bytes, two digits per byte (`[0xab, 0x01]` gives `ab01`).
    public static func hex<D: Collection>(_ bytes: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Runs the compression function on one 64-byte block.
    private static func compress(block: UnsafeRawBufferPointer, state: inout [UInt32], schedule: inout [UInt32]) {
        precondition(block.count == SHA256.blockSize, "a block is 64 bytes")
        roundConstants.withUnsafeBufferPointer { k in
            schedule.withUnsafeMutableBufferPointer { w in
                for i in 0..<16 {
                    w[i] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))
                }
                for i in 16..<64 {
                    let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] &>> 3)
                    let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] &>> 10)
                    w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
                }
                state.withUnsafeMutableBufferPointer { h in
                    var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7]
                    for i in 0..<64 {
                        let sum1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                        let choose = (e & f) ^ (~e & g)
                        let temp1 = hh &+ sum1 &+ choose &+ k[i] &+ w[i]
                        let sum0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                        let majority = (a & b) ^ (a & c) ^ (b & c)
                        let temp2 = sum0 &+ majority
                        hh = g; g = f; f = e; e = d &+ temp1
                        d = c; c = b; b = a; a = temp1 &+ temp2
                    }
                    h[0] &+= a; h[1] &+= b; h[2] &+= c; h[3] &+= d
                    h[4] &+= e; h[5] &+= f; h[6] &+= g; h[7] &+= hh
                }
            }
        }
    }

    // Masking shifts (`&>>`, `&<<`) on concrete types are transparent, so even debug builds run them inline.
    @inline(__always)
    private static func rotr(_ value: UInt32, _ count: UInt32) -> UInt32 {
        (value &>> count) | (value &<< (32 &- count))
    }
}
