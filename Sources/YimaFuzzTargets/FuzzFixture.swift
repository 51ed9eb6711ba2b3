import Foundation
import Hummingbird
import Logging
import YimaCodes
import YimaCrypto
import YimaRecords
import YimaServer
import YimaService
import YimaStore

/// The fixture's folder, removed when the process exits.
nonisolated(unsafe) private var fixtureFolder: String?

/// A real data folder (SQLite) seeded through the service, for the targets that need
/// a store: CSV import, and raw HTTP into a `yima serve` pipeline run in this process
/// on a loopback port. Built once per process, on first use.
final class FuzzFixture: @unchecked Sendable {
    static let shared: FuzzFixture = {
        do { return try FuzzFixture() } catch { fatalError("yima fuzz: cannot build the fixture: \(error)") }
    }()

    static let gtin = "06901234567892"
    static let lot = "2026-KIWI-07"

    let folder: String
    let service: UseCases
    let store: any TraceStore
    let producer: PrivateKey
    /// The path and query of each issued code, as a phone requests it.
    let codeTargets: [String]
    private(set) var port: Int = 0

    private init() throws {
        folder = NSTemporaryDirectory() + "yima-fuzz-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        fixtureFolder = folder
        atexit { if let folder = fixtureFolder { try? FileManager.default.removeItem(atPath: folder) } }
        let directory = DataDirectory(path: folder + "/data")
        _ = try directory.initialize(authorityAlgorithm: .ed25519)
        let authority = try KeyGeneration.loadPrivateKey((directory.authorityFolder as NSString).appendingPathComponent("authority.key"),
                                                         passphraseFile: nil)
        service = try directory.useCases()
        store = try directory.openStore()
        producer = try PrivateKey.generate(.ed25519)
        let json = { (text: String) throws -> JSONValue in try CanonicalJSON.parse(Array(text.utf8)) }
        try service.recording.submit(draft: .object([
            "id": "fuzz-coop", "name": "周至县猕猴桃专业合作社", "roles": .array(["cooperative", "producer"]),
            "credit_code": "91350100M000100Y43", "address": "陕西省西安市周至县",
            "public_keys": .array([.object(["alg": .string(producer.algorithm.rawValue), "kid": .string(producer.id.hex),
                                            "spki": .string(Base64.encode(producer.publicKey.subjectPublicKeyInfo))])]),
        ]), kind: .party, key: authority)
        try service.recording.submit(draft: json("""
            {"gtin":"\(Self.gtin)","name":"周至猕猴桃","variety":"徐香","category":"fruit","certificates":[]}
            """), kind: .product, key: producer)
        try service.recording.submit(draft: json("""
            {"gtin":"\(Self.gtin)","lot":"\(Self.lot)","season":"2026","quantity":{"unit":"KGM","value":"12000"},
             "origin":{"division":"610124103201","place":"楼观镇周一村 3 号地块","lat":"34.0812","lon":"108.3305"}}
            """), kind: .batch, key: producer)
        try service.recording.submit(draft: json("""
            {"type":"harvest","time":"2026-09-15T08:30:00+08:00","batch":{"gtin":"\(Self.gtin)","lot":"\(Self.lot)"},
             "data":{"date":"2026-09-15","quantity":{"unit":"KGM","value":"11800"}}}
            """), kind: .event, key: producer)
        let labels = folder + "/labels"
        _ = try service.issuance.issueUnits(batch: BatchReference(key: "\(Self.gtin)/\(Self.lot)"),
                                            request: IssueRequest(key: producer, base: ResolverBase("https://trace.example.cn"),
                                                                  gtin: Self.gtin, lot: Self.lot, count: 8, outputDirectory: labels))
        codeTargets = try String(contentsOfFile: labels + "/codes.txt", encoding: .utf8).split(separator: "\n").map { code in
            let afterScheme = code.range(of: "://")!.upperBound
            return String(code[code[afterScheme...].firstIndex(of: "/")!...])
        }
    }

    // MARK: CSV import

    /// Any CSV text either imports or is refused with the store exactly as before.
    func importCSV(_ bytes: [UInt8]) throws(FuzzViolation) {
        let before = logSize()
        do {
            _ = try service.recording.importEvents(csv: String(decoding: bytes, as: UTF8.self), key: producer,
                                                   skipInvalid: bytes.count % 2 == 1)
        } catch {
            _ = ServiceError.wrap(error).message(in: .chinese)  // the refusal as a user reads it
            if logSize() != before { throw FuzzViolation("a refused CSV import changed the log (\(before) → \(logSize()))") }
        }
    }

    private func logSize() -> Int64 { (try? store.treeSize()) ?? -1 }

    // MARK: HTTP

    private let startLock = NSLock()

    /// Sends `bytes` on a new connection (the token `{CODE}` replaced by the path and
    /// query of a genuine issued code, `{UNIT}` by its path alone, so that mutations
    /// start from real lookups),
    /// half-closes it and reads to the end. The server must close the connection
    /// within the timeout and never answer 5xx.
    func http(_ bytes: [UInt8]) throws(FuzzViolation) {
        startServerOnce()
        let code = codeTargets[0]
        let unit = code.split(separator: "?", maxSplits: 1)[0]
        let request = Self.substitute(Self.substitute(bytes, token: Array("{CODE}".utf8), with: Array(code.utf8)),
                                      token: Array("{UNIT}".utf8), with: Array(unit.utf8))
        let answer: HTTPExchange.Answer
        do { answer = try HTTPExchange.send(request, port: port, timeout: 10) } catch {
            throw FuzzViolation("HTTP: \(error)")
        }
        if let status = answer.statuses.first(where: { $0 >= 500 }) {
            throw FuzzViolation("HTTP: the server answered \(status)")
        }
    }

    private func startServerOnce() {
        startLock.lock()
        defer { startLock.unlock() }
        guard port == 0 else { return }
        let chosen = HTTPExchange.freePort()
        let folder = self.folder
        let service = self.service
        let started = DispatchSemaphore(value: 0)
        Task.detached {
            do {
                var configuration = ServerConfiguration(templates: FuzzResources.repository.appendingPathComponent("templates").path)
                configuration.port = chosen
                configuration.scanFlushInterval = .milliseconds(20)
                var logger = Logger(label: "yima.fuzz")
                logger.logLevel = .critical
                let secret = try ServerSecret.load(DataDirectory(path: folder + "/data"))
                var server = try await TraceServer(useCases: service, secret: secret, configuration: configuration, logger: logger)
                server.log = try LogPublisher(directory: DataDirectory(path: folder + "/data"))
                started.signal()
                try await server.application().runService(gracefulShutdownSignals: [])
            } catch {
                fatalError("yima fuzz: the server stopped: \(error)")
            }
        }
        started.wait()
        port = chosen
        for _ in 0..<500 where !HTTPExchange.accepts(port: chosen) { usleep(10_000) }
    }

    static func substitute(_ bytes: [UInt8], token: [UInt8], with replacement: [UInt8]) -> [UInt8] {
        guard bytes.count >= token.count else { return bytes }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if index + token.count <= bytes.count, bytes[index..<index + token.count].elementsEqual(token) {
                result += replacement
                index += token.count
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return result
    }
}
