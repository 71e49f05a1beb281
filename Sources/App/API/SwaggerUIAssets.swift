import Foundation
import NIOCore

/// Swagger UI's two files for `/docs`, read once at start from a directory installed beside the
/// project (`scripts/install-swagger-ui.sh`, which takes them from a pinned PyPI package, licence
/// included), so the page never loads anything from the network.
struct SwaggerUIAssets: Sendable, Equatable {
    /// File name -> content type; served at `/docs/<name>`.
    static let files: [(name: String, contentType: String)] = [
        ("swagger-ui-bundle.js", "text/javascript; charset=utf-8"), ("swagger-ui.css", "text/css; charset=utf-8"),
    ]
    /// Where the install script puts them, relative to the working directory (the repository).
    static let installedDirectory = ".build/swagger-ui"
    /// Where the container image would keep them.
    static let systemDirectory = "/usr/share/intentops/swagger-ui"

    let directory: String
    let contents: [String: ByteBuffer]

    /// Reads every file of `directory`; throws naming the first one missing or unreadable.
    init(directory: String) throws {
        var contents: [String: ByteBuffer] = [:]
        for file in Self.files {
            let path = "\(directory)/\(file.name)"
            guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else {
                throw SwaggerUIAssetsError.missing(path: path)
            }
            contents[file.name] = ByteBuffer(bytes: data)
        }
        self.directory = directory
        self.contents = contents
    }

    /// The assets from `explicit` (`--docs-assets`, then `INTENTOPS_SWAGGER_UI`), which must hold them, or
    /// else from the first of the usual places that does; nil when none does (`/docs` then lists the
    /// routes and says how to install the viewer).
    static func locate(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SwaggerUIAssets? {
        if let directory = explicit ?? environment["INTENTOPS_SWAGGER_UI"].flatMap({ $0.isEmpty ? nil : $0 }) {
            return try SwaggerUIAssets(directory: directory)
        }
        for directory in [installedDirectory, systemDirectory] {
            if let assets = try? SwaggerUIAssets(directory: directory) { return assets }
        }
        return nil
    }
}

enum SwaggerUIAssetsError: Error, CustomStringConvertible {
    case missing(path: String)

    var description: String {
        switch self {
        case .missing(let path):
            return "Swagger UI is not at \(path): run scripts/install-swagger-ui.sh DIR and pass --docs-assets DIR (or set INTENTOPS_SWAGGER_UI), "
                + "or leave both unset to serve /docs without the interactive viewer"
        }
    }
}
