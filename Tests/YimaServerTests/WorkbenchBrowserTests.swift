import Foundation
import Testing
import YimaTestSupport

/// The producer workbench (issue 14) in a real browser: `Tests/Browser/workbench_test.py`
/// drives Debian's headless Chromium through chromedriver (Selenium, pinned in
/// scripts/requirements-test.txt) against the real `yima serve` binary over a fresh
/// data folder, and cross-checks with openssl, zbarimg, pdftoppm and `yima verify`.
/// Screenshots at 360 px width are kept in .build/test-artifacts/workbench/.
@Suite struct WorkbenchBrowserTests {
    /// Whether this build of `yima serve` serves the workbench and its endpoints
    /// (branch wbapi); the client and this test were written against that contract.
    static var serverHasWorkbench: Bool {
        let help = try? run(Repository.builtProduct("yima"), ["serve", "--help"])
        return help?.output.contains("--workbench") ?? false
    }

    @Test(.enabled(if: serverHasWorkbench, "yima serve has no --workbench yet (the wbapi branch adds it)"))
    func producerFlowInHeadlessChromium() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver") else {
            Issue.record("chromedriver is not installed (Debian package chromium-driver); run `make deps`")
            return
        }
        let script = Repository.root.appendingPathComponent("Tests/Browser/workbench_test.py").path
        let artifacts = Repository.root.appendingPathComponent(".build/test-artifacts/workbench").path
        let result = try run("python3", [script, "--yima", Repository.builtProduct("yima"), "--out", artifacts])
        #expect(result.status == 0, "workbench browser test failed:\n\(result.output)\n\(result.stderr)")
        #expect(result.output.contains("workbench: ") && result.output.contains(" passed, 0 failed"), "\(result.output)")
    }
}
