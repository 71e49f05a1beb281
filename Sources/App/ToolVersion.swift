/// The version of the `intent` tool, written into every model bundle.
enum ToolVersion {
    static let current = "0.1.0"
}
