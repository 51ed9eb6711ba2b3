import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import YimaCodes
import YimaCrypto
import YimaRecords
import YimaServer
import YimaService
import YimaStore
import YimaTestSupport

/// A data folder seeded through the service API: an authority, a cooperative and a
/// laboratory, a product with a certificate, a batch with pesticide, fertilizer,
/// harvest and inspection events, and issued unit codes.
final class ServerFixture: @unchecked Sendable {
    static let gtin = "06901234567892"
    static let lot = "2026-KIWI-07"
    static let producerID = "zhouzhi-kiwi-coop"
    static let labID = "xian-lab"
    static let batch = try! BatchReference(key: "\(gtin)/\(lot)")

    let temporary: TemporaryDirectory
    let directory: DataDirectory
    /// The use cases over the fixture's folder.
    let service: UseCases
    /// The fixture's store itself, for tests that check what was (not) written.
    let store: any TraceStore
    let engine: Engine
    let authority: PrivateKey
    let producer: PrivateKey
    let laboratory: PrivateKey
    let stranger: PrivateKey
    let secret: ServerSecret
    /// The issued codes, as printed.
    let codes: [String]
    let issueOutput: String

    /// `database`: a PostgreSQL database of the test's own (else a new one of `engine`).
    init(_ engine: Engine = .sqlite, units: Int = 4, database: String? = nil) throws {
        self.engine = database == nil ? engine : .postgres
        temporary = try TemporaryDirectory()
        directory = DataDirectory(path: temporary.file("data"), database: try database ?? engine.newDatabase())
        _ = try directory.initialize(authorityAlgorithm: .ed25519)
        authority = try KeyGeneration.loadPrivateKey((directory.authorityFolder as NSString).appendingPathComponent("authority.key"),
                                                     passphraseFile: nil)
        service = try directory.useCases()
        store = try directory.openStore()
        secret = try ServerSecret.load(directory)
        producer = try PrivateKey.generate(.ed25519)
        laboratory = try PrivateKey.generate(.sm2)
        stranger = try PrivateKey.generate(.ed25519)

        try service.recording.submit(draft: Self.party(Self.producerID, "周至县猕猴桃专业合作社", roles: ["cooperative", "producer"],
                                             credit: "91350100M000100Y43", key: producer), kind: .party, key: authority)
        try service.recording.submit(draft: Self.party(Self.labID, "西安农产品质量检测中心", roles: ["laboratory"],
                                             credit: "91610124MA6TG00005", key: laboratory), kind: .party, key: authority)
        try service.recording.submit(draft: Self.json("""
            {"gtin":"\(Self.gtin)","name":"周至猕猴桃","name_en":"Zhouzhi kiwifruit","variety":"徐香","category":"fruit",
             "certificates":[{"type":"geographical_indication","number":"AGI00123","issuer":"农业农村部",
                              "valid_from":"2024-01-01","valid_until":"2028-12-31"}]}
            """), kind: .product, key: producer)
        try service.recording.submit(draft: Self.json("""
            {"gtin":"\(Self.gtin)","lot":"\(Self.lot)","season":"2026","quantity":{"unit":"KGM","value":"12000"},
             "origin":{"division":"610124103201","place":"楼观镇周一村 3 号地块","lat":"34.0812","lon":"108.3305"}}
            """), kind: .batch, key: producer)
        try Self.event(service, producer, "input_application", "2026-08-20T07:30:00+08:00", """
            {"input":"pesticide","name":"吡虫啉","registration_number":"PD20080123","active_ingredient":"吡虫啉 10%",
             "dose":{"unit":"克/升","value":"0.75"},"method":"喷雾","date":"2026-08-20","safety_interval_days":14}
            """)
        try Self.event(service, producer, "input_application", "2026-08-22T08:00:00+08:00", """
            {"input":"fertilizer","name":"腐熟羊粪","type":"有机肥","amount":{"unit":"KGM","value":"800"},"date":"2026-08-22"}
            """)
        try Self.event(service, producer, "harvest", "2026-09-15T08:30:00+08:00", """
            {"date":"2026-09-15","quantity":{"unit":"KGM","value":"11800"}}
            """)
        try Self.event(service, laboratory, "inspection", "2026-09-16T10:00:00+08:00", """
            {"laboratory":"\(Self.labID)","report_number":"XA-2026-0915","pass":true,
             "items":[{"name":"吡虫啉","method":"GB 23200.121-2021","result":"0.01","limit":"2","unit":"mg/kg","pass":true},
                      {"name":"毒死蜱","method":"GB 23200.113-2018","result":"未检出","limit":"0.02","unit":"mg/kg","pass":true}]}
            """)
        issueOutput = temporary.file("labels")
        _ = try service.issuance.issueUnits(batch: Self.batch,
                                   request: IssueRequest(key: producer, base: try ResolverBase("https://trace.example.cn"),
                                                         gtin: Self.gtin, lot: Self.lot, count: units, outputDirectory: issueOutput))
        codes = try String(contentsOfFile: (issueOutput as NSString).appendingPathComponent("codes.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
    }

    /// A lookup server over the fixture's folder.
    func server(_ adjust: (inout ServerConfiguration) -> Void = { _ in }) async throws -> TraceServer {
        var configuration = ServerConfiguration(templates: Repository.root.appendingPathComponent("templates").path)
        configuration.trustForwardedFor = true
        configuration.copyWarningClients = 3
        configuration.scanFlushInterval = .milliseconds(20)
        adjust(&configuration)
        var logger = Logger(label: "yima.test")
        logger.logLevel = .warning
        return try await TraceServer(useCases: service, secret: secret, configuration: configuration, logger: logger)
    }

    static func event(_ service: UseCases, _ key: PrivateKey, _ type: String, _ time: String, _ data: String) throws {
        try service.recording.submit(draft: Self.json("""
            {"type":"\(type)","time":"\(time)","batch":{"gtin":"\(Self.gtin)","lot":"\(Self.lot)"},"data":\(data)}
            """), kind: .event, key: key)
    }

    /// A signed event envelope (not submitted).
    func signedEvent(_ type: String, _ time: String, _ data: String, key: PrivateKey? = nil) throws -> Envelope {
        try service.recording.sign(draft: Self.json("""
            {"type":"\(type)","time":"\(time)","batch":{"gtin":"\(Self.gtin)","lot":"\(Self.lot)"},"data":\(data)}
            """), kind: .event, key: key ?? producer)
    }

    /// The path and query of a code (what a phone requests).
    static func target(_ code: String) -> String {
        let afterScheme = code.range(of: "://")!.upperBound
        return String(code[code[afterScheme...].firstIndex(of: "/")!...])
    }

    static func party(_ id: String, _ name: String, roles: [String], credit: String, key: PrivateKey) -> JSONValue {
        .object([
            "id": .string(id), "name": .string(name), "roles": .array(roles.map(JSONValue.string)),
            "credit_code": .string(credit), "address": .string("陕西省西安市周至县"),
            "public_keys": .array([.object(["alg": .string(key.algorithm.rawValue), "kid": .string(key.id.hex),
                                            "spki": .string(Base64.encode(key.publicKey.subjectPublicKeyInfo))])]),
        ])
    }

    static func json(_ text: String) throws -> JSONValue {
        try CanonicalJSON.parse(Array(text.utf8))
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var json: JSONValue? { try? CanonicalJSON.parse(Array(body.readableBytesView)) }
}

extension JSONValue {
    subscript(_ key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }
    var string: String? { if case .string(let value) = self { value } else { nil } }
    var integer: Int64? { if case .integer(let value) = self { value } else { nil } }
    var bool: Bool? { if case .bool(let value) = self { value } else { nil } }
    var array: [JSONValue]? { if case .array(let value) = self { value } else { nil } }
}
