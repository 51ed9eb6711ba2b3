import Foundation
import Testing
import YimaTestSupport

/// docs/test-vectors/base64-v1 "documents" of kind bundle: a proof node, the
/// checkpoint's signature or an authority key in non-canonical base64 makes
/// `yima verify --bundle` fail (exit 20), though a lenient decoder reads the same bytes.
@Suite struct BundleBase64Tests {
    static let trust = Repository.root.appendingPathComponent("docs/test-vectors/bundle-v1/trust").path

    @Test(arguments: Base64Vectors.documents("bundle"))
    func nonCanonicalBase64IsRefused(_ vector: Base64Vectors.DocumentCase) throws {
        let dir = try TemporaryDirectory()
        try vector.original().write(toFile: dir.file("original.bundle"), atomically: true, encoding: .utf8)
        let good = try CLITests.yima(["verify", "--bundle", dir.file("original.bundle"), "--trust", Self.trust])
        #expect(good.status == 0, "\(good.stderr)")
        try vector.twisted().write(toFile: dir.file("twisted.bundle"), atomically: true, encoding: .utf8)
        let bad = try CLITests.yima(["verify", "--bundle", dir.file("twisted.bundle"), "--trust", Self.trust])
        #expect(bad.status == 20, "\(bad.output) \(bad.stderr)")
        // The check that names the field: the bundle's reader for proof nodes and
        // authority keys, the checkpoint's for its signature line.
        let expected = vector.name.hasPrefix("proof node") ? "[bundle] record 1: proof node 0"
            : vector.name.hasPrefix("authority key") ? "[bundle] an authority key" : "[checkpoint]"
        #expect((bad.output + bad.stderr).contains(expected), "\(bad.output) \(bad.stderr)")
    }
}
