/// The part of the GS1 EPCIS 2.0 JSON schema (vendored in
/// Tests/Conformance/epcis/schema) that an import relies on, checked in Swift so
/// the command line needs no schema engine at run time. Every violation is
/// reported with its JSON path; docs/epcis.md §Import lists what is checked.
enum EPCISSchemaCheck {
    static let eventTypes: Set<String> = ["ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent", "AssociationEvent"]
    static let actions: Set<String> = ["OBSERVE", "ADD", "DELETE"]
    static let businessSteps: Set<String> = [
        "accepting", "arriving", "assembling", "collecting", "commissioning", "consigning", "creating_class_instance",
        "cycle_counting", "decommissioning", "departing", "destroying", "disassembling", "dispensing", "encoding",
        "entering_exiting", "holding", "inspecting", "installing", "killing", "loading", "other", "packing", "picking",
        "receiving", "removing", "repackaging", "repairing", "replacing", "reserving", "retail_selling", "shipping",
        "staging_outbound", "stock_taking", "stocking", "storing", "transporting", "unloading", "unpacking", "void_shipping",
        "sensor_reporting", "sampling"]
    static let dispositions: Set<String> = [
        "active", "container_closed", "damaged", "destroyed", "dispensed", "disposed", "encoded", "expired", "in_progress",
        "in_transit", "inactive", "no_pedigree_match", "non_sellable_other", "partially_dispensed", "recalled", "reserved",
        "retail_sold", "returned", "sellable_accessible", "sellable_not_accessible", "stolen", "unknown", "available",
        "completeness_verified", "completeness_inferred", "conformant", "container_open", "mismatch_instance",
        "mismatch_class", "mismatch_quantity", "needs_replacement", "non_conformant", "unavailable"]
    static let sourceDestinationTypes: Set<String> = ["owning_party", "possessing_party", "location"]
    static let errorReasons: Set<String> = ["did_not_occur", "incorrect_data"]
    static let commonEventMembers: Set<String> = ["@context", "type", "eventTime", "recordTime", "eventTimeZoneOffset", "eventID",
                                                  "certificationInfo", "errorDeclaration"]
    static let membersByType: [String: Set<String>] = [
        "ObjectEvent": ["action", "epcList", "quantityList", "bizStep", "disposition", "persistentDisposition", "readPoint",
                        "bizLocation", "bizTransactionList", "sourceList", "destinationList", "sensorElementList", "ilmd"],
        "AggregationEvent": ["parentID", "childEPCs", "childQuantityList", "action", "bizStep", "disposition", "readPoint",
                             "bizLocation", "bizTransactionList", "sourceList", "destinationList", "sensorElementList"],
        "TransactionEvent": ["bizTransactionList", "parentID", "epcList", "quantityList", "action", "bizStep", "disposition",
                             "readPoint", "bizLocation", "sourceList", "destinationList", "sensorElementList"],
        "TransformationEvent": ["inputEPCList", "inputQuantityList", "outputEPCList", "outputQuantityList", "transformationID",
                                "bizStep", "disposition", "persistentDisposition", "readPoint", "bizLocation", "bizTransactionList",
                                "sourceList", "destinationList", "sensorElementList", "ilmd"],
        "AssociationEvent": ["parentID", "childEPCs", "childQuantityList", "action", "bizStep", "disposition", "readPoint",
                             "bizLocation", "bizTransactionList", "sourceList", "destinationList", "sensorElementList"],
    ]
    static let documentMembers: Set<String> = ["@context", "id", "type", "schemaVersion", "creationDate", "instanceIdentifier",
                                               "sender", "receiver", "epcisHeader", "epcisBody"]

    struct Collector {
        var problems: [RecordError] = []

        mutating func fail(_ path: String, _ expected: String) {
            problems.append(.invalid(path, .epcisSchema, ["expected": expected]))
        }

        mutating func wrongType(_ path: String, _ expected: String) {
            problems.append(RecordError(field: path, problem: .wrongType(expected: expected)))
        }

        mutating func missing(_ path: String) { problems.append(RecordError(field: path, problem: .missing)) }

        /// A string of JSON Schema format "uri" (RFC 3986 absolute URI: scheme ":" rest).
        mutating func uri(_ value: EPCISJSON?, _ path: String) {
            guard let value else { return }
            guard let text = value.string else { return wrongType(path, "string") }
            if !Self.isAbsoluteURI(text) { fail(path, "an absolute URI (RFC 3986)") }
        }

        mutating func time(_ value: EPCISJSON?, _ path: String) {
            guard let value else { return }
            guard let text = value.string else { return wrongType(path, "string") }
            if EventHash.utcMilliseconds(text) == nil { fail(path, "an RFC 3339 date-time") }
        }

        /// A bare CBV term from `terms`, or a URI outside the CBV namespaces.
        mutating func vocabulary(_ value: EPCISJSON?, _ path: String, _ terms: Set<String>) {
            guard let value else { return }
            guard let text = value.string else { return wrongType(path, "string") }
            if terms.contains(text) { return }
            if !Self.isAbsoluteURI(text) || text.hasPrefix("urn:epcglobal:cbv") || text.hasPrefix("https://ns.gs1.org/cbv/")
                || text.hasPrefix("http://ns.gs1.org/cbv/") {
                fail(path, "a CBV 2.0 term (" + terms.sorted().prefix(6).joined(separator: ", ") + ", …) or a URI outside the CBV namespaces")
            }
        }

        mutating func uriList(_ value: EPCISJSON?, _ path: String) {
            guard let value else { return }
            guard let elements = value.array else { return wrongType(path, "array") }
            for (index, element) in elements.enumerated() { uri(element, "\(path)[\(index)]") }
        }

        mutating func quantityList(_ value: EPCISJSON?, _ path: String) {
            guard let value else { return }
            guard let elements = value.array else { return wrongType(path, "array") }
            for (index, element) in elements.enumerated() {
                let at = "\(path)[\(index)]"
                guard let members = element.members else { wrongType(at, "object"); continue }
                if element["epcClass"] == nil { missing("\(at).epcClass") }
                uri(element["epcClass"], "\(at).epcClass")
                if let quantity = element["quantity"], case .number = quantity {} else if element["quantity"] != nil {
                    wrongType("\(at).quantity", "number")
                }
                if let uom = element["uom"] {
                    if let text = uom.string {
                        let ok = (2...3).contains(text.utf8.count)
                            && text.utf8.allSatisfy { (0x41...0x5A).contains($0) || (0x30...0x39).contains($0) }
                        if !ok { fail("\(at).uom", "a UN/CEFACT Rec 20 code (^[A-Z0-9]{2,3}$)") }
                    } else {
                        wrongType("\(at).uom", "string")
                    }
                }
                for member in members where !["epcClass", "quantity", "uom"].contains(member.key) {
                    fail(EPCISJSON.Parser.path(at, member.key), "no member other than epcClass, quantity, uom")
                }
            }
        }

        mutating func partyList(_ value: EPCISJSON?, _ path: String, _ member: String) {
            guard let value else { return }
            guard let elements = value.array else { return wrongType(path, "array") }
            for (index, element) in elements.enumerated() {
                let at = "\(path)[\(index)]"
                guard let members = element.members else { wrongType(at, "object"); continue }
                for required in ["type", member] where element[required] == nil { missing("\(at).\(required)") }
                vocabulary(element["type"], "\(at).type", EPCISSchemaCheck.sourceDestinationTypes)
                uri(element[member], "\(at).\(member)")
                for other in members where other.key != "type" && other.key != member {
                    fail(EPCISJSON.Parser.path(at, other.key), "no member other than type and \(member)")
                }
            }
        }

        static func isAbsoluteURI(_ text: String) -> Bool {
            guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else { return false }
            let scheme = text[..<colon]
            guard let first = scheme.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII,
                  scheme.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0)) })
            else { return false }
            return !text.unicodeScalars.contains { $0.value <= 0x20 || "<>\"{}|\\^`".unicodeScalars.contains($0) }
        }
    }

    /// Checks the document; returns its events (with their paths) when it passes.
    static func check(_ document: EPCISJSON) -> (events: [(path: String, event: EPCISJSON)], problems: [RecordError]) {
        var c = Collector()
        guard let members = document.members else {
            c.wrongType("$", "object")
            return ([], c.problems)
        }
        for required in ["@context", "type", "schemaVersion", "creationDate", "epcisBody"] where document[required] == nil {
            c.missing("$.\(required)")
        }
        if let type = document["type"], type.string != "EPCISDocument" { c.fail("$.type", "\"EPCISDocument\"") }
        if let version = document["schemaVersion"], version.string == nil { c.wrongType("$.schemaVersion", "string") }
        c.time(document["creationDate"], "$.creationDate")
        for member in members where !documentMembers.contains(member.key) && !member.key.contains(":") {
            c.fail(EPCISJSON.Parser.path("$", member.key), "a member of EPCISDocument or a URI")
        }
        var events: [(path: String, event: EPCISJSON)] = []
        if let body = document["epcisBody"] {
            if let list = body["eventList"] {
                if let elements = list.array {
                    for (index, event) in elements.enumerated() {
                        let path = "$.epcisBody.eventList[\(index)]"
                        checkEvent(event, path, &c)
                        events.append((path, event))
                    }
                } else {
                    c.wrongType("$.epcisBody.eventList", "array")
                }
            } else if body.members != nil {
                c.missing("$.epcisBody.eventList")
            } else {
                c.wrongType("$.epcisBody", "object")
            }
        }
        return (events, c.problems)
    }

    static func checkEvent(_ event: EPCISJSON, _ path: String, _ c: inout Collector) {
        guard let members = event.members else { return c.wrongType(path, "object") }
        guard let type = event["type"]?.string, eventTypes.contains(type) else {
            return c.fail("\(path).type", eventTypes.sorted().joined(separator: " | "))
        }
        for required in ["eventTime", "eventTimeZoneOffset"] where event[required] == nil { c.missing("\(path).\(required)") }
        c.time(event["eventTime"], "\(path).eventTime")
        c.time(event["recordTime"], "\(path).recordTime")
        if let offset = event["eventTimeZoneOffset"] {
            if let text = offset.string {
                if !isOffset(text) { c.fail("\(path).eventTimeZoneOffset", "±hh:mm between -13:59 and +14:00") }
            } else {
                c.wrongType("\(path).eventTimeZoneOffset", "string")
            }
        }
        c.uri(event["eventID"], "\(path).eventID")
        if type != "TransformationEvent" && type != "TransactionEvent" {
            if let action = event["action"] {
                if !actions.contains(action.string ?? "") { c.fail("\(path).action", "OBSERVE | ADD | DELETE") }
            } else {
                c.missing("\(path).action")
            }
        }
        c.vocabulary(event["bizStep"], "\(path).bizStep", businessSteps)
        c.vocabulary(event["disposition"], "\(path).disposition", dispositions)
        c.uri(event["parentID"], "\(path).parentID")
        for list in ["epcList", "childEPCs", "inputEPCList", "outputEPCList"] { c.uriList(event[list], "\(path).\(list)") }
        for list in ["quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"] {
            c.quantityList(event[list], "\(path).\(list)")
        }
        c.partyList(event["sourceList"], "\(path).sourceList", "source")
        c.partyList(event["destinationList"], "\(path).destinationList", "destination")
        if let ilmd = event["ilmd"] {
            if let entries = ilmd.members {
                for entry in entries where !Collector.isAbsoluteURI(entry.key) {
                    c.fail(EPCISJSON.Parser.path("\(path).ilmd", entry.key), "a URI or CURIE as the member name")
                }
            } else {
                c.wrongType("\(path).ilmd", "object")
            }
        }
        if let declaration = event["errorDeclaration"] {
            let at = "\(path).errorDeclaration"
            if let entries = declaration.members {
                if declaration["declarationTime"] == nil { c.missing("\(at).declarationTime") }
                c.time(declaration["declarationTime"], "\(at).declarationTime")
                c.vocabulary(declaration["reason"], "\(at).reason", errorReasons)
                c.uriList(declaration["correctiveEventIDs"], "\(at).correctiveEventIDs")
                for entry in entries where !["declarationTime", "reason", "correctiveEventIDs"].contains(entry.key)
                    && !Collector.isAbsoluteURI(entry.key) {
                    c.fail(EPCISJSON.Parser.path(at, entry.key), "declarationTime, reason, correctiveEventIDs or a URI")
                }
            } else {
                c.wrongType(at, "object")
            }
        }
        let allowed = commonEventMembers.union(membersByType[type] ?? [])
        for member in members where !allowed.contains(member.key) && !Collector.isAbsoluteURI(member.key) {
            c.fail(EPCISJSON.Parser.path(path, member.key), "a member of \(type) or an extension named by a URI or CURIE")
        }
    }

    static func isOffset(_ text: String) -> Bool {
        let b = Array(text.utf8)
        guard b.count == 6, b[0] == UInt8(ascii: "+") || b[0] == UInt8(ascii: "-"), b[3] == UInt8(ascii: ":"),
              [1, 2, 4, 5].allSatisfy({ (0x30...0x39).contains(b[$0]) }) else { return false }
        let hours = Int(b[1] - 0x30) * 10 + Int(b[2] - 0x30)
        let minutes = Int(b[4] - 0x30) * 10 + Int(b[5] - 0x30)
        return minutes < 60 && (hours < 14 || hours == 14 && minutes == 0)
    }
}
