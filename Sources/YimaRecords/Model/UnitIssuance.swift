import YimaCrypto

/// `unit_issuance` (docs/records.md §Event): `count` unit codes signed with key
/// `kid` were issued for the batch; `units_root` commits to exactly which
/// (docs/issuance-commitment.md); `unit_quantity` is what one unit holds, which
/// lets the mass balance count the units in the harvest's measure (§Mass balance).
public struct UnitIssuance: Sendable, Hashable {
    public var count: Int64
    public var keyID: KeyID
    /// The Merkle root over the issued units; nil only in events signed before it existed.
    public var unitsRoot: IssuedSetRoot?
    public var unitQuantity: Quantity?

    public init(count: Int64, keyID: KeyID, unitsRoot: IssuedSetRoot? = nil, unitQuantity: Quantity? = nil) {
        self.count = count
        self.keyID = keyID
        self.unitsRoot = unitsRoot
        self.unitQuantity = unitQuantity
    }

    /// What the units account for in the mass balance: `count` × `unit_quantity`,
    /// or `count` pieces when the units state no quantity.
    public var accountedAmount: Amount {
        guard let unitQuantity else { return Amount(value: Double(count), unit: .piece) }
        return Amount(value: Double(count) * unitQuantity.value.doubleValue, unit: unitQuantity.unit)
    }
}

/// The root of an issued set (docs/issuance-commitment.md §2): 32 bytes written as 64
/// lowercase hex digits. (YimaLedger computes it; records only carry it.)
public struct IssuedSetRoot: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init?(hex: some StringProtocol) {
        guard let id = RecordID(hex: hex) else { return nil }
        bytes = id.bytes
    }

    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    public var hex: String { Hex.encode(bytes) }
    public var description: String { hex }

    var json: JSONValue { .string(hex) }

    static func parse(_ value: JSONValue, at path: String) throws(RecordError) -> IssuedSetRoot {
        IssuedSetRoot(bytes: try RecordID.parse(value, at: path).bytes)!
    }
}

/// `certificate_receipt`: a buyer (收购) records with its own signature that it
/// received the certificate event `certificate` of this batch from `from`
/// (农业农村部令2025年第4号: buyers keep the certificates of what they buy).
public struct CertificateReceipt: Sendable, Hashable {
    /// The record id of the certificate event received.
    public var certificate: RecordID
    /// The party the goods and certificate came from.
    public var from: PartyID
    /// How much was bought under it, when less than the certificate's quantity.
    public var quantity: Quantity?

    public init(certificate: RecordID, from: PartyID, quantity: Quantity? = nil) {
        self.certificate = certificate
        self.from = from
        self.quantity = quantity
    }
}
