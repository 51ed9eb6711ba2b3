import Foundation
import YimaCodes
import YimaCrypto
import YimaStore

/// Mints signed unit codes one window at a time, on every core: draws the batch's
/// unique random serials first and sorts them, then signs them in that order, writes
/// each window to codes.txt and the labels, and hands back the rows a store keeps.
/// Pull-based, so a store can call `next()` inside its transaction and memory stays
/// flat however many codes a batch has (8 bytes a serial for the drawn values). The
/// rows come in ascending serial order, the order of the issued-set commitment
/// (docs/issuance-commitment.md §2), so its root is built as they stream.
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
    /// Every serial value of the issuance, ascending: window after window is signed from it.
    private let values: [UInt64]
    private let progress: (Int, Int) -> Void
    private(set) var done = 0
    private(set) var qrVersion = 0
    /// Every unit's `issued_at`: the issuance event's time when it is stored with one
    /// (the auditor groups a batch's units by it), otherwise the time of minting.
    var issuedAt: Int64?
    private var ahead: (group: DispatchGroup, result: Result<[StoredUnit], any Error>?)?

    init(_ request: IssueRequest, directory: String, collectRows: Bool,
         progress: @escaping (Int, Int) -> Void) throws(ServiceError) {
        self.request = request
        self.directory = directory
        self.collectRows = collectRows
        self.progress = progress
        issuer = UnitCodeIssuer(key: request.key, base: request.base)
        values = Self.drawSortedSerialValues(request.count)
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
        let issuedAt = self.issuedAt ?? Int64(Date().timeIntervalSince1970)
        let request = self.request, directory = self.directory, collectRows = self.collectRows
        let issuer = self.issuer
        // Contiguous slices of the sorted values, so the rows come back in serial order.
        var starts = [done]
        for sliceSize in sliceSizes.dropLast() { starts.append(starts.last! + sliceSize) }
        let chunks = zip(starts, sliceSizes).map { values[$0..<($0 + $1)] }
        let minted = try ParallelMap.run(chunks, context: {
            try UnitCodeBatchSigner(issuer: issuer, gtin: request.gtin, lot: request.lot)
        }) { signer, slice in
            var text = [UInt8]()
            text.reserveCapacity(slice.count * 256)
            var rows = [StoredUnit]()
            if collectRows { rows.reserveCapacity(slice.count) }
            for value in slice {
                let serial = UnitCodeAlphabet.serial(from: value)
                let (signature, uri) = try signer.sign(serial: serial)
                try Self.writeLabels(uri, serial: serial, request: request, directory: directory)
                text += uri.utf8
                text.append(UInt8(ascii: "\n"))
                if collectRows {
                    rows.append(StoredUnit(gtin: request.gtin, lot: request.lot, serial: serial,
                                           keyID: request.key.id.hex, signature: signature, issuedAt: issuedAt))
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

extension UnitMinter {
    /// `count` distinct random 60-bit serial values (UnitCodeAlphabet), ascending.
    /// The alphabet is in ASCII order and serials are fixed-width, so ascending values
    /// give ascending serials. Repeats (about count²/2⁶¹ of them) are drawn again.
    static func drawSortedSerialValues(_ count: Int) -> [UInt64] {
        var values = UnitCodeAlphabet.randomSerialValues(count)
        while true {
            values.sort()
            var unique = 0
            for index in values.indices where index == 0 || values[index] != values[unique - 1] {
                values[unique] = values[index]
                unique += 1
            }
            values.removeLast(values.count - unique)
            if unique == count { return values }
            values += UnitCodeAlphabet.randomSerialValues(count - unique)
        }
    }
}
