/// 承诺达标合格证 (docs/records.md §Certificate): the producer's certificate for a
/// batch — product, quantity, origin, date, issuer and contact come from the chain
/// (product and batch records, the event's time and signer); the event adds the
/// number, the quantity certified, the basis of the commitment and the contact.
/// Signing it is the commitment itself: no banned pesticides or veterinary drugs, no
/// illegal additives, residues within the national limits.
public struct ComplianceCertificate: Sendable, Hashable {
    /// What the commitment rests on (承诺依据).
    public enum Basis: String, Sendable, Hashable, CaseIterable {
        /// 自检合格
        case selfTest = "self_test"
        /// 委托检测合格
        case commissionedTest = "commissioned_test"
        /// 内部质量控制合格
        case internalControl = "internal_control"

        public func name(chinese: Bool) -> String {
            let name: RecordsMessage = switch self {
            case .selfTest: .basisSelfTest
            case .commissionedTest: .basisCommissionedTest
            case .internalControl: .basisInternalControl
            }
            return name.text(in: chinese ? .chinese : .english)
        }
    }

    public var number: String
    public var quantity: Quantity
    public var basis: Basis
    public var contact: String
    /// For a lot split from or merged out of others: the certificate events it comes from.
    public var sources: [RecordID]

    public init(number: String, quantity: Quantity, basis: Basis, contact: String, sources: [RecordID] = []) {
        self.number = number
        self.quantity = quantity
        self.basis = basis
        self.contact = contact
        self.sources = sources
    }
}
