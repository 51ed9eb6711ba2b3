import ArgumentParser
import Foundation
import YimaCodes
import YimaService
import YimaText

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify unit codes offline against trusted public keys (离线验码).",
        discussion: """
        Exit status: 0 every code genuine; 10 a code is forged; 11 a code names an \
        unknown key; 12 a code is malformed; 15 a code's key is revoked (trust list); \
        16 a code is recalled (trust list); 1 the trust folder, trust list or input could \
        not be read or saved, or the trust list was refused (expired, issued in the future, \
        older than one already seen); 64 bad usage. With several findings, the \
        lowest non-zero status wins.
        """)

    @Argument(help: "Codes to verify.")
    var codes: [String] = []
    @Option(help: "A file with one code per line ('-' for standard input).")
    var file: String?
    @Option(help: "Folder of trusted public keys (*.pub).")
    var trust: String = "keys"
    @Option(help: "A signed trust list (yima trust export): keys, revocations and recalls; --trust then holds the authority keys.")
    var trustList: String?
    @Option(help: "With --trust-list: the file remembering the highest list version seen per authority key (default: trust-state.json in --trust).")
    var trustState: String?
    @Flag(help: "One JSON object per code, as an array.")
    var json = false
    @Option(help: "Verify CODE's whole chain from its lookup server: signatures, hash links, log inclusion, rules.")
    var online: String?
    @Option(help: "Verify a file written by `yima bundle`, with no network.")
    var bundle: String?
    @Flag(help: "With --bundle: fail (exit 20) unless the bundle proves the code is one its batch's unit issuance committed to.")
    var requireIssuance = false
    @Option(help: "With --online: the lookup server (default: the code's own host).")
    var server: String?
    @Option(help: "The log verifier key, or a file holding it (default: the *.vkey in --trust).")
    var logKey: String?
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let language = global.language
        if online != nil || bundle != nil { return try verifyChain(language) }
        var checks: [CodeCheck] = []
        try Console.run {
            var inputs = codes
            if let file {
                let text: String
                if file == "-" {
                    text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                } else if let data = FileManager.default.contents(atPath: file) {
                    text = String(decoding: data, as: UTF8.self)
                } else {
                    throw Failure(message: CLIMessage.cannotRead.text(in: language, ["path": file]), status: 1)
                }
                inputs += text.split(whereSeparator: \.isNewline).map(String.init)
                    .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            }
            guard !inputs.isEmpty else {
                throw Failure(message: CLIMessage.verifyNoCodes.text(in: language), status: 64)
            }
            do throws(ServiceError) {
                let state = trustState ?? (trust as NSString).appendingPathComponent(TrustState.defaultName)
                checks = try CodeVerification.run(inputs, trustFolder: trust, trustList: trustList, trustState: state)
            } catch { throw error.failure(language) }
            json ? printJSON(checks, language) : printText(checks, language)
        }
        let status = CodeVerification.exitStatus(checks)
        if status != 0 { throw ExitCode(status) }
    }

    private func printText(_ checks: [CodeCheck], _ language: Language) {
        var out = ""
        for check in checks {
            out += "\(check.verdict.isGenuine ? "✔" : "✘") \(check.verdict.message(in: language))\n"
            if let status = check.keyStatus, !status.isValid, case .genuine(let key) = check.verdict {
                out += "✘ \(status.message(keyID: key.id.hex, in: language))\n"
            }
            if let recall = check.recall { out += "⚠ \(recall.message(in: language))\n" }
            out += "    \(check.scanned)\n"
        }
        let genuine = checks.filter(\.verdict.isGenuine).count
        out += CLIMessage.verifyTotal.text(in: language, ["count": checks.count, "genuine": genuine]) + "\n"
        print(out, terminator: "")
    }

    private func printJSON(_ checks: [CodeCheck], _ language: Language) {
        let objects: [[String: Any]] = checks.map { check in
            var object: [String: Any] = ["code": check.scanned, "verdict": check.verdict.name,
                                         "message": check.verdict.message(in: language)]
            if let code = check.code {
                object["gtin"] = code.gtin
                object["lot"] = code.lot
                object["serial"] = code.serial
            }
            if case .genuine(let key) = check.verdict {
                object["keyId"] = key.id.hex
                object["algorithm"] = key.algorithm.rawValue
            }
            if let status = check.keyStatus { object["keyStatus"] = status.name }
            if let recall = check.recall {
                object["recall"] = ["reason": recall.reason, "action": recall.action, "time": recall.time.rawValue,
                                    "by": recall.by.rawValue, "record": recall.recordID.hex]
            }
            return object
        }
        let data = (try? JSONSerialization.data(withJSONObject: objects, options: [.sortedKeys, .prettyPrinted])) ?? Data()
        print(String(decoding: data, as: UTF8.self))
    }
}
