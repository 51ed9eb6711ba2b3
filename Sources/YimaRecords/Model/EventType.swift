/// The kinds of event a batch's chain records, with their CBV 2.0 business steps.
public enum EventType: String, Sendable, Hashable, CaseIterable {
    case planting
    case inputApplication = "input_application"
    case care
    case harvest
    case inspection
    case unitIssuance = "unit_issuance"
    case packing
    case storing
    case shipping
    case receiving
    case retailSelling = "retail_selling"
    case recall
    case correction
    /// 承诺达标合格证: the producer's compliance certificate for the batch.
    case certificate
    /// A trace code a provincial or national platform assigned to the batch or a unit.
    case externalCode = "external_code"
    /// A buyer's signed receipt of a certificate (收购方留存合格证).
    case certificateReceipt = "certificate_receipt"

    /// The URI prefix of Yima's own business steps, for types CBV 2.0 has no value for.
    public static let yimaBusinessStepPrefix = "urn:yima:bizstep:"

    /// The EPCIS 2.0 `bizStep`: a bare CBV 2.0 business step (CBV 2.0 §7.1) where
    /// one fits, otherwise a URI of our own (EPCIS allows any URI that is not in
    /// the CBV namespaces). CBV has no "harvesting": a harvest brings a quantity of a
    /// product class into being, which is CBV's `creating_class_instance`.
    public var businessStep: String {
        switch self {
        case .planting: Self.yimaBusinessStepPrefix + "planting"
        case .inputApplication: Self.yimaBusinessStepPrefix + "input_application"
        case .care: Self.yimaBusinessStepPrefix + "care"
        case .harvest: "creating_class_instance"
        case .inspection: "inspecting"
        case .unitIssuance: "commissioning"
        case .packing: "packing"
        case .storing: "storing"
        case .shipping: "shipping"
        case .receiving: "receiving"
        case .retailSelling: "retail_selling"
        case .recall: Self.yimaBusinessStepPrefix + "recall"
        case .correction: Self.yimaBusinessStepPrefix + "correction"
        case .certificate: Self.yimaBusinessStepPrefix + "certificate"
        case .externalCode: Self.yimaBusinessStepPrefix + "external_code"
        case .certificateReceipt: Self.yimaBusinessStepPrefix + "certificate_receipt"
        }
    }

    public func name(chinese: Bool) -> String {
        let name: RecordsMessage = switch self {
        case .planting: .eventTypePlanting
        case .inputApplication: .eventTypeInputApplication
        case .care: .eventTypeCare
        case .harvest: .eventTypeHarvest
        case .inspection: .eventTypeInspection
        case .unitIssuance: .eventTypeUnitIssuance
        case .packing: .eventTypePacking
        case .storing: .eventTypeStoring
        case .shipping: .eventTypeShipping
        case .receiving: .eventTypeReceiving
        case .retailSelling: .eventTypeRetailSelling
        case .recall: .eventTypeRecall
        case .correction: .eventTypeCorrection
        case .certificate: .eventTypeCertificate
        case .externalCode: .eventTypeExternalCode
        case .certificateReceipt: .eventTypeCertificateReceipt
        }
        return name.text(in: chinese ? .chinese : .english)
    }
}
