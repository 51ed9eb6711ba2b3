import YimaLedger

/// An audit of a log served as C2SP tlog-tiles (docs/checkpoint.md §Auditing):
/// the latest checkpoint must be signed by the pinned log key, be consistent with
/// the last one verified, and commit to exactly the entries the server serves —
/// every new entry is hashed again, so a record rewritten in the database behind
/// the log's back is caught.
public enum LogAudit {
    public struct Outcome: Sendable {
        public let state: AuditState
        public let previous: Checkpoint?
        /// How many entries were fetched and hashed.
        public let entriesChecked: Int64
    }

    /// Runs one audit. `key` pins the log key on first use (and must match the
    /// pinned one later); `full` re-hashes every entry from the first, not only the
    /// new ones; otherwise `sample` earlier entry bundles, chosen at random, are
    /// re-hashed and each entry proved included, so a rewrite of an old record is
    /// caught sooner or later. Throws the first check that fails; the caller saves
    /// nothing then.
    public static func run(fetcher: some LogFetcher, state: AuditState?, key: NoteVerifier?,
                           full: Bool = false, sample: Int = 2) throws -> Outcome {
        if let key, let pinned = state?.logKey, key != pinned {
            throw VerificationFailure("log-key", .auditKeyNotPinned, ["key": key.verifierKey, "pinned": pinned.verifierKey])
        }
        guard let logKey = key ?? state?.logKey else {
            throw VerificationFailure("log-key", .auditNoLogKey)
        }
        let note = String(decoding: try fetcher.get("checkpoint", accept: "text/plain"), as: UTF8.self)
        let checkpoint = try verifiedCheckpoint(note, key: logKey)
        let size = checkpoint.treeSize
        let reader = TileHashReader(treeSize: size) { tile in try fetcher.get(tile.path, accept: nil) }

        if let old = state?.checkpoint {
            guard old.origin == checkpoint.origin else {
                throw VerificationFailure("origin", .auditOriginChanged, ["origin": checkpoint.origin, "old": old.origin])
            }
            guard size >= old.treeSize else {
                throw VerificationFailure("shrank", .logShrank, ["old": old.treeSize, "size": size])
            }
            do {
                if size == old.treeSize {
                    guard old.rootHash == checkpoint.rootHash else { throw ProofError.differentRootsForSameSize(size: size) }
                } else if old.treeSize > 0 {
                    try ConsistencyProof.generate(oldSize: old.treeSize, newSize: size, reader: reader)
                        .verify(oldRoot: old.rootHash, newRoot: checkpoint.rootHash)
                }
            } catch let error as ServiceError {
                throw error
            } catch {
                throw VerificationFailure("consistency", .auditInconsistent, ["size": size, "old": old.treeSize, "reason": error])
            }
        }

        var edge = full ? CompactRange() : (state?.rightEdge ?? CompactRange())
        let first = edge.size
        let oldTiles = (first + Int64(Tile.fullWidth) - 1) / Int64(Tile.fullWidth)
        var sampled = 0
        for tileIndex in (0..<oldTiles).shuffled().prefix(sample) {
            let tileRange = (tileIndex * Int64(Tile.fullWidth))..<min(first, (tileIndex + 1) * Int64(Tile.fullWidth))
            try checkIncluded(tileRange, checkpoint: checkpoint, fetcher: fetcher, reader: reader)
            sampled += tileRange.count
        }
        try checkEntries(first..<size, into: &edge, fetcher: fetcher, reader: reader)
        guard edge.root == checkpoint.rootHash else {
            throw VerificationFailure("entries", .auditRootMismatch, ["root": edge.root.hex, "expected": checkpoint.rootHash.hex])
        }
        return Outcome(state: AuditState(logKey: logKey, note: note, checkpoint: checkpoint, rightEdge: edge),
                       previous: state?.checkpoint, entriesChecked: size - first + Int64(sampled))
    }

    /// Verifies a checkpoint note with the log key, naming what is wrong.
    public static func verifiedCheckpoint(_ note: String, key: NoteVerifier) throws -> Checkpoint {
        do {
            return try Checkpoint.open(note, verifiers: [key]).checkpoint
        } catch {
            throw VerificationFailure("checkpoint", .auditCheckpointKey, ["name": key.name, "id": String(key.keyID, radix: 16), "reason": error])
        }
    }

    /// Re-hashes the already audited entries `range` (within one tile) and proves
    /// each included in the checkpoint's tree.
    static func checkIncluded(_ range: Range<Int64>, checkpoint: Checkpoint, fetcher: some LogFetcher,
                              reader: TileHashReader) throws {
        var ignored = CompactRange()
        var leaves: [TreeHash] = []
        try checkEntries(range, into: &ignored, fetcher: fetcher, reader: reader) { leaves.append($0) }
        for (offset, leaf) in leaves.enumerated() {
            let index = range.lowerBound + Int64(offset)
            do {
                try InclusionProof.generate(leafIndex: index, treeSize: checkpoint.treeSize, reader: reader)
                    .verify(leafHash: leaf, root: checkpoint.rootHash)
            } catch let error as ServiceError {
                throw error
            } catch {
                throw VerificationFailure("entries", .auditEntryRewritten, ["index": index, "reason": error])
            }
        }
    }

    /// Fetches the entry bundles of `range`, hashes every entry, compares it with
    /// the log's leaf hash (level-0 tile) to name the first rewritten entry, and
    /// extends `edge` with it.
    static func checkEntries(_ range: Range<Int64>, into edge: inout CompactRange, fetcher: some LogFetcher,
                             reader: TileHashReader, each: (TreeHash) -> Void = { _ in }) throws {
        guard !range.isEmpty else { return }
        let width = Int64(Tile.fullWidth)
        for tileIndex in (range.lowerBound / width)...((range.upperBound - 1) / width) {
            guard let bundle = Tile.inTree(level: nil, index: tileIndex, treeSize: reader.treeSize),
                  let hashes = Tile.inTree(level: 0, index: tileIndex, treeSize: reader.treeSize) else { continue }
            let entries: [[UInt8]], leaves: [TreeHash]
            do {
                entries = try EntryBundle.decode(try fetcher.get(bundle.path, accept: nil), tile: bundle)
                leaves = try hashes.hashes(from: try fetcher.get(hashes.path, accept: nil))
            } catch let error as TileError {
                throw VerificationFailure("entries", .auditTileError, ["reason": error])
            }
            for (offset, entry) in entries.enumerated() {
                let index = tileIndex * width + Int64(offset)
                guard range.contains(index) else { continue }
                let leaf = MerkleHash.leaf(entry)
                guard leaf == leaves[offset] else {
                    throw VerificationFailure("entries", .auditLeafMismatch, ["index": index, "leaf": leaf.hex, "expected": leaves[offset].hex])
                }
                edge.append(leafHash: leaf)
                each(leaf)
            }
        }
    }
}
