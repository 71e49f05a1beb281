import Foundation
import GRDB
import GRDBSQLite
import Logging
import ServiceLifecycle

/// The request log: every prediction into SQLite, written in batches off the request path.
///
/// Runs as a service beside the HTTP server: it wakes every `flushInterval`, writes what the queue
/// holds in one transaction, and applies retention (age, then row count) every minute. On graceful
/// shutdown it runs after the server has stopped (Hummingbird stops its services in reverse order), so
/// it writes every entry of every request that was answered, then returns.
struct RequestLog: Service {
    struct Settings: Sendable, Equatable {
        var path: String
        var textPolicy: RequestLogTextPolicy = .full
        /// Rows older than this are deleted.
        var maxAgeSeconds: Double = Settings.defaultMaxAgeDays * 86_400
        /// At most this many rows are kept (the oldest go first).
        var maxRows: Int = Settings.defaultMaxRows
        /// The defaults `intent serve` starts with (`--request-log-max-rows`, `--request-log-max-age-days`).
        static let defaultMaxRows = 1_000_000, defaultMaxAgeDays = 30.0
        /// Entries the queue holds before it drops: about a second of peak traffic.
        var queueCapacity: Int = 50_000
        var flushInterval: Duration = .milliseconds(200)
        var batchSize: Int = 5_000
    }

    let settings: Settings
    let queue: RequestLogQueue
    let logger: Logger
    private let database: DatabaseQueue

    /// Opens (creating if needed) the log database; a path that cannot be opened is an error at start.
    init(settings: Settings, logger: Logger) throws {
        self.settings = settings
        self.logger = logger
        queue = RequestLogQueue(capacity: settings.queueCapacity)
        let directory = URL(fileURLWithPath: settings.path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.busyMode = .timeout(5)
        // NORMAL in WAL mode: a crash of the machine may lose the last batches, never corrupt the file;
        // a log is not worth an fsync per batch on the serving host.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        database = try DatabaseQueue(path: settings.path, configuration: configuration)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE requests (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    time REAL NOT NULL,
                    request_id TEXT NOT NULL,
                    text TEXT,
                    intent TEXT NOT NULL,
                    confidence REAL NOT NULL,
                    latency_us INTEGER NOT NULL,
                    model_version TEXT NOT NULL
                );
                CREATE INDEX requests_time ON requests(time);
                CREATE INDEX requests_request_id ON requests(request_id);
                """)
        }
        // The request-id index went: its random keys dirtied a page per row (a third of the writer's I/O);
        // finding one request id scans the table, which is rare and bounded by `maxRows`.
        migrator.registerMigration("v2") { db in
            try db.execute(sql: "DROP INDEX IF EXISTS requests_request_id")
        }
        try migrator.migrate(database)
    }

    /// Queues one answer (called on the request path: never blocks on I/O).
    func record(_ entry: RequestLogEntry) {
        var entry = entry
        if let text = entry.text { entry.text = settings.textPolicy.apply(text) }
        queue.offer(entry)
    }

    func run() async throws {
        var lastRetention = ContinuousClock.now
        // Until shutdown: flush on a timer. `cancelWhenGracefulShutdown` ends the sleep promptly.
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: settings.flushInterval) }
            await flush()
            if ContinuousClock.now - lastRetention > .seconds(60) {
                applyRetention()
                lastRetention = .now
            }
        }
        // The server has stopped: everything answered is in the queue now.
        await flush()
        applyRetention()
        let counts = queue.counts
        logger.info("request log flushed", metadata: [
            "intent.request_log.written": "\(counts.written)", "intent.request_log.dropped": "\(counts.dropped)",
        ])
    }

    /// Writes everything queued, in transactions of `batchSize` rows, on GRDB's own writer queue (not a
    /// thread of the cooperative pool the request handlers run on).
    ///
    /// The writes run in a task of their own: cancelling the service must not lose what it took from
    /// the queue (GRDB refuses to start a write in a cancelled task).
    func flush() async {
        await Task { await self.writeQueued() }.value
    }

    private func writeQueued() async {
        while true {
            let batch = queue.take(upTo: settings.batchSize)
            guard !batch.isEmpty else { return }
            do {
                try await database.write { db in
                    let statement = try db.cachedStatement(sql: """
                        INSERT INTO requests (time, request_id, text, intent, confidence, latency_us, model_version)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """)
                    for entry in batch { try Self.insert(entry, with: statement) }
                }
                queue.markWritten(batch.count)
            } catch {
                // A full or read-only disk must not take the API down: the batch is lost and said so.
                logger.error("request log write failed; batch dropped", metadata: [
                    "error": "\(error)", "intent.request_log.rows": "\(batch.count)",
                ])
            }
        }
    }

    /// Binds `entry` straight to the prepared statement and runs it: GRDB's `StatementArguments` box
    /// every value, which cost as much as SQLite's own insert at tens of thousands of rows a second.
    private static func insert(_ entry: RequestLogEntry, with statement: Statement) throws {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        sqlite3_bind_double(handle, 1, entry.time)
        bindText(entry.requestID, at: 2, of: handle)
        if let text = entry.text { bindText(text, at: 3, of: handle) } else { sqlite3_bind_null(handle, 3) }
        bindText(entry.intent, at: 4, of: handle)
        sqlite3_bind_double(handle, 5, Double(entry.confidence))
        sqlite3_bind_int64(handle, 6, Int64(entry.latencyMicroseconds))
        bindText(entry.modelVersion, at: 7, of: handle)
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))))
        }
    }

    /// SQLite copies the bytes (`SQLITE_TRANSIENT`), so the string's storage need not outlive the call.
    private static func bindText(_ string: String, at index: Int32, of handle: OpaquePointer) {
        var string = string
        string.withUTF8 { bytes in
            _ = sqlite3_bind_text(handle, index, bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                                  Int32(bytes.count), sqliteTransient)
        }
    }

    /// `SQLITE_TRANSIENT` (-1 as a destructor), which the C macro gives and Swift cannot import.
    private static let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Deletes rows older than `maxAgeSeconds`, then the oldest beyond `maxRows`.
    func applyRetention(now: Date = Date()) {
        do {
            try database.write { db in
                try db.execute(sql: "DELETE FROM requests WHERE time < ?", arguments: [now.timeIntervalSince1970 - settings.maxAgeSeconds])
                try db.execute(sql: """
                    DELETE FROM requests WHERE id <= (SELECT id FROM requests ORDER BY id DESC LIMIT 1 OFFSET ?)
                    """, arguments: [settings.maxRows])
            }
        } catch {
            logger.error("request log retention failed", metadata: ["error": "\(error)"])
        }
    }

    /// The newest `limit` rows, newest first.
    func recent(limit: Int) throws -> [RequestLogEntry] {
        try database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT time, request_id, text, intent, confidence, latency_us, model_version
                FROM requests ORDER BY id DESC LIMIT ?
                """, arguments: [limit]).map { row in
                RequestLogEntry(time: row[0], requestID: row[1], text: row[2], intent: row[3],
                                confidence: Float(row[4] as Double), latencyMicroseconds: row[5], modelVersion: row[6])
            }
        }
    }

    /// Rows in the log (for tests and `intent serve` diagnostics).
    func rowCount() throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM requests") ?? 0 }
    }
}
