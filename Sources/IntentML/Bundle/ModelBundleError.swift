/// Why a model bundle cannot be written or loaded.
public enum ModelBundleError: Error, CustomStringConvertible, Equatable {
    case notFound(path: String)
    case unreadable(path: String, reason: String)
    case invalidManifest(path: String, reason: String)
    case newerFormat(path: String, found: Int, supported: Int)
    case unsupportedKind(path: String, kind: String)
    case missingFile(path: String)
    case truncated(path: String, expected: Int, found: Int)
    case checksumMismatch(path: String)
    case inconsistent(path: String, reason: String)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let path):
            return "no model bundle at \(path): expected a directory with manifest.json. Train one with `intent train --output \(path)`."
        case let .unreadable(path, reason):
            return "cannot read \(path): \(reason)."
        case let .invalidManifest(path, reason):
            return "\(path) is not a valid model manifest: \(reason). Retrain the model or restore the bundle from a backup."
        case let .newerFormat(path, found, supported):
            return "\(path) uses bundle format \(found), but this intent reads formats up to \(supported). Upgrade intent to load it."
        case let .unsupportedKind(path, kind):
            return "\(path) holds a model of kind '\(kind)', which this intent cannot run. Upgrade intent, or retrain."
        case .missingFile(let path):
            return "\(path) is missing from the bundle. The bundle is incomplete: copy it again or retrain."
        case let .truncated(path, expected, found):
            return "\(path) is truncated or damaged: \(found) bytes, the manifest says \(expected). Copy the bundle again or retrain."
        case .checksumMismatch(let path):
            return "\(path) does not match the checksum in manifest.json: the file is corrupt. Copy the bundle again or retrain."
        case let .inconsistent(path, reason):
            return "\(path) does not match its manifest: \(reason). Retrain the model."
        case let .writeFailed(path, reason):
            return "cannot write the model bundle to \(path): \(reason). Check that the parent directory exists and is writable."
        }
    }
}
