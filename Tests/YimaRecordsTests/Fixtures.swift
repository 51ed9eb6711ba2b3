import Foundation
import YimaCrypto
import YimaTestSupport
@testable import YimaRecords

/// Sample records and the committed test key (TEST KEY — never use in production).
enum Fixtures {
    static let directory = Repository.root.appendingPathComponent("Tests/YimaRecordsTests/fixtures")
    static let privateKeyPath = directory.appendingPathComponent("test-ed25519.key").path
    static let publicKeyPath = directory.appendingPathComponent("test-ed25519.pub").path

    static var testKey: PrivateKey {
        try! PrivateKey(pem: String(contentsOfFile: privateKeyPath, encoding: .utf8))
    }

    static let gtin = try! GTIN("06901234567892")
    static let lot = try! Lot("2026-KIWI-07")
    static let batchReference = BatchReference(gtin: gtin, lot: lot)
    static let producerID = try! PartyID("zhouzhi-kiwi-coop")

    static func date(_ text: String) -> CalendarDate { try! CalendarDate(text) }
    static func time(_ text: String) -> Timestamp { try! Timestamp(text) }
    static func decimal(_ text: String) -> DecimalString { try! DecimalString(text) }
    static func kilograms(_ value: String) -> Quantity { try! Quantity(value: decimal(value), unit: .kilogram) }

    static var producer: Party {
        try! Party(id: producerID, name: "周至县猕猴桃专业合作社", roles: [.cooperative, .producer],
                   identifier: .creditCode(UnifiedSocialCreditCode(validCreditCode)),
                   address: "陕西省西安市周至县楼观镇", contact: "029-87000000",
                   publicKeys: [PartyPublicKey(testKey.publicKey)])
    }

    /// A credit code with a correct GB 32100-2015 check character (computed by the standard's algorithm).
    static let validCreditCode = "91350100M000100Y43"

    static var product: Product {
        try! Product(gtin: gtin, name: "周至猕猴桃", nameEnglish: "Zhouzhi kiwifruit", variety: "徐香", category: .fruit,
                     certificates: [Certificate(kind: .geographicalIndication, number: "AGI00123", issuer: "农业农村部",
                                                validFrom: date("2024-01-01"), validUntil: date("2028-12-31"))])
    }

    static var batch: Batch {
        try! Batch(gtin: gtin, lot: lot, owner: producerID,
                   origin: Origin(division: DivisionCode("610124103201"), place: "楼观镇周一村 3 号地块",
                                  latitude: decimal("34.0812"), longitude: decimal("108.3305")),
                   season: "2026", quantity: kilograms("12000"))
    }

    static var batchID: RecordID { Record.batch(batch).id }

    static var pesticideEvent: Event {
        try! Event(batch: batchReference, previous: batchID, time: time("2026-08-20T07:30:00+08:00"), actor: producerID,
                   data: .pesticide(PesticideApplication(
                    name: "吡虫啉", registrationNumber: PesticideRegistrationNumber("PD20080123"),
                    activeIngredient: "吡虫啉 10%", dose: Dose(value: decimal("0.75"), unit: "克/升"),
                    method: "喷雾", date: date("2026-08-20"), safetyIntervalDays: 14)))
    }
}
