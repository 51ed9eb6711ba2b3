import YimaCodes
import YimaRecords
import YimaService

extension UnitChain {
    /// `{"intact":…,"problems":[…]}`: the chain's load-time integrity checks
    /// (docs/api.md §Chain integrity).
    var integrityJSON: JSONValue {
        .object([
            "intact": .bool(integrity.isEmpty),
            "problems": .array(integrity.map { failure in
                .object(["log_index": .integer(failure.logIndex), "problem": .string(failure.kind.rawValue),
                         "detail": .string(failure.detail), "message": .string(failure.message(in: .chinese)),
                         "message_en": .string(failure.message(in: .english))])
            }),
        ])
    }
}
