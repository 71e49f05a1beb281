import Foundation

/// The bounded queue between the request path and the log writer.
///
/// Handlers only append under a lock (no I/O, no allocation beyond the entry); when the queue holds
/// `capacity` entries the new one is dropped and counted, so a slow disk can never slow down or fail a
/// prediction.
final class RequestLogQueue: @unchecked Sendable {
    let capacity: Int
    private let lock = NSLock()
    private var entries: [RequestLogEntry] = []
    private var droppedCount = 0
    private var writtenCount = 0

    init(capacity: Int) {
        self.capacity = capacity
        entries.reserveCapacity(min(capacity, 4096))
    }

    /// Adds `entry`; false (and one more drop counted) when the queue is full.
    @discardableResult
    func offer(_ entry: RequestLogEntry) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard entries.count < capacity else {
            droppedCount += 1
            return false
        }
        entries.append(entry)
        return true
    }

    /// Takes up to `limit` of the oldest entries.
    func take(upTo limit: Int) -> [RequestLogEntry] {
        lock.lock()
        defer { lock.unlock() }
        if limit >= entries.count {
            let batch = entries
            entries.removeAll(keepingCapacity: true)
            return batch
        }
        let batch = Array(entries.prefix(limit))
        entries.removeFirst(limit)
        return batch
    }

    func markWritten(_ count: Int) {
        lock.lock()
        writtenCount += count
        lock.unlock()
    }

    /// Entries waiting, entries dropped because the queue was full, entries written.
    var counts: (queued: Int, dropped: Int, written: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (entries.count, droppedCount, writtenCount)
    }
}
