import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real `intent serve` process on a free 127.0.0.1 port, for tests at the socket.
final class LiveServer: @unchecked Sendable {
    let process = Process()
    let port: Int
    let log: URL

    /// Starts `intent serve <arguments> --host 127.0.0.1 --port <free>` and waits until /readyz answers.
    init(_ arguments: [String], environment: [String: String] = [:], readyWithin seconds: Double = 60) throws {
        port = try LiveServer.freePort()
        log = IntentProcess.temporaryDirectory().appendingPathComponent("serve.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = IntentProcess.executable
        process.arguments = ["serve"] + arguments + ["--host", "127.0.0.1", "--port", "\(port)"]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let connection = try? HTTPConnection(port: port),
               let response = try? connection.send("GET", "/readyz"), response.status == 200 {
                return
            }
            guard process.isRunning else { break }
            usleep(50_000)
        }
        process.terminate()
        throw LiveServerError.notReady(output)
    }

    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for the process to end and returns its exit status (SIGKILL after `seconds`).
    func waitForExit(within seconds: Double = 30) -> Int32 {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// A port nothing listens on now: bind port 0, read what the kernel chose, close.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LiveServerError.socket("socket", errno) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw LiveServerError.socket("bind", errno) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

enum LiveServerError: Error, CustomStringConvertible {
    case notReady(String)
    case socket(String, Int32)
    case closed(afterSending: Bool)
    case malformed(String)

    var description: String {
        switch self {
        case .notReady(let output): return "intent serve did not become ready:\n\(output)"
        case let .socket(call, code): return "\(call) failed: \(String(cString: strerror(code)))"
        case .closed(let sent): return sent ? "connection closed before a response" : "connection closed before the request was sent"
        case .malformed(let why): return "malformed response: \(why)"
        }
    }
}

/// A blocking HTTP/1.1 keep-alive connection: one request at a time, Content-Length bodies (what the
/// server sends). Small and exact on purpose: the live tests count every request and every answer.
final class HTTPConnection {
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: String
    }

    private let fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int, timeoutSeconds: Int = 10) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LiveServerError.socket("socket", errno) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let code = errno
            close(fd)
            throw LiveServerError.socket("connect", code)
        }
    }

    deinit { close(fd) }

    /// Sends one request and reads its response.
    func send(_ method: String, _ path: String, body: String? = nil, headers: [String: String] = [:]) throws -> Response {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n" }
        let bytes = Array((head + "\r\n" + (body ?? "")).utf8)
        var sent = 0
        while sent < bytes.count {
            let written = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { throw LiveServerError.closed(afterSending: false) }
            sent += written
        }
        return try readResponse()
    }

    private func readResponse() throws -> Response {
        let separator: [UInt8] = [13, 10, 13, 10]
        var headerEnd: Int?
        while headerEnd == nil {
            if let range = buffer.firstRange(of: separator) { headerEnd = range.upperBound; break }
            try fill()
        }
        guard let end = headerEnd else { throw LiveServerError.malformed("no header end") }
        let lines = String(decoding: buffer[..<(end - 4)], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw LiveServerError.malformed(lines[0]) }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while buffer.count < end + length { try fill() }
        let body = String(decoding: buffer[end..<(end + length)], as: UTF8.self)
        buffer.removeFirst(end + length)
        return Response(status: status, headers: headers, body: body)
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 16_384)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { throw LiveServerError.closed(afterSending: true) }
        buffer.append(contentsOf: chunk[..<count])
    }
}
