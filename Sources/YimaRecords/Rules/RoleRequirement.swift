/// Who may sign each event type (docs/records.md §Roles): a party with one of
/// `roles`, or — where `batchOwnerMay` — the batch's owner whatever its roles.
/// Corrections are special: the party that signed the corrected record, or a regulator.
public struct RoleRequirement: Sendable, Hashable {
    public let roles: Set<PartyRole>
    public let batchOwnerMay: Bool

    public static func forEvent(_ type: EventType) -> RoleRequirement {
        switch type {
        case .planting, .inputApplication, .care, .harvest:
            RoleRequirement(roles: [.producer, .cooperative], batchOwnerMay: false)
        case .inspection:
            RoleRequirement(roles: [.laboratory, .regulator], batchOwnerMay: false)
        case .unitIssuance, .packing:
            RoleRequirement(roles: [.producer, .cooperative, .processor], batchOwnerMay: true)
        case .storing:
            RoleRequirement(roles: [.producer, .cooperative, .processor, .carrier, .market, .retailer], batchOwnerMay: true)
        case .shipping:
            RoleRequirement(roles: [.carrier], batchOwnerMay: true)
        case .receiving:
            RoleRequirement(roles: [.cooperative, .processor, .carrier, .market, .retailer], batchOwnerMay: false)
        case .retailSelling:
            RoleRequirement(roles: [.market, .retailer], batchOwnerMay: false)
        case .recall:
            RoleRequirement(roles: [.regulator], batchOwnerMay: true)
        case .correction:
            RoleRequirement(roles: [.regulator], batchOwnerMay: false)
        case .certificate:
            RoleRequirement(roles: [.producer, .cooperative, .processor], batchOwnerMay: true)
        case .externalCode:
            RoleRequirement(roles: [.regulator], batchOwnerMay: true)
        case .certificateReceipt:
            RoleRequirement(roles: [.cooperative, .processor, .market, .retailer], batchOwnerMay: false)
        }
    }
}
