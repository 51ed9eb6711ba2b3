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
        }
    }

    public func name(chinese: Bool) -> String {
        guard chinese else { return String(rawValue.map { $0 == "_" ? " " : $0 }) }
        return switch self {
        case .planting: "种植"
        case .inputApplication: "投入品使用"
        case .care: "田间管理"
        case .harvest: "采收"
        case .inspection: "检测"
        case .unitIssuance: "赋码"
        case .packing: "包装"
        case .storing: "仓储"
        case .shipping: "发运"
        case .receiving: "收货"
        case .retailSelling: "零售"
        case .recall: "召回"
        case .correction: "更正"
        case .certificate: "承诺达标合格证"
        }
    }
}
