import YimaRecords

/// The stages (环节) of NY/T 4712-2025's business information (业务基础信息):
/// 生产, 收购, 储存, 运输, 加工 (docs/national-format.md §Stages). What Yima records
/// outside them (sale, recall, correction, external codes, certificate receipts, key changes) goes to the
/// standard's extension information (扩展追溯信息).
public enum NationalStage: String, Sendable, CaseIterable {
    case production, purchase, storage, transport, processing

    /// The standard's name for the stage.
    public var chineseName: String {
        switch self {
        case .production: "生产"
        case .purchase: "收购"
        case .storage: "储存"
        case .transport: "运输"
        case .processing: "加工"
        }
    }

    /// The stage of an event type, or nil for one exported as extension information.
    /// The assignment is Yima's (docs/national-format.md marks it inferred).
    public init?(_ type: EventType) {
        switch type {
        case .planting, .inputApplication, .care, .harvest, .inspection, .certificate, .unitIssuance: self = .production
        case .receiving: self = .purchase
        case .storing: self = .storage
        case .shipping: self = .transport
        case .packing: self = .processing
        case .retailSelling, .recall, .correction, .externalCode, .certificateReceipt: return nil
        }
    }
}
