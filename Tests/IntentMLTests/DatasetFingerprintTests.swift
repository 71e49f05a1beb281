import Foundation
import IntentSupport
import Testing
@testable import IntentML

@Suite("Dataset fingerprint: SHA-256")
struct DatasetFingerprintTests {
    static let million = String(repeating: "a", count: 1_000_000)

    @Test("FIPS 180 test vectors", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func vectors(message: String, digest: String) {
        #expect(SHA256.hexDigest(of: Array(message.utf8)) == digest)
    }

    @Test("one million 'a', fed in uneven pieces")
    func millionA() {
        var hasher = SHA256()
        let bytes = Array(Self.million.utf8)
        var offset = 0
        var step = 1
        while offset < bytes.count {
            let end = min(bytes.count, offset + step)
            bytes[offset..<end].withUnsafeBytes { hasher.update($0) }
            offset = end
            step = step * 3 % 1_009 + 1
        }
        #expect(SHA256.hex(hasher.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("streaming in pieces equals hashing at once, around every block edge", arguments: [1, 3, 55, 56, 63, 64, 65, 127, 128, 129])
    func streamingMatchesOneShot(length: Int) {
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        for piece in [1, 5, 64] {
            var hasher = SHA256()
            for start in stride(from: 0, to: length, by: piece) {
                hasher.update(bytes: bytes[start..<min(length, start + piece)])
            }
            #expect(hasher.finalize() == SHA256.digest(of: bytes), "length \(length), pieces of \(piece)")
        }
    }

    @Test("hex writes two lowercase digits per byte")
    func hex() {
        #expect(SHA256.hex([0x00, 0x0f, 0xab, 0xff]) == "000fabff")
        #expect(SHA256.hex([UInt8]()) == "")
    }

    @Test("a file's fingerprint is the SHA-256 of its bytes; a missing file is an error")
    func fileFingerprint() throws {
        let digest = try DatasetTestFiles.with("abc", ext: "tsv") { try DatasetFingerprint.sha256Hex(ofFile: $0) }
        #expect(digest == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let large = try DatasetTestFiles.with(Self.million, ext: "txt") { try DatasetFingerprint.sha256Hex(ofFile: $0) }
        #expect(large == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(throws: DatasetError.fileNotFound(path: "/nonexistent/data.tsv")) {
            try DatasetFingerprint.sha256Hex(ofFile: "/nonexistent/data.tsv")
        }
    }
}
