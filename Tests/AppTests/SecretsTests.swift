import Foundation
import HTTPServing
import TestSupport
import Testing

@Suite("Secrets: the one secret-file reader and constant-time comparison both servers use")
struct SecretsTests {
    @Test("equal only for the same bytes, whatever the lengths")
    func constantTime() {
        let secret = Array("0123456789abcdef".utf8)
        #expect(ConstantTime.equal(secret, secret))
        #expect(!ConstantTime.equal(secret, Array("0123456789abcdeF".utf8)))
        #expect(!ConstantTime.equal(secret, Array(secret.dropLast())))
        #expect(!ConstantTime.equal(secret, secret + [0]))
        #expect(!ConstantTime.equal(secret, []))
        #expect(ConstantTime.equal([], []))
    }

    @Test("a secret file loses its trailing newlines, nothing else; a missing one reads as nil")
    func secretFile() throws {
        let directory = TestDirectories.make()
        let path = directory.appendingPathComponent("secret").path
        try Data(" a b\r\n\n\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(SecretFile.read(path) == Array(" a b".utf8))
        #expect(SecretFile.read(directory.appendingPathComponent("missing").path) == nil)
    }
}
