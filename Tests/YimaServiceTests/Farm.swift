import Foundation
import Testing
import YimaCodes
import YimaCrypto
import YimaRecords
import YimaService
import YimaStore
import YimaTestSupport

/// A real data folder (the store on `engine`, authority key on disk) with the parties of a
/// 周至 kiwifruit season: a cooperative that grows and packs, a second family farm,
/// the county testing station and a cold-chain carrier, every key freshly generated.
final class Farm: @unchecked Sendable {
    static let gtin = "02961012400074"  // county-assigned: 周至县 610124, item 0007
    static let lot = "2026-KIWI-07"
    static let batchKey = "\(gtin)/\(lot)"
    static let reference = try! BatchReference(key: batchKey)
    static let coopID = "zhouzhi-kiwi-coop"
    static let farmID = "louguan-lvyuan-farm"
    static let labID = "zhouzhi-qc-lab"
    static let carrierID = "qinling-cold-chain"
    static let china = TimeZone(identifier: "Asia/Shanghai")!

    let dir: TemporaryDirectory
    let data: DataDirectory
    /// The use cases, as the command line and the server get them.
    let useCases: UseCases
    /// The store itself, for tests that look at what was written.
    let store: any TraceStore
    let engine: Engine
    let authority: PrivateKey
    let coop: PrivateKey
    let familyFarm: PrivateKey
    let lab: PrivateKey
    let carrier: PrivateKey
    /// When the farm was set up; history is dated before it.
    let now = Date()
    /// Every envelope stored while setting up, in order.
    private(set) var envelopes: [Envelope] = []

    /// Registers the parties, and unless `bare`, the product, the batch, a planting
    /// 60 days ago and a 吡虫啉 spray 30 days ago (14-day safety interval).
    init(_ engine: Engine = .sqlite, bare: Bool = false) throws {
        self.engine = engine
        dir = try TemporaryDirectory()
        data = DataDirectory(path: dir.file("data"), database: try engine.newDatabase())
        let authorityPublic = try data.initialize(authorityAlgorithm: .ed25519)
        authority = try KeyFile.loadPrivate(dir.file("data/authority/authority.key"))
        #expect(authority.id == authorityPublic?.id)
        useCases = try data.useCases()
        store = try data.openStore()
        coop = try PrivateKey.generate(.ed25519)
        familyFarm = try PrivateKey.generate(.ed25519)
        lab = try PrivateKey.generate(.ed25519)
        carrier = try PrivateKey.generate(.ed25519)

        try register(Self.party(Self.coopID, name: "周至县猕猴桃专业合作社", roles: ["cooperative", "producer"],
                                credit: "93610124MA6TQ3KX0C", address: "陕西省西安市周至县楼观镇周一村", key: coop))
        try register(Self.party(Self.farmID, name: "周至县楼观镇绿源家庭农场", roles: ["producer"],
                                credit: "91610124MA6TG7HJ0T", address: "陕西省西安市周至县楼观镇西楼村", key: familyFarm))
        try register(Self.party(Self.labID, name: "周至县农产品质量安全检测站", roles: ["laboratory"],
                                credit: "126101244352015869", address: "陕西省西安市周至县二曲街道", key: lab))
        try register(Self.party(Self.carrierID, name: "西安秦岭冷链物流有限公司", roles: ["carrier"],
                                credit: "91610100MA6U2L8B0U", address: "陕西省西安市未央区", key: carrier))
        guard !bare else { return }
        try keep(recording.submit(draft: Self.product(), kind: .product, key: coop))
        try keep(recording.submit(draft: Self.batch(), kind: .batch, key: coop))
        try submitEvent("planting", daysAgo: 60, data: """
            {"method":"嫁接苗定植","area":{"unit":"MTK","value":"6670"},"note":"徐香，株行距 3×4 米"}
            """)
        try submitEvent("input_application", daysAgo: 30, data: Self.spray("吡虫啉", date: date(daysAgo: 30), interval: 14))
    }

    private func register(_ draft: JSONValue) throws {
        try keep(recording.submit(draft: draft, kind: .party, key: authority))
    }

    private func keep(_ result: (StoredRecord, Record)) throws {
        envelopes.append(try Envelope(encoded: result.0.envelope))
    }

    // MARK: Use cases

    var recording: Recording { useCases.recording }
    var issuance: Issuance { useCases.issuance }
    var labelling: Labelling { useCases.labelling }
    var resolver: CodeResolver { useCases.resolver }
    var keys: Keys { useCases.keys }
    var registry: Registry { useCases.registry }
    var transparency: Transparency { useCases.transparency }
    var recalls: Recalls { useCases.recalls }
    var certificates: Certificates { useCases.certificates }
    var reports: Reports { useCases.reports }
    var scanCounting: ScanCounting { useCases.scanCounting }

    // MARK: Drafts

    static func json(_ text: String) -> JSONValue {
        try! CanonicalJSON.parse(Array(text.utf8))
    }

    static func party(_ id: String, name: String, roles: [String], credit: String, address: String, key: PrivateKey) -> JSONValue {
        .object(["id": .string(id), "name": .string(name), "roles": .array(roles.map(JSONValue.string)),
                 "credit_code": .string(credit), "address": .string(address), "contact": "029-87000000",
                 "public_keys": [.object(["alg": .string(key.algorithm.rawValue), "kid": .string(key.id.hex),
                                          "spki": .string(Base64.encode(key.publicKey.subjectPublicKeyInfo))])]])
    }

    static func product(gtin: String = gtin) -> JSONValue {
        json("""
            {"gtin":"\(gtin)","name":"周至猕猴桃","name_en":"Zhouzhi kiwifruit","variety":"徐香","category":"fruit",
             "certificates":[{"type":"geographical_indication","number":"AGI00123","issuer":"农业农村部",
                              "valid_from":"2024-01-01","valid_until":"2028-12-31"}]}
            """)
    }

    static func batch(lot: String = lot, owner: String? = nil) -> JSONValue {
        json("""
            {"gtin":"\(gtin)","lot":"\(lot)",\(owner.map { "\"owner\":\"\($0)\"," } ?? "")
             "origin":{"division":"610124103201","lat":"34.0812","lon":"108.3305","place":"楼观镇周一村 3 号地块"},
             "season":"2026","quantity":{"unit":"KGM","value":"12000"}}
            """)
    }

    static func spray(_ name: String, ingredient: String? = nil, date: String, interval: Int) -> String {
        """
        {"input":"pesticide","name":"\(name)","registration_number":"PD20080123","active_ingredient":"\(ingredient ?? name + " 10%")",
         "dose":{"unit":"克/亩","value":"20"},"method":"喷雾","date":"\(date)","safety_interval_days":\(interval)}
        """
    }

    // MARK: Times (China Standard Time, in the past, moving forward)

    static func time(_ date: Date) -> String { format(date, "yyyy-MM-dd'T'HH:mm:ssxxx") }

    /// `daysAgo: 0` is the clock now, not the farm's start: unit issuance is stamped
    /// when it runs, and an event after it must not look earlier under a slow machine.
    func time(daysAgo days: Double) -> String { Self.time(days == 0 ? Date() : now.addingTimeInterval(-days * 86_400)) }
    func date(daysAgo days: Double) -> String { Self.format(now.addingTimeInterval(-days * 86_400), "yyyy-MM-dd") }

    static func format(_ date: Date, _ pattern: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = china
        formatter.dateFormat = pattern
        return formatter.string(from: date)
    }

    // MARK: Writing and reading

    /// Signs an event draft (the service fills actor and prev) and submits it.
    @discardableResult
    func submitEvent(_ type: String, daysAgo: Double, data: String, key: PrivateKey? = nil) throws -> StoredRecord {
        try submitEvent(type, time: time(daysAgo: daysAgo), data: data, key: key)
    }

    @discardableResult
    func submitEvent(_ type: String, time: String, data: String, key: PrivateKey? = nil) throws -> StoredRecord {
        let draft = Self.json("""
            {"type":"\(type)","batch":{"gtin":"\(Self.gtin)","lot":"\(Self.lot)"},"time":"\(time)","data":\(data)}
            """)
        let (stored, _) = try recording.submit(draft: draft, kind: .event, key: key ?? coop)
        envelopes.append(try Envelope(encoded: stored.envelope))
        return stored
    }

    /// A complete event envelope, signed as given: nothing is filled in.
    func envelope(_ type: String, actor: String = coopID, prev: String? = nil, time: String, data: String,
                  lot: String = lot, key: PrivateKey? = nil) throws -> Envelope {
        var head = prev ?? ""
        if prev == nil { head = Hex.encode(try #require(try store.batch(key: Self.batchKey)).headID) }
        let record = try Record(json: Self.json("""
            {"v":1,"kind":"event","type":"\(type)","batch":{"gtin":"\(Self.gtin)","lot":"\(lot)"},"prev":"\(head)",
             "time":"\(time)","actor":"\(actor)","data":\(data)}
            """))
        return try Envelope.sign(record, with: key ?? coop)
    }

    struct Snapshot: Equatable {
        let records: Int64
        let batch: BatchState?
        let parties: Int
        let products: Int
    }

    /// What a rejected submission must leave exactly as it was.
    func snapshot() throws -> Snapshot {
        Snapshot(records: try store.recordCount(), batch: try store.batch(key: Self.batchKey),
                 parties: try store.records(kind: .party).count, products: try store.records(kind: .product).count)
    }

    /// The batch's events as stored, decoded.
    func events() throws -> [(id: RecordID, event: Event)] {
        try store.records(batchKey: Self.batchKey).compactMap { stored in
            let envelope = try Envelope(encoded: stored.envelope)
            guard case .event(let event) = try Record(payload: envelope.payload) else { return nil }
            return (envelope.recordID, event)
        }
    }

    /// A passing inspection by the laboratory, one item per name, a day ago.
    @discardableResult
    func inspect(_ names: [String], daysAgo: Double = 1) throws -> StoredRecord {
        let items = names.map { #"{"name":"\#($0)","method":"GB 23200.121-2021","result":"未检出","limit":"0.5","unit":"mg/kg","pass":true}"# }
        return try submitEvent("inspection", daysAgo: daysAgo, data: """
            {"laboratory":"\(Self.labID)","report_number":"ZZ-2026-\(names.count)","pass":true,"items":[\(items.joined(separator: ","))]}
            """, key: lab)
    }

    /// Issues `count` codes for the batch into a fresh folder and returns them.
    func issue(_ count: Int, key: PrivateKey? = nil) throws -> [UnitCode] {
        let out = dir.file("labels-\(UUID().uuidString)")
        let request = IssueRequest(key: key ?? coop, base: try ResolverBase("https://trace.zhouzhi.gov.cn"), gtin: "", lot: "",
                                   count: count, outputDirectory: out, formats: [.txt])
        let summary = try issuance.issueUnits(batch: Self.reference, request: request)
        #expect(summary.count == count)
        let text = try String(contentsOfFile: out + "/codes.txt", encoding: .utf8)
        return try text.split(separator: "\n").map { try UnitCode.parse(String($0)) }
    }
}
