import Foundation
import Testing
@testable import YimaCodes
@testable import YimaLabels
@testable import YimaCLI
@testable import YimaRecords
@testable import YimaService
@testable import YimaServer
import YimaText

/// One module's catalog with the keys its code uses (its `MessageKey` enum).
struct CatalogUnderTest: Sendable, CustomTestStringConvertible {
    let catalog: MessageCatalog
    let keys: Set<String>

    init<Key: MessageKey>(_: Key.Type) {
        catalog = Key.catalog
        keys = Set(Key.allCases.map(\.rawValue))
    }

    var testDescription: String { catalog.module }
}

/// Every module's catalog. A module that moves its text into a catalog adds one line here
/// (and the module to this test target's dependencies in Package.swift).
let catalogs = [
    CatalogUnderTest(CodesMessage.self),
    CatalogUnderTest(RecordsMessage.self),
    CatalogUnderTest(LabelsMessage.self),
    CatalogUnderTest(ServiceMessage.self),
    CatalogUnderTest(CLIMessage.self),
    CatalogUnderTest(ServerMessage.self),
]

@Suite struct MessageCatalogTests {
    @Test(arguments: catalogs)
    func keysInCodeAndCatalogAgree(_ under: CatalogUnderTest) {
        let inCatalog = Set(under.catalog.templates.keys)
        #expect(under.keys.subtracting(inCatalog).sorted() == [], "keys used in code without text in Messages.json")
        #expect(inCatalog.subtracting(under.keys).sorted() == [], "text in Messages.json no code uses")
    }

    @Test(arguments: catalogs)
    func everyMessageHasEveryLanguage(_ under: CatalogUnderTest) {
        for (key, templates) in under.catalog.templates.sorted(by: { $0.key < $1.key }) {
            for language in Language.allCases {
                let template = templates[language.rawValue] ?? ""
                #expect(!template.trimmingCharacters(in: .whitespaces).isEmpty, "\(key) has no \(language.rawValue) text")
            }
            let known = Set(Language.allCases.map(\.rawValue))
            #expect(Set(templates.keys).subtracting(known).sorted() == [], "\(key) has text in a language Language lacks")
        }
    }

    @Test(arguments: catalogs)
    func everyLanguageShowsTheSamePlaceholders(_ under: CatalogUnderTest) {
        for (key, templates) in under.catalog.templates.sorted(by: { $0.key < $1.key }) {
            let mayOmit = under.catalog.mayOmit[key] ?? []
            let sets = templates.mapValues { Set(MessageCatalog.placeholders(in: $0)) }
            let all = sets.values.reduce(into: Set<String>()) { $0.formUnion($1) }
            for (language, names) in sets.sorted(by: { $0.key < $1.key }) {
                #expect(all.subtracting(names).subtracting(mayOmit).sorted() == [],
                        "\(key): the \(language) text lacks placeholders the others have")
            }
            #expect(mayOmit.subtracting(all).sorted() == [], "\(key): mayOmit names a placeholder no text has")
        }
    }

    @Test func placeholdersAreNamesInBraces() {
        #expect(MessageCatalog.placeholders(in: "商品条码 {gtin} 校验位错误（应为 {expected}）") == ["gtin", "expected"])
        // Braces around anything but a plain name are text.
        #expect(MessageCatalog.placeholders(in: "{} { gtin } {a-b} {{x}") == ["x"])
        let catalog = MessageCatalog(module: "Test", templates: ["k": ["zh": "{{x}} {a-b} {x}", "en": "{x}"]])
        #expect(catalog.text("k", in: .chinese, ["x": "1"]) == "{1} {a-b} 1")
    }

    @Test func formattedMessagesReadAsBefore() {
        #expect(UnitCodeError.badCheckDigit(gtin: "06901234567891", expected: 2).message(in: .chinese)
                == "商品条码 06901234567891 校验位错误（应为 2）")
        #expect(UnitCodeError.invalidValue(ai: "10", value: "a b").message(in: .english)
                == "(10) lot \"a b\" is outside the alphabet A–Z, 0–9, '-' or longer than 20")
        #expect(RecordError(field: "data.count", problem: .missing).message(in: .chinese) == "缺少字段 data.count")
        #expect(EnvelopeError.malformedSignature(byteCount: 63).message(in: .english) == "the signature should be 64 bytes, got 63")
        #expect(GTIN.problem(with: "06901234567890")?.zh == "校验位错误（应为 2）")
        #expect(EventType.inputApplication.name(chinese: false) == "input application")
        #expect(PartyRole.laboratory.name(in: .chinese) == "检测机构")
        #expect(UnitOfMeasure.squareMetre.name(in: true) == "平方米")
        #expect(LabelError(.cannotWrite, ["path": "/x", "reason": "full"]).message(in: .chinese) == "无法写入 /x：full")
        #expect(ServiceError.output(.writeFailedReason, ["path": "/x", "reason": "full"]).message(in: .chinese) == "写入 /x 失败")
        #expect(ServiceError.output(.writeFailedReason, ["path": "/x", "reason": "full"]).message(in: .english) == "cannot write /x: full")
        #expect(VerificationFailure("entries", .logShrank, ["old": 5, "size": 3]).message(in: .chinese) == "[entries] 日志从 5 条缩减为 3 条")
        #expect(CLIMessage.verifyTotal.text(in: .english, ["count": 3, "genuine": 2]) == "2 of 3 codes genuine")
        #expect(APIError(.notFound, "unknown-batch", .unknownBatch, ["gtin": "06901234567892", "lot": "A1"]).message(in: .chinese)
                == "本系统没有批次 06901234567892/A1")
        #expect(ServerMessage.labels(in: .english)["otherLanguage"] == "中文")
    }

    @Test func languageFromTag() {
        #expect(Language(tag: "en-US") == .english)
        #expect(Language(tag: "zh-CN") == .chinese)
        #expect(Language(tag: nil) == .chinese)
        #expect(Language.chinese.rawValue == "zh" && Language.english.rawValue == "en")
    }
}
