import Foundation
import Testing
import YimaFuzzTargets
import YimaTestSupport

/// Every fuzz target over its committed seed corpus and its regressions (inputs that
/// once crashed or broke an invariant), without the sanitizer build: what `make test`
/// runs of the fuzzing (the campaigns themselves are `make fuzz`, Fuzz/README.md).
@Suite struct SeedCorpusTests {
    static func inputs(_ target: FuzzTarget, in folder: String) -> [URL] {
        let url = Repository.root.appendingPathComponent("Fuzz").appendingPathComponent(folder).appendingPathComponent(target.rawValue)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { url.appendingPathComponent($0) }
    }

    @Test(arguments: FuzzTarget.allCases)
    func seedsKeepEveryInvariant(_ target: FuzzTarget) async throws {
        let seeds = Self.inputs(target, in: "corpus")
        #expect(seeds.count >= 3, "Fuzz/corpus/\(target.rawValue) has \(seeds.count) seeds")
        for url in seeds + Self.inputs(target, in: "regressions") {
            let bytes = try [UInt8](Data(contentsOf: url))
            let violation = await Self.onOwnThread { () -> FuzzViolation? in
                do { try target.run(bytes) } catch { return error as? FuzzViolation }
                return nil
            }
            #expect(violation == nil, "\(target.rawValue)/\(url.lastPathComponent): \(violation.map { "\($0)" } ?? "")")
        }
    }

    /// The targets block (the HTTP one waits on a socket for a server in this process):
    /// run them on a thread of their own, never on one of the few the test runner shares.
    static func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: body()) }
        }
    }
}
