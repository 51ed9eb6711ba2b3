import Foundation
import Synchronization

/// Maps a throwing function over an array on every core, keeping order. Bulk work
/// (signing, verifying, rendering) is CPU-bound, so one contiguous slice per core.
enum ParallelMap {
    static var cores: Int { ProcessInfo.processInfo.activeProcessorCount }

    static func run<Input: Sendable, Output: Sendable>(_ inputs: [Input],
                                                       _ transform: @Sendable (Input) throws -> Output) throws -> [Output] {
        try run(inputs, context: { () }, { _, input in try transform(input) })
    }

    /// As `run`, with per-slice state made by `context` on the worker thread (for
    /// example a reusable signing context) and handed to every call in that slice.
    static func run<Input: Sendable, Output: Sendable, Context>(_ inputs: [Input],
                                                                context: @Sendable () throws -> Context,
                                                                _ transform: @Sendable (Context, Input) throws -> Output) throws -> [Output] {
        let slices = min(inputs.count, max(1, cores * 2))
        guard slices > 1 else {
            let state = try context()
            return try inputs.map { try transform(state, $0) }
        }
        let results = Mutex<[Int: [Output]]>([:])
        let failure = Mutex<(any Error)?>(nil)
        DispatchQueue.concurrentPerform(iterations: slices) { slice in
            let range = inputs.count * slice / slices ..< inputs.count * (slice + 1) / slices
            var outputs = [Output]()
            outputs.reserveCapacity(range.count)
            do {
                let state = try context()
                for index in range {
                    if failure.withLock({ $0 != nil }) { return }
                    outputs.append(try transform(state, inputs[index]))
                }
                results.withLock { $0[slice] = outputs }
            } catch {
                failure.withLock { if $0 == nil { $0 = error } }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return results.withLock { all in (0..<slices).flatMap { all[$0]! } }
    }
}
