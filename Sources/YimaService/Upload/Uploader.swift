import YimaCrypto
import YimaRecords
import YimaStore

/// Upward reporting (docs/upload.md): every record the receiver has not accepted,
/// in log order, in batches, each under an idempotency key derived from its content,
/// so that a batch sent again after a crash or a lost answer is the same batch and
/// the receiver keeps it once. The position lives in the store (`UploadStore`).
public struct Uploader: Sendable {
    let uploads: any UploadStore
    let log: any TransparencyLog
    let national: NationalExport
    let epcis: EPCISExchange
    let clock: ServiceClock

    public struct Options: Sendable {
        /// Records per batch.
        public var batchSize = 200
        /// Attempts per batch before giving up (nil: never give up, as `yima serve` does).
        public var maxAttempts: Int? = 8
        /// The first retry waits up to this long; each further one up to twice as long.
        public var baseDelay: Duration = .milliseconds(500)
        public var maxDelay: Duration = .seconds(60)

        public init() {}
    }

    /// What a run did.
    public struct Summary: Sendable {
        public var batches = 0
        public var records: Int64 = 0
        public var retries = 0
    }

    /// Sends everything pending to `receiver` in `format`, then returns. Throws when
    /// the receiver refuses a batch for good, or a batch failed `maxAttempts` times:
    /// the batch stays pending and `status` shows the error.
    public func run(to receiver: String, format: UploadFormat, transport: any UploadTransport,
                    options: Options = Options()) async throws(ServiceError) -> Summary {
        let size = Int64(max(1, options.batchSize))
        var summary = Summary()
        while true {
            let position = try ServiceError.reading { try uploads.uploadPosition(receiver: receiver) }
            let batch: PendingUpload
            if let pending = position.pending {
                guard pending.format == format.rawValue else {
                    throw .invalidArgument(.uploadPendingOtherFormat, ["format": pending.format, "receiver": receiver])
                }
                batch = pending
            } else {
                let logSize = try ServiceError.reading { try log.treeSize() }
                let first = position.acceptedThrough + 1
                guard first < logSize else { return summary }
                let last = min(first + size, logSize) - 1
                batch = try pendingBatch(first...last, format: format)
                do {
                    try uploads.beginUpload(receiver: receiver, batch: batch)
                } catch .uploadConflict {
                    continue  // another uploader moved the position: read it again
                } catch { throw .store(error) }
            }
            let body = try self.body(batch, format: format)
            let attempts = try await deliver(body, batch: batch, to: receiver, transport: transport, options: options)
            summary.batches += 1
            summary.records += batch.last - batch.first + 1
            summary.retries += attempts - 1
        }
    }

    /// Sends one batch until the receiver has it; returns the attempts it took.
    private func deliver(_ body: [UInt8], batch: PendingUpload, to receiver: String, transport: any UploadTransport,
                         options: Options) async throws(ServiceError) -> Int {
        var attempt = 0
        while true {
            attempt += 1
            let verdict: UploadVerdict
            do {
                let answer = try await transport.post(body, to: receiver, headers: [
                    (name: "Content-Type", value: "application/json"), (name: "Idempotency-Key", value: batch.key),
                ])
                verdict = UploadVerdict(answer)
            } catch {
                verdict = .retry(reason: "\(error)")
            }
            switch verdict {
            case .accepted:
                do {
                    try uploads.acceptUpload(receiver: receiver, key: batch.key, at: clock.now().seconds)
                } catch .uploadConflict {
                    // Another uploader recorded the acceptance first: nothing is lost.
                } catch { throw .store(error) }
                return attempt
            case .rejected(let reason):
                try note(reason, receiver: receiver)
                throw .output(.uploadRejected, ["receiver": receiver, "first": batch.first, "last": batch.last, "reason": reason])
            case .retry(let reason):
                try note(reason, receiver: receiver)
                if let limit = options.maxAttempts, attempt >= limit {
                    throw .output(.uploadGaveUp, ["receiver": receiver, "first": batch.first, "last": batch.last,
                                                  "attempts": attempt, "reason": reason])
                }
                do { try await Task.sleep(for: Self.backoff(attempt: attempt, options: options)) } catch {
                    throw .output(.uploadCancelled, ["receiver": receiver])
                }
            }
        }
    }

    private func note(_ reason: String, receiver: String) throws(ServiceError) {
        try ServiceError.reading { try uploads.noteUploadFailure(receiver: receiver, message: reason, at: clock.now().seconds) }
    }

    /// Full jitter (a uniformly random wait up to the exponential bound), so that
    /// county servers retrying against one provincial platform spread out.
    static func backoff(attempt: Int, options: Options) -> Duration {
        let base = Double(options.baseDelay.components.seconds) + Double(options.baseDelay.components.attoseconds) / 1e18
        let cap = Double(options.maxDelay.components.seconds) + Double(options.maxDelay.components.attoseconds) / 1e18
        let bound = min(cap, base * pow2(min(attempt - 1, 30)))
        return .milliseconds(Int64(Double.random(in: 0...bound) * 1000))
    }

    private static func pow2(_ exponent: Int) -> Double { Double(1 << exponent) }

    // MARK: Batches

    /// The batch of log positions `range`: its key is SHA-256 over the format, the
    /// positions and the record ids, so the same records in the same place always
    /// travel under the same key.
    func pendingBatch(_ range: ClosedRange<Int64>, format: UploadFormat) throws(ServiceError) -> PendingUpload {
        let ids = try recordIDs(range)
        var material = "yima-upload/1\n\(format.rawValue)\n\(range.lowerBound)\n\(range.upperBound)\n"
        for id in ids { material += id + "\n" }
        return PendingUpload(first: range.lowerBound, last: range.upperBound, key: Hex.encode(Digest.sha256(Array(material.utf8))),
                             format: format.rawValue)
    }

    /// The request body (docs/upload.md §Request): the batch's positions, key and
    /// record ids, and the records as a document in `format`.
    func body(_ batch: PendingUpload, format: UploadFormat) throws(ServiceError) -> [UInt8] {
        switch format {
        case .national: try nationalBody(batch)
        case .epcis: try epcisBody(batch)
        }
    }

    private func nationalBody(_ batch: PendingUpload) throws(ServiceError) -> [UInt8] {
        let range = batch.first...batch.last
        let ids = try recordIDs(range)
        let records: [JSONValue] = ids.enumerated().map { offset, id in
            .object(["sequence": .integer(batch.first + Int64(offset)), "record_id": .string(id)])
        }
        let document = try national.document(positions: batch.first..<(batch.last + 1))
        return CanonicalJSON.encode(.object([
            "format": .string(UploadFormat.national.rawValue),
            "batch": .object(["key": .string(batch.key), "first": .integer(batch.first), "last": .integer(batch.last),
                              "records": .array(records)]),
            "document": document,
        ]))
    }

    /// docs/upload.md §EPCIS body: the batch's events, exactly as `yima export epcis`
    /// maps them, as one EPCISDocument; every record of the batch is still listed
    /// (with its kind, and its eventID when it is an event), so the positions the
    /// receiver acknowledges are the same as for national.
    private func epcisBody(_ batch: PendingUpload) throws(ServiceError) -> [UInt8] {
        let uploaded = try epcis.uploadRecords(positions: batch.first...batch.last)
        let records: [EPCISJSON] = uploaded.map { record in
            .fields(["sequence": .number("\(record.sequence)"), "record_id": .string(record.id.hex),
                     "kind": .string(record.kind.rawValue), "event_id": record.event?["eventID"]])
        }
        let document = EPCISMapping.document(events: uploaded.compactMap(\.event),
                                             creationDate: RFC3339.utc(clock.now().seconds))
        return EPCISJSON.fields([
            "format": .string(UploadFormat.epcis.rawValue),
            "batch": .fields(["key": .string(batch.key), "first": .number("\(batch.first)"),
                              "last": .number("\(batch.last)"), "records": .array(records)]),
            "document": document,
        ]).serialized(indent: false)
    }

    private func recordIDs(_ range: ClosedRange<Int64>) throws(ServiceError) -> [String] {
        let entries = try ServiceError.reading { try log.entries(range.lowerBound..<(range.upperBound + 1)) }
        return try entries.enumerated().map { offset, entry throws(ServiceError) in
            do { return try Envelope(encoded: entry).recordID.hex } catch {
                throw .store(.ledger("log entry \(range.lowerBound + Int64(offset)) does not decode: \(error)"))
            }
        }
    }

    // MARK: Status

    /// Where reporting stands for `receiver` (every known receiver when nil).
    public func status(receiver: String?) throws(ServiceError) -> [UploadStatus] {
        let logSize = try ServiceError.reading { try log.treeSize() }
        let positions = try ServiceError.reading {
            if let receiver { return [try uploads.uploadPosition(receiver: receiver)] }
            return try uploads.uploadPositions()
        }
        return positions.map { UploadStatus(position: $0, logSize: logSize) }
    }
}

/// One receiver's reporting state, for `yima upload --status`.
public struct UploadStatus: Sendable {
    public let position: UploadPosition
    public let logSize: Int64

    /// Records the receiver has not accepted yet.
    public var pendingRecords: Int64 { max(0, logSize - position.acceptedThrough - 1) }

    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "receiver": .string(position.receiver), "accepted_through": .integer(position.acceptedThrough),
            "pending_records": .integer(pendingRecords), "log_size": .integer(logSize),
        ]
        if let pending = position.pending {
            members["in_flight"] = .object(["first": .integer(pending.first), "last": .integer(pending.last),
                                            "key": .string(pending.key), "format": .string(pending.format)])
        }
        if let error = position.lastError { members["last_error"] = .string(error) }
        if let at = position.lastErrorAt { members["last_error_at"] = .string(RFC3339.utc(at)) }
        if let at = position.lastAcceptedAt { members["last_accepted_at"] = .string(RFC3339.utc(at)) }
        return .object(members)
    }
}
