import Foundation

/// A bearer token read from a file, and the check of an `Authorization` header against it, for the
/// admin routes of both servers.
///
/// The comparison takes the same time whatever the offered token holds (`ConstantTime`).
public struct BearerToken: Sendable, Equatable {
    /// Shortest token accepted: 16 characters leave an online guess no chance.
    public static let minimumLength = 16
    private let token: [UInt8]

    /// Why a token file cannot be used.
    public enum Problem: Error, CustomStringConvertible, Equatable {
        case unreadable(String)
        case tooShort(String)

        public var description: String {
            switch self {
            case .unreadable(let path): return "the token file \(path) cannot be read"
            case .tooShort(let path): return "the token file \(path) must hold a token of at least \(BearerToken.minimumLength) characters"
            }
        }
    }

    /// Reads the token from `path`; a trailing newline is not part of it.
    public init(file path: String) throws(Problem) {
        guard let bytes = SecretFile.read(path) else { throw .unreadable(path) }
        guard bytes.count >= Self.minimumLength, bytes.contains(where: { $0 > 0x20 }) else { throw .tooShort(path) }
        token = bytes
    }

    /// The `Authorization` header value a client sends with this token.
    public var authorization: String { "Bearer " + String(decoding: token, as: UTF8.self) }

    /// Whether `header` is `Bearer <the token>`: the scheme in any case (RFC 9110 11.1), one or more spaces.
    public func accepts(authorization header: String?) -> Bool {
        guard let header else { return false }
        let bytes = Array(header.utf8)
        let scheme = Array("bearer".utf8)
        guard bytes.count > scheme.count, zip(bytes, scheme).allSatisfy({ $0 | 0x20 == $1 }),
              bytes[scheme.count] == UInt8(ascii: " ") else { return false }
        return ConstantTime.equal(token, Array(bytes.dropFirst(scheme.count).drop { $0 == UInt8(ascii: " ") }))
    }
}
