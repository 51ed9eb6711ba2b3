import Foundation
import Testing
import YimaRecords
import YimaService
import YimaStore
import YimaTestSupport

/// Field records kept in a spreadsheet: RFC 4180 CSV, one event per row, all or
/// nothing unless bad rows may be skipped, errors naming the physical line a row
/// starts on.
@Suite struct CSVImportTests {
    static let header = "type,gtin,lot,time,data.activity,data.note,data.input,data.name,data.registration_number,"
        + "data.active_ingredient,data.dose:json,data.method,data.date,data.safety_interval_days:int"

    /// The note of the first row: a comma (ASCII and full-width) and quotes inside.
    static let note = #"滴灌 2 小时，"夜间"补水, 土壤湿度 65%"#

    static func care(_ time: String, _ activity: String, _ note: String = "") -> String {
        ["care", Farm.gtin, Farm.lot, time, activity, note, "", "", "", "", "", "", "", ""].joined(separator: ",")
    }

    /// A spray whose dose cell is JSON pasted over two lines.
    static func spray(_ time: String, _ name: String, date: String, interval: String) -> String {
        ["input_application", Farm.gtin, Farm.lot, time, "", "", "pesticide", name, "PD20080123", "\(name) 1.8%",
         "\"{\"\"unit\"\":\"\"克/亩\"\",\n \"\"value\"\":\"\"20\"\"}\"", "喷雾", date, interval].joined(separator: ",")
    }

    /// Five data rows; the 4th (an unknown care activity) starts on physical line 6
    /// because the 2nd spans lines 3–4.
    static func season(_ farm: Farm, extra: [String] = []) -> String {
        ([header,
          care(farm.time(daysAgo: 20), "irrigation", "\"滴灌 2 小时，\"\"夜间\"\"补水, 土壤湿度 65%\""),  // line 2
          spray(farm.time(daysAgo: 19), "阿维菌素", date: farm.date(daysAgo: 19), interval: "14"),        // lines 3–4
          care(farm.time(daysAgo: 18), "pruning", "夏季修剪"),                                         // line 5
          care(farm.time(daysAgo: 17), "浇花", "不是田间管理类型"),                                     // line 6: bad
          care(farm.time(daysAgo: 16), "weeding", "人工除草")]                                          // line 7
         + extra).joined(separator: "\n") + "\n"
    }

    @Test func allOrNothingNamesTheLineOfTheBadRow() throws {
        let farm = try Farm()
        let before = try farm.snapshot()
        let error = #expect(throws: ServiceError.self) {
            try farm.recording.importEvents(csv: Self.season(farm), key: farm.coop, skipInvalid: false)
        }
        #expect(try farm.snapshot() == before)
        let english = error?.message(in: .english) ?? ""
        #expect(english.hasPrefix("line 6: ") && english.contains("浇花"), "\(english)")
        #expect(error?.message(in: .chinese).hasPrefix("第 6 行") == true)
        // Without the bad row, all four go in, chained in order.
        let good = Self.season(farm).split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.contains("浇花") }.joined(separator: "\n")
        let report = try farm.recording.importEvents(csv: good, key: farm.coop, skipInvalid: false)
        #expect(report.imported.count == 4 && report.skipped.isEmpty)
        #expect(try farm.store.recordCount() == before.records + 4)
    }

    @Test func skipInvalidStoresTheGoodRowsAndReportsTheOthers() throws {
        let farm = try Farm()
        let before = try farm.snapshot()
        let csv = Self.season(farm, extra: [
            Self.care(farm.time(daysAgo: 25), "irrigation", "补记：日期早于上一条"),                           // line 8: time-order
            Self.spray(farm.time(daysAgo: 15), "阿维菌素", date: farm.date(daysAgo: 15), interval: "十四"),   // lines 9–10: not an int
            Self.care(farm.time(daysAgo: 14), "pest_observation", "黄板诱虫，虫口密度低"),                    // line 11
        ])
        let report = try farm.recording.importEvents(csv: csv, key: farm.coop, skipInvalid: true)
        #expect(report.skipped.map(\.line) == [6, 8, 9])
        #expect(report.skipped[0].message.contains("浇花"))
        #expect(report.skipped[1].message.contains("before the batch's previous event"))
        #expect(report.skipped[2].message.contains("data.safety_interval_days:int") && report.skipped[2].message.contains("十四"))
        #expect(report.imported.count == 5)
        #expect(try farm.store.recordCount() == before.records + 5)

        // What was stored is what the cells said, typed, and the chain is unbroken.
        let events = try farm.events()
        #expect(events.map(\.event.type.rawValue) == ["planting", "input_application", "care", "input_application", "care",
                                                      "care", "care"])
        let batchID = try #require(try farm.store.records(batchKey: Farm.batchKey).first).id
        #expect(events.map(\.event.previous.bytes) == [batchID] + events.dropLast().map(\.id.bytes))
        #expect(try farm.store.batch(key: Farm.batchKey)?.headID == events.last?.id.bytes)
        if case .care(let activity, let note, _) = events[2].event.data {
            #expect(activity == .irrigation && note == Self.note)
        } else { Issue.record("row 1 is not a care event") }
        if case .pesticide(let spray) = events[3].event.data {
            #expect(spray.name == "阿维菌素" && spray.safetyIntervalDays == 14)
            #expect(spray.dose.unit == "克/亩" && spray.dose.value.rawValue == "20")
            #expect(spray.registrationNumber.rawValue == "PD20080123" && spray.date.description == farm.date(daysAgo: 19))
        } else { Issue.record("row 2 is not a spray") }
        if case .care(let activity, let note, _) = events[6].event.data {
            #expect(activity == .pestObservation && note == "黄板诱虫，虫口密度低")
        } else { Issue.record("the last row is not a care event") }
    }

    @Test func utf8BOMAndCRLFAsExcelWritesThem() throws {
        let farm = try Farm()
        let rows = [
            "\u{FEFF}type,gtin,lot,time,data.activity,data.note",
            "care,\(Farm.gtin),\(Farm.lot),\(farm.time(daysAgo: 12)),irrigation,漫灌",
            "care,\(Farm.gtin),\(Farm.lot),\(farm.time(daysAgo: 11)),mowing,割草",
            "care,\(Farm.gtin),\(Farm.lot),\(farm.time(daysAgo: 10)),weeding,人工除草",
        ]
        let csv = rows.joined(separator: "\r\n") + "\r\n"
        #expect(Array(csv.utf8.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let report = try farm.recording.importEvents(csv: csv, key: farm.coop, skipInvalid: true)
        #expect(report.skipped.map(\.line) == [3])
        #expect(report.imported.count == 2)
        let notes = try farm.events().compactMap { entry -> String? in
            if case .care(_, let note, _) = entry.event.data { return note }
            return nil
        }
        #expect(notes == ["漫灌", "人工除草"])  // no stray carriage return
    }

    /// Tools that quote every field write the BOM before the first quote.
    @Test
    func utf8BOMBeforeAQuotedHeader() throws {
        let farm = try Farm()
        let csv = "\u{FEFF}\"type\",\"gtin\",\"lot\",\"time\",\"data.activity\"\n"
            + "\"care\",\"\(Farm.gtin)\",\"\(Farm.lot)\",\"\(farm.time(daysAgo: 12))\",\"irrigation\"\n"
        let report = try farm.recording.importEvents(csv: csv, key: farm.coop, skipInvalid: false)
        #expect(report.imported.count == 1)
    }

    @Test func typedColumnsIntBoolJSON() throws {
        let farm = try Farm()
        let header = "type,gtin,lot,time,data.laboratory,data.items:json,data.pass:bool,data.report_number"
        func inspection(_ daysAgo: Double, result: String, pass: Bool, verdict: String, report: String) -> String {
            let items = """
                "[{""name"":""吡虫啉"",""method"":""GB/T 23379-2009"",""result"":""\(result)"",
                  ""limit"":""0.5"",""unit"":""mg/kg"",""pass"":\(pass)}]"
                """
            return ["inspection", Farm.gtin, Farm.lot, farm.time(daysAgo: daysAgo), Farm.labID, items, verdict, report]
                .joined(separator: ",")
        }
        let csv = [header,
                   inspection(9, result: "未检出", pass: true, verdict: "是", report: "ZZJC-2026-0815"),   // lines 2–3
                   inspection(8, result: "0.82", pass: false, verdict: "FALSE", report: "ZZJC-2026-0816"),  // lines 4–5
        ].joined(separator: "\n")
        let report = try farm.recording.importEvents(csv: csv, key: farm.lab, skipInvalid: false)
        #expect(report.imported.count == 2)
        let inspections = try farm.events().compactMap { entry -> (Bool, [InspectionItem], String)? in
            if case .inspection(let lab, let items, let pass, let number) = entry.event.data, lab.rawValue == Farm.labID {
                return (pass, items, number)
            }
            return nil
        }
        #expect(inspections.map(\.0) == [true, false])
        #expect(inspections.map(\.2) == ["ZZJC-2026-0815", "ZZJC-2026-0816"])
        #expect(inspections.first?.1 == [InspectionItem(name: "吡虫啉", method: "GB/T 23379-2009", result: "未检出",
                                                          limit: "0.5", unit: "mg/kg", pass: true)])

        // A cell that is not of its column's type names the column and the line.
        let before = try farm.snapshot()
        let bad = [header,
                   inspection(7, result: "未检出", pass: true, verdict: "是", report: "ZZJC-2026-0817"),
                   inspection(6, result: "未检出", pass: true, verdict: "也许", report: "ZZJC-2026-0818"),
        ].joined(separator: "\n")
        let error = #expect(throws: ServiceError.self) {
            try farm.recording.importEvents(csv: bad, key: farm.lab, skipInvalid: false)
        }
        #expect(error?.message(in: .english).hasPrefix("line 4: column data.pass:bool") == true, "\(String(describing: error))")
        let notJSON = [header, ["inspection", Farm.gtin, Farm.lot, farm.time(daysAgo: 5), Farm.labID, "[{", "是", "ZZJC-2026-0819"]
            .joined(separator: ",")].joined(separator: "\n")
        let jsonError = #expect(throws: ServiceError.self) {
            try farm.recording.importEvents(csv: notJSON, key: farm.lab, skipInvalid: false)
        }
        #expect(jsonError?.message(in: .english).hasPrefix("line 2: column data.items:json: not JSON") == true)
        #expect(try farm.snapshot() == before)
    }
}
