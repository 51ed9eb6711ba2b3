/// The text a template can show, by the name its layout's text boxes use
/// (docs/labels.md §Fields).
public enum LabelField: String, Sendable, CaseIterable {
    /// Product name in Chinese (unit, carton, pallet).
    case product
    /// The producer's registered name.
    case producer
    /// Where the batch grew: the plot or base.
    case origin
    /// Lot (GS1 AI 10).
    case lot
    /// Harvest date, or the season when no harvest is recorded.
    case date
    /// GTIN-14 (GS1 AI 01).
    case gtin
    /// The unit's short code for typing in (`ShortCode`); units only.
    case shortCode = "short_code"
    /// The SSCC in human-readable form, `(00) 0 6920000 000000001 7`; cartons and pallets only.
    case sscc
    /// How many units or cartons the container holds, e.g. `24 件`; cartons and pallets only.
    case count

    /// The kinds of label the field belongs on.
    var kinds: Set<LabelLayout.Kind> {
        switch self {
        case .shortCode: [.unit]
        case .sscc, .count: [.carton, .pallet]
        default: [.unit, .carton, .pallet]
        }
    }
}
