import Dispatch
import GRDB
import Synchronization

/// Runs the SQLite store's writes in shared transactions ("group commit"): writes that arrive
/// while a transaction is being committed wait, and the next transaction runs all of them and
/// commits once. Each write is one statement, so a write that fails (a duplicate key) fails
/// alone — SQLite undoes only that statement — while the others in its transaction commit. A
/// caller resumes only after the transaction holding its write is durable; a commit that fails
/// fails every write in it, and none of them is kept. Callers never block a thread while waiting.
final class GroupCommitWriter: Sendable {
    /// One write: runs its statement and keeps its own outcome until the commit decides it.
    private struct Job: Sendable {
        var run: @Sendable (Database) -> Void
        var finish: @Sendable (StoreError?) -> Void
    }

    private struct Queue {
        var jobs: [Job] = []
        var draining = false
    }

    private let pool: DatabasePool
    private let queue = Mutex(Queue())
    private let dispatch = DispatchQueue(label: "fidokit.sqlite.group-commit")
    /// The most writes one transaction takes.
    let batchLimit: Int

    init(pool: DatabasePool, batchLimit: Int = 512) {
        self.pool = pool
        self.batchLimit = batchLimit
    }

    /// Runs `statement` in the next shared transaction and returns its result once that
    /// transaction has committed.
    func write<T: Sendable>(_ statement: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        let result: Result<T, StoreError> = await withCheckedContinuation { continuation in
            let outcome = Mutex<Result<T, StoreError>?>(nil)
            let job = Job(
                run: { db in
                    do {
                        let value = try statement(db)
                        outcome.withLock { $0 = .success(value) }
                    } catch let error as StoreError {
                        outcome.withLock { $0 = .failure(error) }
                    } catch {
                        outcome.withLock { $0 = .failure(.database("\(error)")) }
                    }
                },
                finish: { commitError in
                    if let commitError {
                        continuation.resume(returning: .failure(commitError))
                    } else {
                        let value = outcome.withLock { $0 } ?? .failure(.database("the write did not run"))
                        continuation.resume(returning: value)
                    }
                }
            )
            self.enqueue(job)
        }
        return try result.get()
    }

    private func enqueue(_ job: Job) {
        let start = self.queue.withLock { queue -> Bool in
            queue.jobs.append(job)
            guard !queue.draining else { return false }
            queue.draining = true
            return true
        }
        if start { self.dispatch.async { self.drain() } }
    }

    /// Commits batches until no write is waiting.
    private func drain() {
        while true {
            let batch = self.queue.withLock { queue -> [Job] in
                let taken = Array(queue.jobs.prefix(self.batchLimit))
                queue.jobs.removeFirst(taken.count)
                if taken.isEmpty { queue.draining = false }
                return taken
            }
            guard !batch.isEmpty else { return }
            var commitError: StoreError?
            do {
                try self.pool.writeWithoutTransaction { db in
                    try db.inTransaction(.immediate) {
                        for job in batch {
                            job.run(db)
                            // I/O errors, a full disk or lost memory can make SQLite roll the
                            // whole transaction back; then no write of the batch is kept.
                            guard db.isInsideTransaction else {
                                throw StoreError.database("the transaction was rolled back")
                            }
                        }
                        return .commit
                    }
                }
            } catch let error as StoreError {
                commitError = error
            } catch {
                commitError = .database("\(error)")
            }
            for job in batch { job.finish(commitError) }
        }
    }
}
