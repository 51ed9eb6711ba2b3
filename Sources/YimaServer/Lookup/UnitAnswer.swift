import NIOCore
import YimaCodes
import YimaRecords
import YimaService

/// What a genuine lookup says about the scanned unit itself (docs/api.md §JSON):
/// the part of the answer that differs between units of one batch. The batch's
/// part (`BatchView`) is encoded once per chain head; this part is written straight
/// into the response, in canonical member order, ahead of the batch's members.
struct UnitAnswer {
    /// The code as scanned (scheme and host as the client addressed us).
    let code: String
    let unit: UnitCode
    let issuer: (keyID: String, party: String)?
    let container: String?
    /// The recall notice covering the unit, as JSON, if any.
    let recall: JSONValue?
    var recallID: String? {
        if case .object(let fields)? = recall, case .string(let id)? = fields["record"] { id } else { nil }
    }
    let scan: ScanSummary
    let copyWarning: Bool
    let copyWarningThreshold: Int

    init(code: String, unit: UnitCode, genuine: GenuineUnit, scan: ScanSummary, copyWarningThreshold: Int) {
        self.code = code
        self.unit = unit
        issuer = (genuine.keyID, genuine.party)
        container = genuine.container
        recall = genuine.recall?.json
        self.scan = scan
        copyWarning = scan.distinctClients > Int64(copyWarningThreshold)
        self.copyWarningThreshold = copyWarningThreshold
    }

    /// The whole JSON answer in two parts: these members, then the batch view's
    /// shared `jsonTail`.
    func json(_ view: BatchView) -> [ByteBuffer] {
        var out = JSONWriter(capacity: 512 + code.utf8.count)
        out.beginObject()
        out.key("code"); out.string(code)
        if let container { out.key("container"); out.string(container) }
        out.key("genuine"); out.bool(true)
        out.key("gtin"); out.string(unit.gtin)
        if let issuer {
            out.key("issuer"); out.beginObject()
            out.key("key_id"); out.string(issuer.keyID)
            out.key("party"); out.string(issuer.party)
            out.endObject()
        }
        out.key("lot"); out.string(unit.lot)
        if let recall { out.key("recall"); out.raw(CanonicalJSON.encode(recall)) }
        out.key("recalled"); out.bool(recall != nil)
        out.key("scan"); out.beginObject()
        out.key("copy_warning"); out.bool(copyWarning)
        out.key("copy_warning_threshold"); out.integer(Int64(copyWarningThreshold))
        out.key("count"); out.integer(scan.count)
        out.key("distinct_clients"); out.integer(scan.distinctClients)
        if let first = scan.firstScan { out.key("first_scan"); out.string(RFC3339.utc(first)) }
        out.endObject()
        out.key("serial"); out.string(unit.serial)
        out.key("verdict"); out.string("genuine")
        return [out.buffer, view.jsonTail]
    }
}
