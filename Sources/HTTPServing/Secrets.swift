import Foundation

/// Reading a secret from a file, as both servers do for their tokens and the deployer for its webhook
/// secrets.
public enum SecretFile {
    /// The file's bytes without the trailing newlines `echo secret > file` leaves; nil when it cannot be read.
    public static func read(_ path: String) -> [UInt8]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        var bytes = [UInt8](data)
        while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
        return bytes
    }
}

/// Comparing a secret with what a client offered, in time that tells nothing of where they differ.
public enum ConstantTime {
    /// Whether `offered` equals `expected`. The loop runs over the whole of `expected` whatever `offered`
    /// holds, and a length mismatch is folded into the result, so the time depends on `expected`'s length only.
    public static func equal(_ expected: [UInt8], _ offered: [UInt8]) -> Bool {
        var difference: UInt8 = offered.count == expected.count ? 0 : 1
        for index in expected.indices {
            difference |= expected[index] ^ (index < offered.count ? offered[index] : 0)
        }
        return difference == 0
    }
}
