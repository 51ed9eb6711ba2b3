import Foundation
import YimaFuzzTargets

/// libFuzzer's entry points. SwiftPM links an executable's `main` to `yima_fuzz_main`,
/// so that is where libFuzzer's driver starts (`LLVMFuzzerRunDriver`, in the runtime
/// `-sanitize=fuzzer` links). The target is named by `YIMA_FUZZ_TARGET` (one of
/// `FuzzTarget`'s raw values). An invariant broken is a crash, so that libFuzzer saves the
/// input (Fuzz/README.md: each becomes a regression test).
nonisolated(unsafe) private var target: FuzzTarget = .code

@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(_ argc: UnsafeMutablePointer<CInt>,
               _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
               _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

@_cdecl("yima_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    let name = ProcessInfo.processInfo.environment["YIMA_FUZZ_TARGET"] ?? ""
    guard let chosen = FuzzTarget(rawValue: name) else {
        fatalError("set YIMA_FUZZ_TARGET to one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: " "))")
    }
    target = chosen
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return runDriver(&count, &arguments, testOneInput)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    do { try target.run(bytes) } catch { fatalError("\(target.rawValue): \(error)") }
    return 0
}
