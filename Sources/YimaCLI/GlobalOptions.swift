import ArgumentParser
import Foundation
import Synchronization
import YimaService
import YimaText

/// Options every command shares.
public struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("lang"), help: "Language of messages: zh (default) or en. Also YIMA_LANG.")
    var languageTag: String?

    public init() {}

    public var language: Language {
        Language(tag: languageTag ?? ProcessInfo.processInfo.environment["YIMA_LANG"])
    }
}

/// Ends the command with a message on stderr and a documented exit status.
struct Failure: Error, CustomStringConvertible {
    let message: String
    let status: Int32
    var description: String { message }
}

extension ServiceError {
    func failure(_ language: Language, status: Int32 = 1) -> Failure {
        Failure(message: message(in: language), status: status)
    }
}

public enum Console {
    public static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Runs `body`, turning a `Failure` into its message and exit status.
    static func run(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let failure as Failure {
            error(failure.message)
            throw ExitCode(failure.status)
        }
    }

    /// A progress line on stderr: a bar redrawn in place on a terminal, once per tenth
    /// otherwise, so logs stay short.
    static func progress(_ label: String) -> @Sendable (Int, Int) -> Void {
        let terminal = isatty(2) == 1
        let lastTenth = Mutex(-1)
        return { done, total in
            guard total >= 1000 else { return }
            let percent = done * 100 / total
            if terminal {
                let filled = done * 30 / total
                let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: 30 - filled)
                FileHandle.standardError.write(Data("\r\(label) \(bar) \(done)/\(total) (\(percent)%)\(done == total ? "\n" : "")".utf8))
            } else if lastTenth.withLock({ last in
                defer { last = percent / 10 }
                return percent / 10 != last
            }) {
                error("\(label) \(done)/\(total) (\(percent)%)")
            }
        }
    }
}
