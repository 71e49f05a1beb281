/// The layout of a dataset file: tab-separated, comma-separated with a header, JSON lines, or plain text.
///
/// | format  | one record                                   | labels                     |
/// |---------|----------------------------------------------|----------------------------|
/// | `tsv`   | `text<TAB>label` (optional `text\tlabel` header) | second field               |
/// | `csv`   | a row under a header row (RFC 4180 quoting)  | the `label` column         |
/// | `jsonl` | `{"text": "...", "label": "..."}`            | a string or an array       |
/// | `txt`   | one sentence per line                        | none                       |
public enum DatasetFormat: String, CaseIterable, Sendable {
    case tsv, csv, jsonl, txt

    /// The file extensions (lowercase, without the dot) that select each format.
    public var fileExtensions: [String] {
        switch self {
        case .tsv: return ["tsv"]
        case .csv: return ["csv"]
        case .jsonl: return ["jsonl", "ndjson"]
        case .txt: return ["txt"]
        }
    }

    /// Whether records of this format can carry a label (plain text cannot).
    public var carriesLabels: Bool { self != .txt }

    /// The format named by the extension of `path` (case-insensitive): `.tsv`, `.csv`, `.jsonl`/`.ndjson`, `.txt`.
    ///
    /// - Throws: `DatasetError.unknownFormat` for standard input (`-`), a missing or an unknown extension.
    public init(detectingFrom path: String) throws {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
        let ext: String
        if path != "-", let dot = name.lastIndex(of: "."), dot != name.startIndex {
            ext = String(name[name.index(after: dot)...]).lowercased()
        } else {
            ext = ""
        }
        guard let format = DatasetFormat.allCases.first(where: { $0.fileExtensions.contains(ext) }) else {
            throw DatasetError.unknownFormat(path: path, fileExtension: ext)
        }
        self = format
    }
}
