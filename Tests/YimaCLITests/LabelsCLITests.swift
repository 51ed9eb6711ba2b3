import Foundation
import Testing
import YimaTestSupport

/// `yima labels` as a producer runs it: a real store, real files, zbarimg on the output.
@Suite struct LabelsCLITests {
    static let templates = Repository.root.appendingPathComponent("templates/labels").path

    @Test func labelsForABatchAndRefusalsThatLeaveNothing() throws {
        let coop = try RecordsCLITests.Coop()
        let codes = try coop.issue(3, out: "issued")
        func labels(_ extra: [String], out: String) throws -> CommandResult {
            try RecordsCLITests.yima(["labels", "--data", coop.data, "--batch", RecordsCLITests.batch, "--templates", Self.templates,
                                      "--out", coop.dir.file(out)] + extra)
        }
        let made = try labels(["--template", "40x30", "--format", "png", "--json"], out: "png")
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.output.contains("\"count\" : 3"))
        let decoded = try FileManager.default.contentsOfDirectory(atPath: coop.dir.file("png")).filter { $0.hasSuffix(".png") }
            .map { try run("zbarimg", ["--raw", "-q", coop.dir.file("png/\($0)")]).output.trimmingCharacters(in: .newlines) }
        #expect(Set(decoded) == Set(codes))

        let refusals: [([String], String)] = [
            (["--template", "40x30", "--format", "eps"], "unsupported label format \"eps\" (use svg, png, pdf, zpl, tspl)"),
            (["--template", "45x35", "--format", "pdf"], "unknown label template \"45x35\""),
            (["--template", "45x35", "--format", "pdf", "--lang", "zh"], "未知的标签模板“45x35”"),
            (["--template", "carton-100x70", "--format", "pdf"], "template carton-100x70 is for carton labels, not unit labels"),
        ]
        for (arguments, message) in refusals {
            let refused = try labels(arguments, out: "refused")
            #expect(refused.status == 1)
            #expect(refused.stderr.contains(message), "\(refused.stderr)")
            #expect(!FileManager.default.fileExists(atPath: coop.dir.file("refused")))
        }
        let listed = try RecordsCLITests.yima(["labels", "templates", "--templates", Self.templates])
        #expect(listed.status == 0)
        #expect(listed.output.contains("40x30\tunit\t40×30 mm"))
    }
}
