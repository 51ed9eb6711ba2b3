import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import PostgresNIO
import YimaCodes
import YimaStore

/// Streams issued units into `units` with `COPY … FROM STDIN`, inside the caller's
/// transaction, in flat memory: the caller's thread calls `produce` and encodes each
/// window, while a task on the store's event loop sends it; at most two windows are
/// in flight.
///
/// postgres-nio offers COPY only as async code. The task runs on the connection's
/// own event loop (`LoopExecutor`), never on Swift's cooperative pool, which the
/// blocked caller may be occupying: the same reasoning as `BlockingConnections`.
enum UnitCopy {
    static func copy(in session: Session, produce: () throws -> [StoredUnit]) throws -> Int {
        let (windows, input) = AsyncStream<ByteBuffer>.makeStream()
        // Two windows of room, given as signals: libdispatch traps when a semaphore
        // is freed below the value it was created with.
        let space = DispatchSemaphore(value: 0)
        space.signal()
        space.signal()
        let finished = DispatchSemaphore(value: 0)
        let state = NIOLockedValueBox(State())
        let connection = session.connection, logger = session.logger

        Task(executorPreference: LoopExecutor(connection.eventLoop)) {
            let result: Result<Void, any Error>
            do {
                try await connection.copyFrom(table: "units", columns: ["gtin", "lot", "serial", "key_id", "signature", "issued_at"],
                                              format: .text(.init()), logger: logger) { writer in
                    for await window in windows {
                        try await writer.write(window)
                        space.signal()
                    }
                    // The producer failed: CopyFail takes the server out of COPY.
                    if state.withLockedValue({ $0.producerFailed }) { throw ProducerFailed() }
                }
                result = .success(())
            } catch {
                result = .failure(error)
            }
            state.withLockedValue { $0.copy = result; $0.done = true }
            space.signal()
            finished.signal()
        }

        var total = 0
        var allocator = ByteBufferAllocator()
        do {
            while true {
                let units = try produce()
                if units.isEmpty { break }
                let window = encode(units, allocator: &allocator)
                space.wait()
                if state.withLockedValue({ $0.done }) { break }  // the server refused; its error follows
                input.yield(window)
                total += units.count
            }
        } catch {
            state.withLockedValue { $0.producerFailed = true }
            input.finish()
            finished.wait()
            throw error
        }
        input.finish()
        finished.wait()
        if case .failure(let error) = state.withLockedValue({ $0.copy! }) {
            throw duplicate(error) ?? error
        }
        return total
    }

    private struct State {
        var producerFailed = false
        var done = false
        var copy: Result<Void, any Error>?
    }

    private struct ProducerFailed: Error {}

    /// COPY's text format: tab-separated columns, one row a line, `\`, tab and line
    /// ends escaped; a bytea as `\\x` and hex.
    static func encode(_ units: [StoredUnit], allocator: inout ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: units.count * 200)
        for unit in units {
            for text in [unit.gtin, unit.lot, unit.serial, unit.keyID] {
                for byte in text.utf8 {
                    switch byte {
                    case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
                    case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
                    case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
                    case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
                    default: buffer.writeInteger(byte)
                    }
                }
                buffer.writeStaticString("\t")
            }
            buffer.writeStaticString("\\\\x")
            for byte in unit.signature {
                buffer.writeInteger(hexDigits[Int(byte >> 4)])
                buffer.writeInteger(hexDigits[Int(byte & 0x0F)])
            }
            buffer.writeString("\t\(unit.issuedAt)\n")
        }
        return buffer
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A unit issued twice, named from the server's "Key (gtin, lot, serial)=(G, L, S)
    /// already exists." (COPY cannot skip conflicts as INSERT does).
    static func duplicate(_ error: any Error) -> StoreError? {
        guard PostgresFailure.sqlState(error) == PostgresFailure.uniqueViolation,
              let detail = (error as? PSQLError)?.serverInfo?[.detail],
              let open = detail.range(of: ")=("), let close = detail.range(of: ") already exists", options: .backwards) else { return nil }
        let values = detail[open.upperBound..<close.lowerBound].components(separatedBy: ", ")
        guard values.count >= 3 else { return .duplicateUnit(String(detail[open.upperBound..<close.lowerBound])) }
        // GTINs have no comma and serials rarely do: the lot is what lies between.
        let lot = values[1..<(values.count - 1)].joined(separator: ", ")
        return .duplicateUnit(BatchKey(gtin: values[0], lot: lot).unit(values[values.count - 1]).description)
    }
}

/// Runs a task's jobs on one event loop: async code that must not wait for a thread
/// of the cooperative pool.
final class LoopExecutor: TaskExecutor {
    let loop: any EventLoop

    init(_ loop: any EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
