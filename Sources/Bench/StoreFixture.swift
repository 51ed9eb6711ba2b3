// A throwaway Yima data folder with a registered party, product and batches, built
// through the service API exactly as `yima init`, `party add`, `product add` and
// `batch create` build them from JSON drafts (docs/records.md).
import Foundation
import YimaCodes
import YimaCrypto
import YimaRecords
import YimaService
import YimaStore

final class StoreFixture {
    static let gtin = "06901234567892"
    static let partyID = "bench-kiwi-coop"

    let directory: String
    let data: DataDirectory
    /// The use cases over the folder, and its store for benchmarks that time it alone.
    let useCases: UseCases
    let store: any TraceStore
    let authority: PrivateKey
    let producer: PrivateKey

    /// With `postgres` (a superuser URL), the store is a new database in that cluster.
    init(_ name: String, postgres: String? = nil) throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("yima-bench-store-\(getpid())-\(name)").path
        try? FileManager.default.removeItem(atPath: directory)
        data = DataDirectory(path: directory, database: try postgres.map { try Self.newDatabase($0, name: "yima_bench_\(getpid())_\(name)") })
        _ = try data.initialize(authorityAlgorithm: .ed25519)
        authority = try KeyGeneration.loadPrivateKey((data.authorityFolder as NSString).appendingPathComponent("authority.key"),
                                                     passphraseFile: nil)
        useCases = try data.useCases()
        store = try data.openStore()
        producer = try PrivateKey.generate(.ed25519)

        try useCases.recording.submit(draft: .object([
            "id": .string(Self.partyID),
            "name": .string("周至县猕猴桃专业合作社（基准测试）"),
            "roles": .array([.string("cooperative"), .string("producer")]),
            "credit_code": .string("91350100M000100Y43"),
            "address": .string("陕西省西安市周至县楼观镇"),
            "public_keys": .array([.object([
                "alg": .string(producer.algorithm.rawValue), "kid": .string(producer.id.hex),
                "spki": .string(Base64.encode(producer.publicKey.subjectPublicKeyInfo)),
            ])]),
        ]), kind: .party, key: authority)
        try useCases.recording.submit(draft: .object([
            "gtin": .string(Self.gtin), "name": .string("周至猕猴桃"), "variety": .string("徐香"),
            "category": .string("fruit"), "certificates": .array([]),
        ]), kind: .product, key: producer)
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    /// A new database `name` in the cluster at `admin`, by URL.
    static func newDatabase(_ admin: String, name: String) throws -> String {
        let created = try runTool("psql", ["-X", "-q", "-d", admin, "-c", "DROP DATABASE IF EXISTS \(name)", "-c", "CREATE DATABASE \(name)"])
        precondition(created.status == 0, "psql could not create \(name)")
        var components = URLComponents(string: admin)!
        components.path = "/" + name
        return components.string!
    }

    /// Creates batch `lot`; returns its store key `GTIN/LOT`.
    @discardableResult
    func createBatch(_ lot: String) throws -> String {
        try useCases.recording.submit(draft: .object([
            "gtin": .string(Self.gtin), "lot": .string(lot),
            "origin": .object(["division": .string("610124103201"), "lat": .string("34.0812"),
                               "lon": .string("108.3305"), "place": .string("楼观镇周一村 3 号地块")]),
            "season": .string("2026"),
            "quantity": .object(["unit": .string("KGM"), "value": .string("12000")]),
        ]), kind: .batch, key: producer)
        return "\(Self.gtin)/\(lot)"
    }

    /// An irrigation event draft for batch `lot` at Unix time `time` (shown at +08:00).
    static func careDraft(lot: String, time: Int64, note: Int) -> JSONValue {
        .object([
            "type": .string("care"),
            "batch": .object(["gtin": .string(gtin), "lot": .string(lot)]),
            "time": .string(rfc3339(time)),
            "data": .object(["activity": .string("irrigation"), "note": .string("滴灌 2 小时 #\(note)")]),
        ])
    }

    /// `YYYY-MM-DDThh:mm:ss+08:00` for a Unix time.
    static func rfc3339(_ unix: Int64) -> String {
        var seconds = time_t(unix + 8 * 3600)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d+08:00", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    /// Bytes on disk of the store: (database file, -wal, -shm).
    func databaseBytes() -> (main: Int, wal: Int, shm: Int) {
        let path = (directory as NSString).appendingPathComponent(SQLiteStore.fileName)
        func size(_ file: String) -> Int {
            ((try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? NSNumber)?.intValue ?? 0
        }
        return (size(path), size(path + "-wal"), size(path + "-shm"))
    }
}
