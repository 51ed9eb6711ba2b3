import ArgumentParser
import Foundation
import YimaRecords
import YimaService
import YimaText

struct ChainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chain", abstract: "A unit's whole history as a timeline (追溯链).",
        discussion: "Exit status 0 when the code is genuine and the chain intact; 10 forged; 13 not issued by this store; 14 a broken chain (with --verify).")

    @OptionGroup var data: DataOptions
    @Argument(help: "The unit code as scanned.") var code: String
    @Flag(help: "Re-check every signature and hash link of the chain.") var verify = false
    @Flag(help: "Print the chain with every envelope as JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let language = global.language
        var status: Int32 = 0
        try Console.service(language) {
            let resolver = try data.useCases().resolver
            let inspection: ChainInspection
            do {
                inspection = try resolver.inspect(code, verify: verify)
            } catch ServiceError.notFound(let en, let zh) {
                throw Failure(message: language == .chinese ? zh : en, status: ChainInspection.notInStoreStatus)
            }
            status = inspection.exitStatus
            if json {
                Console.printJSON(ChainReport.json(inspection))
            } else {
                print(ChainReport.text(inspection, language: language), terminator: "")
            }
        }
        if status != 0 { throw ExitCode(status) }
    }
}

/// How a chain reads, for people and for machines.
enum ChainReport {
    static func json(_ inspection: ChainInspection) -> JSONValue {
        let chain = inspection.chain
        // Not `ChainEntry.json`: `chain --json` has always written these four fields only.
        func entry(_ entry: ChainEntry) -> JSONValue {
            .object(["id": .string(entry.envelope.recordID.hex), "log_index": .integer(entry.stored.sequence),
                     "record": entry.record.json, "envelope": entry.envelope.json])
        }
        var object: [String: JSONValue] = [
            "code": .string(chain.code.uri),
            "verdict": .string(chain.verdict.name),
            "batch": entry(chain.history.batch),
            "events": .array(chain.history.events.map(entry)),
        ]
        if let product = chain.history.product { object["product"] = entry(product) }
        if let container = chain.container { object["container"] = .string(container) }
        if let problems = inspection.problems { object["problems"] = .array(problems.map { .string($0.description) }) }
        return .object(object)
    }

    static func text(_ inspection: ChainInspection, language: Language) -> String {
        let chain = inspection.chain
        let zh = language == .chinese
        var out = ""
        switch chain.verdict {
        case .genuine(let keyID, let party):
            out += zh ? "✔ 真码：由 \(party) 的密钥 \(keyID) 签发\n" : "✔ genuine: issued by \(party) with key \(keyID)\n"
        case .forged:
            out += zh ? "✘ 伪造：签名与登记的码不符\n" : "✘ forged: the signature does not match the issued code\n"
        case .notIssued:
            out += zh ? "✘ 此码未由本系统签发\n" : "✘ this code was not issued by this system\n"
        case .keyNotValid(let keyID, _, let keyStatus):
            out += "✘ \(keyStatus.message(keyID: keyID, in: language))\n"
        }
        if let recall = chain.recall { out += "⚠ \(recall.message(in: language))\n" }
        if case .product(let product)? = chain.history.product?.record {
            out += zh ? "商品  \(product.name)\(product.variety.map { "（\($0)）" } ?? "")  \(product.gtin)\n"
                      : "product  \(product.nameEnglish ?? product.name)\(product.variety.map { " (\($0))" } ?? "")  \(product.gtin)\n"
            for certificate in product.certificates {
                out += "  \(certificate.kind.rawValue) \(certificate.number) (\(certificate.issuer), \(certificate.validFrom)–\(certificate.validUntil))\n"
            }
        }
        if case .batch(let batch) = chain.history.batch.record {
            out += zh ? "批次  \(batch.lot)  产地 \(batch.origin.place)（\(batch.origin.division)，\(batch.origin.latitude), \(batch.origin.longitude)）  产季 \(batch.season)\n"
                      : "batch  \(batch.lot)  origin \(batch.origin.place) (\(batch.origin.division), \(batch.origin.latitude), \(batch.origin.longitude))  season \(batch.season)\n"
            out += zh ? "  所有者 \(partyName(chain.history.batch))\n" : "  owner \(partyName(chain.history.batch))\n"
        }
        out += zh ? "记录（\(chain.history.events.count) 条，按哈希链顺序）：\n" : "events (\(chain.history.events.count), in hash-chain order):\n"
        for entry in chain.history.events {
            guard case .event(let event) = entry.record else { continue }
            out += "  \(event.time)  \(event.type.name(chinese: zh))  \(partyName(entry))  \(event.data.summary(in: language))\n"
        }
        if let container = chain.container {
            out += zh ? "已装入箱/托盘 \(container)\n" : "packed into \(container)\n"
        }
        if let problems = inspection.problems {
            out += problems.isEmpty
                ? (zh ? "✔ 全部签名与哈希链校验通过\n" : "✔ every signature and hash link verified\n")
                : problems.map { "✘ \($0.message(in: language))\n" }.joined()
        }
        return out
    }

    static func partyName(_ entry: ChainEntry) -> String {
        entry.signer.map { "\($0.name)" } ?? entry.envelope.keyID.hex
    }
}
