import ArgumentParser
import Foundation
import YimaService

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
            let service = try data.directory.service()
            let chain: UnitChain
            do {
                chain = try service.chain(for: code, fresh: verify)
            } catch ServiceError.notFound(let en, let zh) {
                throw Failure(message: language == .chinese ? zh : en, status: 13)
            }
            let problems = verify ? service.verifyChain(chain) : []
            switch chain.verdict {
            case .genuine: status = problems.isEmpty ? 0 : 14
            case .forged: status = 10
            case .notIssued: status = 13
            }
            if json {
                Console.printJSON(ChainReport.json(chain, problems: problems, verified: verify))
            } else {
                print(ChainReport.text(chain, problems: problems, verified: verify, language: language), terminator: "")
            }
        }
        if status != 0 { throw ExitCode(status) }
    }
}

/// How a chain reads, for people and for machines.
enum ChainReport {
    static func json(_ chain: UnitChain, problems: [String], verified: Bool) -> JSONValue {
        func entry(_ entry: ChainEntry) -> JSONValue {
            .object(["id": .string(entry.envelope.recordID.hex), "log_index": .integer(entry.stored.sequence),
                     "record": entry.record.json, "envelope": entry.envelope.json])
        }
        var object: [String: JSONValue] = [
            "code": .string(chain.code.uri),
            "verdict": .string(verdictName(chain.verdict)),
            "batch": entry(chain.batch),
            "events": .array(chain.events.map(entry)),
        ]
        if let product = chain.product { object["product"] = entry(product) }
        if let container = chain.container { object["container"] = .string(container) }
        if verified { object["problems"] = .array(problems.map(JSONValue.string)) }
        return .object(object)
    }

    static func verdictName(_ verdict: UnitVerdict) -> String {
        switch verdict {
        case .genuine: "genuine"
        case .forged: "forged"
        case .notIssued: "not-issued"
        }
    }

    static func text(_ chain: UnitChain, problems: [String], verified: Bool, language: Language) -> String {
        let zh = language == .chinese
        var out = ""
        switch chain.verdict {
        case .genuine(let keyID, let party):
            out += zh ? "✔ 真码：由 \(party) 的密钥 \(keyID) 签发\n" : "✔ genuine: issued by \(party) with key \(keyID)\n"
        case .forged:
            out += zh ? "✘ 伪造：签名与登记的码不符\n" : "✘ forged: the signature does not match the issued code\n"
        case .notIssued:
            out += zh ? "✘ 此码未由本系统签发\n" : "✘ this code was not issued by this system\n"
        }
        if case .product(let product)? = chain.product?.record {
            out += zh ? "商品  \(product.name)\(product.variety.map { "（\($0)）" } ?? "")  \(product.gtin)\n"
                      : "product  \(product.nameEnglish ?? product.name)\(product.variety.map { " (\($0))" } ?? "")  \(product.gtin)\n"
            for certificate in product.certificates {
                out += "  \(certificate.kind.rawValue) \(certificate.number) (\(certificate.issuer), \(certificate.validFrom)–\(certificate.validUntil))\n"
            }
        }
        if case .batch(let batch) = chain.batch.record {
            out += zh ? "批次  \(batch.lot)  产地 \(batch.origin.place)（\(batch.origin.division)，\(batch.origin.latitude), \(batch.origin.longitude)）  产季 \(batch.season)\n"
                      : "batch  \(batch.lot)  origin \(batch.origin.place) (\(batch.origin.division), \(batch.origin.latitude), \(batch.origin.longitude))  season \(batch.season)\n"
            out += zh ? "  所有者 \(partyName(chain.batch))\n" : "  owner \(partyName(chain.batch))\n"
        }
        out += zh ? "记录（\(chain.events.count) 条，按哈希链顺序）：\n" : "events (\(chain.events.count), in hash-chain order):\n"
        for entry in chain.events {
            guard case .event(let event) = entry.record else { continue }
            out += "  \(event.time)  \(event.type.name(chinese: zh))  \(partyName(entry))  \(summary(event.data, zh: zh))\n"
        }
        if let container = chain.container {
            out += zh ? "已装入箱/托盘 \(container)\n" : "packed into \(container)\n"
        }
        if verified {
            out += problems.isEmpty
                ? (zh ? "✔ 全部签名与哈希链校验通过\n" : "✔ every signature and hash link verified\n")
                : problems.map { "✘ \($0)\n" }.joined()
        }
        return out
    }

    static func partyName(_ entry: ChainEntry) -> String {
        entry.signer.map { "\($0.name)" } ?? entry.envelope.keyID.hex
    }

    /// One line of what an event says.
    static func summary(_ data: EventData, zh: Bool) -> String {
        switch data {
        case .pesticide(let p):
            return zh ? "\(p.name)（\(p.registrationNumber)），\(p.dose.value) \(p.dose.unit)，安全间隔期 \(p.safetyIntervalDays) 天"
                      : "\(p.name) (\(p.registrationNumber)), \(p.dose.value) \(p.dose.unit), safety interval \(p.safetyIntervalDays) days"
        case .fertilizer(let f):
            return "\(f.name) \(f.amount.value) \(f.amount.unit.name(in: zh))"
        case .harvest(let date, let quantity):
            return "\(date) \(quantity.value) \(quantity.unit.name(in: zh))"
        case .inspection(let laboratory, let items, let pass, let report):
            return zh ? "\(laboratory) \(items.count) 项 \(pass ? "合格" : "不合格") 报告 \(report)"
                      : "\(laboratory) \(items.count) items \(pass ? "pass" : "FAIL") report \(report)"
        case .unitIssuance(let count, _):
            return zh ? "\(count) 个码" : "\(count) codes"
        case .packing(let sscc, _):
            return "SSCC \(sscc)"
        case .shipping(let from, let to, let carrier, _, _):
            return "\(from) → \(to) (\(carrier))"
        case .recall(let reason, let action):
            return "\(reason) — \(action)"
        case .planting(let method, let area, let note):
            return [method, area.map { "\($0.value) \($0.unit.name(in: zh))" }, note].compactMap { $0 }.joined(separator: "，")
        case .care(let activity, let note, _):
            return [activity.rawValue, note].compactMap { $0 }.joined(separator: "：")
        case .storing(let location, let temperature, let note):
            return [location, temperature.map { "\($0) °C" }, note].compactMap { $0 }.joined(separator: "，")
        case .receiving(let from, let units, let containers):
            return zh ? "来自 \(from)，\(units.count) 个单品，\(containers.count) 个箱/托" : "from \(from), \(units.count) units, \(containers.count) containers"
        case .retailSelling(let location, let quantity):
            return [location, quantity.map { "\($0.value) \($0.unit.name(in: zh))" }].compactMap { $0 }.joined(separator: "，")
        case .correction(let corrects, let reason, _):
            return zh ? "更正记录 \(corrects.hex.prefix(12))：\(reason)" : "corrects \(corrects.hex.prefix(12)): \(reason)"
        }
    }
}
