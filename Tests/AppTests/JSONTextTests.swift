import Foundation
import Testing
@testable import App

@Suite("JSON string writer")
struct JSONTextTests {
    static func quoted(_ value: String) -> String {
        var out: [UInt8] = []
        JSONText.appendQuoted(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test("escapes quotes, backslashes and every control byte, anywhere in the string, and copies the rest as is")
    func escapes() throws {
        #expect(Self.quoted("") == #""""#)
        #expect(Self.quoted("plain café 中文 😀") == "\"plain café 中文 😀\"")
        #expect(Self.quoted("\"start") == #""\"start""#)
        #expect(Self.quoted("end\\") == #""end\\""#)
        #expect(Self.quoted("a\"b\\c\nd\re\tf\u{01}g\u{1F}") == #""a\"b\\c\nd\re\tf\u0001g\u001f""#)
        #expect(Self.quoted("\n\n") == #""\n\n""#)
        // DEL and bytes of multi-byte characters are not control bytes in JSON: copied as they are.
        #expect(Self.quoted("a\u{7F}b") == "\"a\u{7F}b\"")
        // Every control byte, with runs of plain text between them, reads back as the same string.
        let all = (0..<0x20).map { "x\(Character(Unicode.Scalar(UInt8($0))))é" }.joined() + "\"\\"
        let text = Self.quoted(all)
        let decoded = try JSONDecoder().decode(String.self, from: Data(text.utf8))
        #expect(decoded == all)
        #expect(!text.utf8.dropFirst().dropLast().contains { $0 < 0x20 })
    }
}
