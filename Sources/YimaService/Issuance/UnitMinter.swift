import Foundation
import Synchronization
import YimaCodes
import YimaCrypto
import YimaStore

/// Mints signed unit codes one window at a time, on every core: draws unique random
/// serials, signs them, writes each window to codes.txt and the labels, and hands
/// back the rows a store keeps. Pull-based, so a store can call `next()` inside its
/// transaction and memory stays flat however many codes a batch has.
///
/// When rows are collected, the next window is minted in the background while the
/// caller stores the current one (double buffering), so the store's single writer
/// thread and the signing cores work at the same time. At most one window is minted
/// at a time, and the caller touches the minter's state only after waiting for it
/// (`next()` and `waitForPending()` do), which is why the class may cross threads.
final class UnitMinter: @unchecked Sendable {
    static let window = 16_384

    let request: IssueRequest
    let directory: String
    let collectRows: Bool
    private let issuer: UnitCodeIssuer
    private let codesFile: UnsafeMutablePointer<FILE>
    private let codesPath: String
    private let seen: SerialSet
    private let progress: (Int, Int) -> Void
    private(set) var done = 0
    private(set) var qrVersion = 0
    private var ahead: (group: DispatchGroup, result: Result<[StoredUnit], any Error>?)?

    init(_ request: IssueRequest, directory: String, collectRows: Bool,
         progress: @escaping (Int, Int) -> Void) throws(ServiceError) {
        self.request = request
        self.directory = directory
        self.collectRows = collectRows
        self.progress = progress
        issuer = UnitCodeIssuer(key: request.key, base: request.base)
        seen = SerialSet(capacity: request.count)
        codesPath = (directory as NSString).appendingPathComponent("codes.txt")
        guard let file = fopen(codesPath, "wx") else {
            throw .output(.cannotCreateReason, ["path": codesPath, "reason": String(cString: strerror(errno))])
        }
        codesFile = file
    }

    deinit { fclose(codesFile) }

    /// The next window's rows; an empty array once all `request.count` codes exist.
    func next() throws -> [StoredUnit] {
        let rows = try waitForPending() ?? mintWindow()
        if collectRows && done < request.count && !rows.isEmpty {
            let group = DispatchGroup()
            ahead = (group, nil)
            DispatchQueue.global().async(group: group) {
                let result = Result { try self.mintWindow() }
                self.ahead?.result = result
            }
        }
        return rows
    }

    /// Waits for a window being minted in the background and returns its rows, or
    /// nil when none is. Call before discarding the output folder.
    @discardableResult
    func waitForPending() throws -> [StoredUnit]? {
        guard let pending = ahead else { return nil }
        pending.group.wait()
        let result = ahead?.result
        ahead = nil
        return try result?.get()
    }

    private func mintWindow() throws -> [StoredUnit] {
        guard done < request.count else {
            try finish()
            return []
        }
        let size = min(Self.window, request.count - done)
        let slices = max(1, ParallelMap.cores * 8)
        let sliceSizes = (0..<slices).map { size * ($0 + 1) / slices - size * $0 / slices }.filter { $0 > 0 }
        let issuedAt = Int64(Date().timeIntervalSince1970)
        let request = self.request, directory = self.directory, collectRows = self.collectRows
        let seen = self.seen, issuer = self.issuer
        let minted = try ParallelMap.run(sliceSizes, context: {
            try UnitCodeBatchSigner(issuer: issuer, gtin: request.gtin, lot: request.lot)
        }) { signer, count in
            var text = [UInt8]()
            text.reserveCapacity(count * 256)
            var rows = [StoredUnit]()
            if collectRows { rows.reserveCapacity(count) }
            var issued = 0
            while issued < count {
                for value in UnitCodeAlphabet.randomSerialValues(count - issued)
                where seen.insert(value) {
                    let serial = UnitCodeAlphabet.serial(from: value)
                    let (signature, uri) = try signer.sign(serial: serial)
                    try Self.writeLabels(uri, serial: serial, request: request, directory: directory)
                    text += uri.utf8
                    text.append(UInt8(ascii: "\n"))
                    if collectRows {
                        rows.append(StoredUnit(gtin: request.gtin, lot: request.lot, serial: serial,
                                               keyID: request.key.id.hex, signature: signature, issuedAt: issuedAt))
                    }
                    issued += 1
                }
            }
            return (text, rows)
        }
        if qrVersion == 0, let firstLine = minted.first?.0.split(separator: UInt8(ascii: "\n")).first {
            qrVersion = try QRMatrix.encode(String(decoding: firstLine, as: UTF8.self),
                                            errorCorrection: request.errorCorrection).version
        }
        for (text, _) in minted where fwrite(text, 1, text.count, codesFile) != text.count {
            throw ServiceError.output(.writeFailedReason, ["path": codesPath, "reason": String(cString: strerror(errno))])
        }
        done += size
        progress(done, request.count)
        return minted.flatMap { $0.1 }
    }

    /// Mints everything (for callers without a store, which collect no rows: the
    /// loop runs on the count, not on what `next()` returns).
    func run() throws {
        while done < request.count { _ = try mintWindow() }
        try finish()
    }

    private func finish() throws {
        guard fflush(codesFile) == 0, fsync(fileno(codesFile)) == 0 else {
            throw ServiceError.output(.writeFailedReason, ["path": codesPath, "reason": String(cString: strerror(errno))])
        }
    }

    private static func writeLabels(_ uri: String, serial: String, request: IssueRequest, directory: String) throws {
        guard request.formats.contains(.svg) || request.formats.contains(.png) else { return }
        let matrix = try QRMatrix.encode(uri, errorCorrection: request.errorCorrection)
        let base = (directory as NSString).appendingPathComponent(serial)
        if request.formats.contains(.svg) {
            try OutputDirectory.write(matrix.svgBytes(), to: base + ".svg")
        }
        if request.formats.contains(.png) {
            try OutputDirectory.write(matrix.png(moduleSize: request.moduleSize), to: base + ".png")
        }
    }
}

/// The serial values already drawn in a batch, shared by the minting workers.
final class SerialSet: Sendable {
    private let values: Mutex<Set<UInt64>>

    init(capacity: Int) { values = Mutex(Set(minimumCapacity: capacity)) }

    /// True when `value` is new.
    func insert(_ value: UInt64) -> Bool { values.withLock { $0.insert(value).inserted } }
}
